import BrokerCore
import KafkaProtocol
import NIOCore

/// One Kafka API, implemented in one file under `Handlers/`, with the versions it serves declared
/// next to it. The ``HandlerRegistry`` builds the ApiVersions response from the registered
/// handlers, so an API is advertised exactly when a handler for it exists.
///
/// Thread-safety: `handle` is called on the connection's event loop and must not block it.
/// Work that waits (replication, long polls, ZooKeeper) returns ``APIOutcome/later(_:)``.
public protocol KafkaAPIHandler: Sendable {
    associatedtype Request: KafkaRequest

    /// The request versions this broker accepts; a subset of `Request.validVersions`.
    static var supportedVersions: ClosedRange<Int16> { get }

    /// Whether ApiVersions lists this API. Kafka's zkBroker-only inter-broker APIs
    /// (LeaderAndIsr, UpdateMetadata, StopReplica, ControlledShutdown) are served but not listed.
    static var isAdvertised: Bool { get }

    /// Handles one decoded request.
    func handle(_ request: Request, context: RequestContext) -> APIOutcome<Request.Response>

    /// Answers a request whose version is outside ``supportedVersions``, or `nil` to close the
    /// connection (Kafka's behaviour for every API except ApiVersions).
    func unsupportedVersionResponse(context: RequestContext) -> UnsupportedVersionAnswer?
}

extension KafkaAPIHandler {
    public static var isAdvertised: Bool { true }
    public func unsupportedVersionResponse(context: RequestContext) -> UnsupportedVersionAnswer? { nil }
}

/// What a handler does with a request.
public enum APIOutcome<Response: KafkaResponse>: Sendable {
    /// Send this response now.
    case respond(Response)
    /// Send this response when the future completes (on any event loop). A failed future
    /// closes the connection.
    case later(EventLoopFuture<Response>)
    /// Send nothing (Produce with acks=0 that succeeded).
    case noResponse
    /// Send nothing once the future succeeds; close the connection if it fails (Produce with
    /// acks=0, whose errors Kafka signals by closing the connection).
    case laterWithoutResponse(EventLoopFuture<Void>)
    /// Close the connection without answering (Produce with acks=0 that failed, as Kafka does).
    case closeConnection(reason: String)
}

/// A response to a request at an unsupported version, encoded at a version the client can read.
public struct UnsupportedVersionAnswer: Sendable {
    public var response: any KafkaResponse
    /// The version to encode `response` with (e.g. 0 for ApiVersions).
    public var encodeVersion: Int16
    public init(response: any KafkaResponse, encodeVersion: Int16) {
        self.response = response
        self.encodeVersion = encodeVersion
    }
}

/// Facts about the request being handled and the connection it came on.
public struct RequestContext: Sendable {
    public var apiKey: Int16
    public var apiVersion: Int16
    public var correlationID: Int32
    public var clientID: String?
    /// The remote peer, for logs ("ip:port").
    public var clientAddress: String
    /// The listener the request arrived on (e.g. "PLAINTEXT"); Metadata answers with the
    /// brokers' endpoints for this listener.
    public var listenerName: String
    /// The connection's event loop; futures returned by handlers may complete anywhere.
    public var eventLoop: any EventLoop

    public init(
        apiKey: Int16, apiVersion: Int16, correlationID: Int32, clientID: String?,
        clientAddress: String, listenerName: String, eventLoop: any EventLoop
    ) {
        self.listenerName = listenerName
        self.apiKey = apiKey
        self.apiVersion = apiVersion
        self.correlationID = correlationID
        self.clientID = clientID
        self.clientAddress = clientAddress
        self.eventLoop = eventLoop
    }
}
