import KafkaProtocol
import Logging
import NIOCore
import NIOPosix

/// A client connection to one Kafka-protocol broker (Martlet's controller uses it to send
/// LeaderAndIsr / UpdateMetadata / StopReplica; replica fetchers will use it for Fetch).
///
/// Requests may be sent from any thread and are pipelined; responses are matched in order.
/// A request that gets no answer within its timeout fails with ``KafkaClientError/timedOut`` and
/// the connection is closed (as Kafka's NetworkClient does), failing every other outstanding
/// request with ``KafkaClientError/connectionClosed``. Thread-safety: `Sendable`; the channel's
/// state lives on its event loop.
public final class KafkaBrokerConnection: Sendable {
    private let channel: any Channel
    public let clientID: String?

    private init(channel: any Channel, clientID: String?) {
        self.channel = channel
        self.clientID = clientID
    }

    /// Opens a connection. `maxResponseSize` bounds a response frame (a larger one closes it).
    public static func connect(
        host: String, port: Int, clientID: String?, group: any EventLoopGroup,
        connectTimeout: TimeAmount = .seconds(10), maxResponseSize: Int32 = 512 * 1024 * 1024
    ) async throws -> KafkaBrokerConnection {
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(connectTimeout)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(KafkaFrameDecoder(maxFrameSize: maxResponseSize)))
                    try channel.pipeline.syncOperations.addHandler(KafkaClientHandler())
                }
            }
            .connect(host: host, port: port).get()
        return KafkaBrokerConnection(channel: channel, clientID: clientID)
    }

    /// Sends `request` at `version` and returns the decoded response.
    public func send<Request: KafkaRequest>(
        _ request: Request, version: Int16, timeout: TimeAmount = .seconds(30)
    ) async throws -> Request.Response {
        try await sendFuture(request, version: version, timeout: timeout).get()
    }

    /// Event-loop-future form of ``send(_:version:timeout:)`` for callers on a NIO hot path.
    public func sendFuture<Request: KafkaRequest>(
        _ request: Request, version: Int16, timeout: TimeAmount = .seconds(30)
    ) -> EventLoopFuture<Request.Response> {
        let loop = channel.eventLoop
        guard let apiKey = ApiKey(rawValue: Request.apiKey) else {
            return loop.makeFailedFuture(KafkaClientError.malformedResponse("unknown API key \(Request.apiKey)"))
        }
        var writer = MessageWriter()
        request.encode(to: &writer, version: version)
        guard let body = writer.finishAsByteBuffer() else {
            return loop.makeFailedFuture(KafkaClientError.malformedResponse("requests cannot carry file regions"))
        }
        let promise = loop.makePromise(of: ByteBuffer.self)
        let outbound = OutboundRequest(
            apiKey: apiKey, version: version, clientID: clientID, body: body, promise: promise)
        channel.writeAndFlush(outbound).whenFailure { _ in promise.fail(KafkaClientError.connectionClosed) }
        let channel = self.channel
        let timer = loop.scheduleTask(in: timeout) {
            promise.fail(KafkaClientError.timedOut(apiKey: Request.apiKey, afterMilliseconds: timeout.nanoseconds / 1_000_000))
            channel.close(promise: nil)
        }
        return promise.futureResult.flatMapThrowing { frame in
            timer.cancel()
            var frame = frame
            let response = try Request.Response(from: &frame, version: version)
            return response
        }.flatMapErrorThrowing { error in
            timer.cancel()
            throw error
        }
    }

    /// Whether the connection is still open.
    public var isActive: Bool { channel.isActive }

    /// Completes when the connection closes.
    public var closeFuture: EventLoopFuture<Void> { channel.closeFuture }

    /// Closes the connection; outstanding requests fail with ``KafkaClientError/connectionClosed``.
    public func close() async {
        try? await channel.close()
    }
}
