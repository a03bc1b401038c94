import BrokerAPI
import KafkaProtocol
import NIOCore
import NIOEmbedded
import Synchronization
import Testing

@testable import BrokerServer

/// Heartbeat requests answered only when the test completes their promise.
private final class DeferredHeartbeats: KafkaAPIHandler, Sendable {
    typealias Request = HeartbeatRequest
    static let supportedVersions: ClosedRange<Int16> = 0...4
    let promises = Mutex<[String: EventLoopPromise<HeartbeatResponse>]>([:])

    func handle(_ request: HeartbeatRequest, context: RequestContext) -> APIOutcome<HeartbeatResponse> {
        let promise = context.eventLoop.makePromise(of: HeartbeatResponse.self)
        promises.withLock { $0[request.groupId] = promise }
        return .later(promise.futureResult)
    }

    func complete(_ group: String, error: Int16 = 0) {
        let promise = promises.withLock { $0.removeValue(forKey: group) }
        promise?.succeed(HeartbeatResponse(errorCode: error))
    }
}

/// Counts the flushes that reach the socket end of the pipeline.
private final class FlushCounter: ChannelOutboundHandler, @unchecked Sendable {
    typealias OutboundIn = IOData
    var flushes = 0
    func flush(context: ChannelHandlerContext) {
        flushes += 1
        context.flush()
    }
}

@Suite struct KafkaConnectionHandlerTests {
    private func makeChannel(_ handler: DeferredHeartbeats, flushCounter: FlushCounter? = nil) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        if let flushCounter { try channel.pipeline.syncOperations.addHandler(flushCounter) }
        try channel.pipeline.syncOperations.addHandler(KafkaFrameSplitter(maxFrameSize: 1 << 20))
        try channel.pipeline.syncOperations.addHandler(
            KafkaConnectionHandler(
                registry: HandlerRegistry(handlers: [handler]), listenerName: "PLAINTEXT",
                logger: .init(label: "test")))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return channel
    }

    private func request(_ body: some KafkaRequest, version: Int16, correlationID: Int32) -> ByteBuffer {
        var writer = MessageWriter()
        let size = writer.openSizePrefix()
        let apiKey = ApiKey(rawValue: type(of: body).apiKey)!
        RequestHeader(
            requestApiKey: apiKey.rawValue, requestApiVersion: version, correlationId: correlationID, clientId: "t"
        ).encode(to: &writer, version: apiKey.requestHeaderVersion(version))
        body.encode(to: &writer, version: version)
        writer.closeSizePrefix(size)
        return writer.finishAsByteBuffer()!
    }

    /// Correlation ids of the response frames written so far.
    private func writtenCorrelationIDs(_ channel: EmbeddedChannel) throws -> [Int32] {
        var all = ByteBuffer()
        while let out = try channel.readOutbound(as: IOData.self) {
            guard case .byteBuffer(let bytes) = out else { throw TestError("file region in test") }
            all.writeImmutableBuffer(bytes)
        }
        var ids: [Int32] = []
        while let size = all.readInteger(as: Int32.self) {
            guard var frame = all.readSlice(length: Int(size)), let id = frame.readInteger(as: Int32.self) else {
                throw TestError("truncated response frame")
            }
            ids.append(id)
        }
        return ids
    }

    @Test func responsesKeepRequestOrderWhenAnEarlierOneIsDeferred() throws {
        let heartbeats = DeferredHeartbeats()
        let channel = try makeChannel(heartbeats)
        var input = request(HeartbeatRequest(groupId: "slow"), version: 4, correlationID: 1)
        input.writeImmutableBuffer(request(ApiVersionsRequest(), version: 0, correlationID: 2))
        input.writeImmutableBuffer(request(HeartbeatRequest(groupId: "fast"), version: 4, correlationID: 3))
        input.writeImmutableBuffer(request(ApiVersionsRequest(), version: 0, correlationID: 4))
        try channel.writeInbound(input)
        #expect(try writtenCorrelationIDs(channel) == [])
        heartbeats.complete("fast")
        channel.embeddedEventLoop.run()
        #expect(try writtenCorrelationIDs(channel) == [])
        heartbeats.complete("slow")
        channel.embeddedEventLoop.run()
        #expect(try writtenCorrelationIDs(channel) == [1, 2, 3, 4])
        #expect(channel.isActive)
    }

    @Test func responsesReadyWithinOneReadShareOneFlush() throws {
        let counter = FlushCounter()
        let channel = try makeChannel(DeferredHeartbeats(), flushCounter: counter)
        var input = request(ApiVersionsRequest(), version: 0, correlationID: 1)
        input.writeImmutableBuffer(request(ApiVersionsRequest(), version: 0, correlationID: 2))
        input.writeImmutableBuffer(request(ApiVersionsRequest(), version: 0, correlationID: 3))
        try channel.writeInbound(input)
        #expect(try writtenCorrelationIDs(channel) == [1, 2, 3])
        #expect(counter.flushes == 1)
    }

    @Test func aResponseCompletingAfterTheReadIsFlushedAtOnce() throws {
        let counter = FlushCounter()
        let heartbeats = DeferredHeartbeats()
        let channel = try makeChannel(heartbeats, flushCounter: counter)
        try channel.writeInbound(request(HeartbeatRequest(groupId: "later"), version: 4, correlationID: 5))
        let before = counter.flushes
        heartbeats.complete("later")
        channel.embeddedEventLoop.run()
        #expect(counter.flushes == before + 1)
        #expect(try writtenCorrelationIDs(channel) == [5])
    }

    @Test func badRequestClosesAfterEarlierResponsesAreWritten() throws {
        let channel = try makeChannel(DeferredHeartbeats())
        var input = request(ApiVersionsRequest(), version: 0, correlationID: 10)
        var bogus = ByteBuffer()
        bogus.writeInteger(Int32(8))
        bogus.writeInteger(Int16(999))  // unknown API key
        bogus.writeInteger(Int16(0))
        bogus.writeInteger(Int32(11))
        input.writeImmutableBuffer(bogus)
        input.writeImmutableBuffer(request(ApiVersionsRequest(), version: 0, correlationID: 12))
        try channel.writeInbound(input)
        #expect(try writtenCorrelationIDs(channel) == [10])
        #expect(!channel.isActive)
    }

    @Test func oversizedFrameClosesTheConnection() throws {
        let channel = try makeChannel(DeferredHeartbeats())
        var input = ByteBuffer()
        input.writeInteger(Int32(1 << 21))
        _ = try? channel.writeInbound(input)
        channel.embeddedEventLoop.run()
        #expect(!channel.isActive)
    }

    @Test func unsupportedApiVersionsVersionIsAnsweredNotClosed() throws {
        let channel = try makeChannel(DeferredHeartbeats())
        try channel.writeInbound(request(ApiVersionsRequest(), version: 9, correlationID: 21))
        #expect(try writtenCorrelationIDs(channel) == [21])
        #expect(channel.isActive)
    }
}

struct TestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
