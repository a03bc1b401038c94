import BrokerAPI
import KafkaProtocol
import Logging
import NIOCore

/// Serves one client connection: parses each request frame's header, dispatches it through the
/// ``HandlerRegistry`` and writes the responses back in request order.
///
/// Runs entirely on the channel's event loop (NIO's threading contract); every piece of mutable
/// state here is owned by that loop. Kafka's error behaviour: a frame whose header does not parse,
/// an unknown API, an unsupported version (except ApiVersions) or an undecodable body closes the
/// connection; responses already due are written first. Other connections are unaffected.
final class KafkaConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = IOData

    /// Stop reading from a client that has this many unanswered requests (backpressure).
    static let maxOutstanding = 64

    private let registry: HandlerRegistry
    private let listenerName: String
    private var logger: Logger
    private var sequencer = ResponseSequencer()
    private var remoteAddress = "unknown"
    private var closing = false
    private var readPaused = false
    /// Between a read's first `channelRead` and its `channelReadComplete`: responses that complete
    /// meanwhile are written without a flush; `channelReadComplete` flushes them together.
    private var inReadBurst = false

    init(registry: HandlerRegistry, listenerName: String, logger: Logger) {
        self.registry = registry
        self.listenerName = listenerName
        self.logger = logger
    }

    func channelActive(context: ChannelHandlerContext) {
        remoteAddress = context.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "unknown"
        logger[metadataKey: "client"] = "\(remoteAddress)"
        logger.debug("connection opened")
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        logger.debug("connection closed")
        closing = true
        for item in sequencer.closeAndDrain() { Self.discard(item) }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        inReadBurst = true
        var frame = unwrapInboundIn(data)
        let header: RequestHeader
        do {
            header = try RequestHeader.decode(from: &frame)
        } catch {
            close(context: context, reason: "invalid request header: \(error)")
            return
        }
        let requestContext = RequestContext(
            apiKey: header.requestApiKey, apiVersion: header.requestApiVersion,
            correlationID: header.correlationId, clientID: header.clientId,
            clientAddress: remoteAddress, listenerName: listenerName, eventLoop: context.eventLoop)
        let sequence = sequencer.begin()
        switch registry.dispatch(body: &frame, context: requestContext) {
        case .response(let response):
            release(sequence, .response(response), context: context, flush: false)
        case .noResponse:
            release(sequence, .noResponse, context: context, flush: false)
        case .close(let reason):
            release(sequence, .close(reason: reason), context: context, flush: true)
        case .laterWithoutResponse(let future):
            future.hop(to: context.eventLoop).assumeIsolated().whenComplete { result in
                switch result {
                case .success: self.release(sequence, .noResponse, context: context, flush: true)
                case .failure(let error):
                    self.release(sequence, .close(reason: "request failed: \(error)"), context: context, flush: true)
                }
            }
        case .later(let future):
            future.hop(to: context.eventLoop).assumeIsolated().whenComplete { result in
                switch result {
                case .success(let response):
                    self.release(sequence, .response(response), context: context, flush: true)
                case .failure(let error):
                    self.release(sequence, .close(reason: "request failed: \(error)"), context: context, flush: true)
                }
            }
        }
        if sequencer.outstanding >= Self.maxOutstanding, !readPaused {
            readPaused = true
            context.channel.setOption(ChannelOptions.autoRead, value: false).whenFailure { _ in }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        inReadBurst = false
        context.flush()
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        close(context: context, reason: "\(error)")
    }

    private func release(
        _ sequence: UInt64, _ completion: ResponseSequencer.Completion, context: ChannelHandlerContext, flush: Bool
    ) {
        let (released, dropped) = sequencer.complete(sequence, with: completion)
        for item in dropped { Self.discard(item) }
        for item in released {
            switch item {
            case .response(let response):
                for segment in response.segments {
                    switch segment {
                    case .bytes(let bytes): context.write(wrapOutboundOut(.byteBuffer(bytes)), promise: nil)
                    case .file(let region):
                        // Each region owns a duplicated descriptor: close it once written (or failed).
                        let written = context.eventLoop.makePromise(of: Void.self)
                        context.write(wrapOutboundOut(.fileRegion(region)), promise: written)
                        written.futureResult.whenComplete { _ in try? region.fileHandle.close() }
                    }
                }
            case .noResponse:
                break
            case .close(let reason):
                close(context: context, reason: reason)
                return
            }
        }
        if flush, !inReadBurst { context.flush() }
        if readPaused, sequencer.outstanding < Self.maxOutstanding / 2 {
            readPaused = false
            context.channel.setOption(ChannelOptions.autoRead, value: true).whenFailure { _ in }
        }
    }

    /// Releases what a response that will never be written holds (file handles).
    private static func discard(_ completion: ResponseSequencer.Completion) {
        if case .response(let response) = completion { response.release() }
    }

    private func close(context: ChannelHandlerContext, reason: String) {
        guard !closing else { return }
        closing = true
        logger.info("closing connection", metadata: ["reason": "\(reason)"])
        context.flush()
        context.close(promise: nil)
    }
}
