import BrokerCore
import KafkaProtocol
import NIOCore

/// The set of API handlers a broker serves, indexed by API key, and the one place a request
/// frame is turned into a handler call.
///
/// Built once at start-up and immutable afterwards, so it is freely shared between event loops.
/// The registry owns the ApiVersions handler: its table is derived from the other handlers, so
/// an API is advertised exactly when a handler for it is registered.
///
/// Kafka's rules for requests it cannot serve (SocketServer / RequestContext in Kafka 3.9):
/// - unknown API key, or an API this broker has no handler for → close the connection;
/// - a version outside the handler's range → close the connection, except ApiVersions which
///   answers UNSUPPORTED_VERSION in the v0 format (see ``ApiVersionsHandler``);
/// - a body that does not decode → close the connection.
public struct HandlerRegistry: Sendable {
    private var entries: [(any RegisteredAPI)?]
    /// ApiVersions table: (apiKey, minVersion, maxVersion) of every advertised API, sorted by key.
    public let advertisedVersions: [AdvertisedAPI]

    /// Registers `handlers` plus the ApiVersions handler. A second handler for the same API key
    /// is a programming error.
    public init(handlers: [any KafkaAPIHandler]) {
        var entries = [(any RegisteredAPI)?](repeating: nil, count: 128)
        var advertised: [AdvertisedAPI] = []
        func add<H: KafkaAPIHandler>(_ handler: H, listed: Bool = true) {
            let key = Int(H.Request.apiKey)
            precondition(entries.indices.contains(key) && entries[key] == nil, "duplicate handler for API key \(key)")
            entries[key] = Registered(handler: handler)
            if H.isAdvertised, listed {
                advertised.append(
                    AdvertisedAPI(
                        apiKey: H.Request.apiKey, minVersion: H.supportedVersions.lowerBound,
                        maxVersion: H.supportedVersions.upperBound))
            }
        }
        for handler in handlers { add(handler) }
        advertised.append(
            AdvertisedAPI(
                apiKey: ApiVersionsRequest.apiKey, minVersion: ApiVersionsHandler.supportedVersions.lowerBound,
                maxVersion: ApiVersionsHandler.supportedVersions.upperBound))
        advertised.sort { $0.apiKey < $1.apiKey }
        add(ApiVersionsHandler(table: advertised), listed: false)
        self.entries = entries
        self.advertisedVersions = advertised
    }

    /// The versions served for `apiKey`, or nil when no handler exists.
    public func supportedVersions(apiKey: Int16) -> ClosedRange<Int16>? {
        guard entries.indices.contains(Int(apiKey)), let entry = entries[Int(apiKey)] else { return nil }
        return entry.versions
    }

    /// Decodes the body of one request, runs its handler and encodes the response.
    /// `body` is positioned just after the request header.
    public func dispatch(body: inout ByteBuffer, context: RequestContext) -> DispatchOutcome {
        let key = Int(context.apiKey)
        guard entries.indices.contains(key), let entry = entries[key] else {
            return .close(reason: "unknown or unsupported API key \(context.apiKey)")
        }
        return entry.dispatch(body: &body, context: context)
    }
}

/// One row of the ApiVersions table.
public struct AdvertisedAPI: Sendable, Equatable {
    public var apiKey: Int16
    public var minVersion: Int16
    public var maxVersion: Int16
    public init(apiKey: Int16, minVersion: Int16, maxVersion: Int16) {
        self.apiKey = apiKey
        self.minVersion = minVersion
        self.maxVersion = maxVersion
    }
}

/// Type-erased handler entry.
private protocol RegisteredAPI: Sendable {
    var versions: ClosedRange<Int16> { get }
    func dispatch(body: inout ByteBuffer, context: RequestContext) -> DispatchOutcome
}

private struct Registered<H: KafkaAPIHandler>: RegisteredAPI {
    let handler: H
    var versions: ClosedRange<Int16> { H.supportedVersions }

    func dispatch(body: inout ByteBuffer, context: RequestContext) -> DispatchOutcome {
        guard H.supportedVersions.contains(context.apiVersion) else {
            guard let answer = handler.unsupportedVersionResponse(context: context) else {
                return .close(reason: "unsupported version \(context.apiVersion) of API key \(context.apiKey)")
            }
            return .response(
                ResponseEncoder.encode(
                    answer.response, version: answer.encodeVersion, apiKey: context.apiKey,
                    correlationID: context.correlationID))
        }
        let request: H.Request
        do {
            request = try H.Request(from: &body, version: context.apiVersion)
        } catch {
            return .close(reason: "malformed \(H.Request.self) v\(context.apiVersion): \(error)")
        }
        let version = context.apiVersion
        let key = context.apiKey
        let correlationID = context.correlationID
        switch handler.handle(request, context: context) {
        case .respond(let response):
            return .response(ResponseEncoder.encode(response, version: version, apiKey: key, correlationID: correlationID))
        case .later(let future):
            return .later(
                future.map { ResponseEncoder.encode($0, version: version, apiKey: key, correlationID: correlationID) })
        case .noResponse:
            return .noResponse
        case .laterWithoutResponse(let future):
            return .laterWithoutResponse(future)
        case .closeConnection(let reason):
            return .close(reason: reason)
        }
    }
}
