import KafkaProtocol
import NIOCore

/// One request on its way out: the encoded body and where its response goes.
struct OutboundRequest: Sendable {
    var apiKey: ApiKey
    var version: Int16
    var clientID: String?
    var body: ByteBuffer
    /// Completed with the response body (after the response header), or failed.
    var promise: EventLoopPromise<ByteBuffer>
}

/// Client side of a Kafka connection: numbers requests with correlation ids, frames them, and
/// matches responses to requests. Kafka answers a connection's requests in order, so a response
/// must carry the correlation id of the oldest outstanding request; anything else is a protocol
/// error that closes the connection.
///
/// Runs on the channel's event loop; all state is owned by it.
final class KafkaClientHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = OutboundRequest
    typealias OutboundOut = ByteBuffer

    private struct Waiting {
        var correlationID: Int32
        var headerVersion: Int16
        var promise: EventLoopPromise<ByteBuffer>
    }

    private var nextCorrelationID: Int32 = 0
    private var waiting = CircularBuffer<Waiting>()
    private var closed = false

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        guard !closed else {
            request.promise.fail(KafkaClientError.connectionClosed)
            promise?.fail(KafkaClientError.connectionClosed)
            return
        }
        let correlationID = nextCorrelationID
        nextCorrelationID = nextCorrelationID == .max ? 0 : nextCorrelationID + 1
        var writer = MessageWriter(capacity: 64 + request.body.readableBytes)
        let size = writer.openSizePrefix()
        RequestHeader(
            requestApiKey: request.apiKey.rawValue, requestApiVersion: request.version,
            correlationId: correlationID, clientId: request.clientID
        ).encode(to: &writer, version: request.apiKey.requestHeaderVersion(request.version))
        writer.writeRawBytes(request.body)
        writer.closeSizePrefix(size)
        waiting.append(
            Waiting(
                correlationID: correlationID, headerVersion: request.apiKey.responseHeaderVersion(request.version),
                promise: request.promise))
        for segment in writer.finish() {
            if case .bytes(let bytes) = segment { context.write(wrapOutboundOut(bytes), promise: nil) }
        }
        promise?.succeed()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var frame = unwrapInboundIn(data)
        guard let expected = waiting.popFirst() else {
            fail(context: context, KafkaClientError.malformedResponse("response without a request"))
            return
        }
        do {
            let header = try ResponseHeader(from: &frame, version: expected.headerVersion)
            guard header.correlationId == expected.correlationID else {
                expected.promise.fail(
                    KafkaClientError.correlationMismatch(expected: expected.correlationID, received: header.correlationId))
                fail(context: context, KafkaClientError.connectionClosed)
                return
            }
            expected.promise.succeed(frame)
        } catch {
            expected.promise.fail(KafkaClientError.malformedResponse("\(error)"))
            fail(context: context, KafkaClientError.connectionClosed)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(KafkaClientError.connectionClosed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(context: context, error)
    }

    private func fail(context: ChannelHandlerContext, _ error: any Error) {
        failAll(error)
        context.close(promise: nil)
    }

    private func failAll(_ error: any Error) {
        closed = true
        while let next = waiting.popFirst() { next.promise.fail(error) }
    }
}
