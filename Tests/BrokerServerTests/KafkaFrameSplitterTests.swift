import KafkaProtocol
import NIOCore
import NIOEmbedded
import Testing

@testable import BrokerServer

/// Records what reaches the handler after the splitter.
private final class FrameCollector: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    var frames: [[UInt8]] = []
    var errors: [any Error] = []

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        frames.append(Array(unwrapInboundIn(data).readableBytesView))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        errors.append(error)
    }
}

@Suite struct KafkaFrameSplitterTests {
    private func framed(_ payloads: [[UInt8]]) -> [UInt8] {
        var buffer = ByteBuffer()
        for payload in payloads {
            buffer.writeInteger(Int32(payload.count))
            buffer.writeBytes(payload)
        }
        return Array(buffer.readableBytesView)
    }

    private func channel(maxFrameSize: Int32 = 1024) throws -> (EmbeddedChannel, FrameCollector) {
        let collector = FrameCollector()
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(KafkaFrameSplitter(maxFrameSize: maxFrameSize))
        try channel.pipeline.syncOperations.addHandler(collector)
        return (channel, collector)
    }

    private let payloads: [[UInt8]] = [[1, 2, 3], [], Array(repeating: 7, count: 300), [9], Array(0..<255)]

    @Test func splitsFramesCutAtEveryBytePosition() throws {
        let bytes = framed(payloads)
        for cut in 0...bytes.count {
            let (channel, collector) = try channel()
            try channel.writeInbound(ByteBuffer(bytes: bytes[0..<cut]))
            try channel.writeInbound(ByteBuffer(bytes: bytes[cut...]))
            #expect(collector.frames == payloads, "cut at \(cut)")
            #expect(collector.errors.isEmpty)
        }
    }

    @Test func splitsFramesArrivingOneByteAtATime() throws {
        let (channel, collector) = try channel()
        for byte in framed(payloads) { try channel.writeInbound(ByteBuffer(bytes: [byte])) }
        #expect(collector.frames == payloads)
    }

    @Test func splitsFramesCutAtEveryPairOfPositions() throws {
        let bytes = framed([[1, 2, 3, 4, 5], [6, 7], Array(repeating: 8, count: 9)])
        for first in 0...bytes.count {
            for second in first...bytes.count {
                let (channel, collector) = try channel()
                try channel.writeInbound(ByteBuffer(bytes: bytes[0..<first]))
                try channel.writeInbound(ByteBuffer(bytes: bytes[first..<second]))
                try channel.writeInbound(ByteBuffer(bytes: bytes[second...]))
                #expect(collector.frames == [[1, 2, 3, 4, 5], [6, 7], Array(repeating: 8, count: 9)], "cuts \(first) \(second)")
            }
        }
    }

    @Test func wholeFramesAreSlicesOfTheReadBuffer() throws {
        let (channel, _) = try channel()
        var seen: [ByteBuffer] = []
        final class Keep: ChannelInboundHandler, @unchecked Sendable {
            typealias InboundIn = ByteBuffer
            var frames: [ByteBuffer] = []
            func channelRead(context: ChannelHandlerContext, data: NIOAny) { frames.append(unwrapInboundIn(data)) }
        }
        let keep = Keep()
        try channel.pipeline.syncOperations.addHandler(keep, position: .after(try channel.pipeline.syncOperations.handler(type: KafkaFrameSplitter.self)))
        let input = ByteBuffer(bytes: framed([[1, 2], [3, 4, 5]]))
        try channel.writeInbound(input)
        seen = keep.frames
        #expect(seen.count == 2)
        // A slice shares the read buffer's storage: its bytes sit at the input's base address + offset.
        let base = input.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
        let second = seen[1].withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
        #expect(second == base + 4 + 2 + 4)
    }

    @Test func negativeSizeIsAnError() throws {
        let (channel, collector) = try channel()
        try channel.writeInbound(ByteBuffer(bytes: framed([[1]]) + [0xFF, 0xFF, 0xFF, 0xFF] + framed([[2]])))
        #expect(collector.frames == [[1]])
        #expect(collector.errors.compactMap { $0 as? FrameError } == [.negativeSize(-1)])
    }

    @Test func tooLargeSizeIsAnErrorBeforeTheBodyArrives() throws {
        let (channel, collector) = try channel(maxFrameSize: 4)
        try channel.writeInbound(ByteBuffer(bytes: [0, 0, 0, 5, 1]))
        #expect(collector.frames.isEmpty)
        #expect(collector.errors.compactMap { $0 as? FrameError } == [.tooLarge(size: 5, max: 4)])
        // Everything after the error is ignored.
        try channel.writeInbound(ByteBuffer(bytes: framed([[1]])))
        #expect(collector.frames.isEmpty)
    }

    @Test func tooLargeSizeSplitAcrossReadsIsAnError() throws {
        let (channel, collector) = try channel(maxFrameSize: 4)
        try channel.writeInbound(ByteBuffer(bytes: [0, 0]))
        try channel.writeInbound(ByteBuffer(bytes: [0, 5]))
        #expect(collector.errors.compactMap { $0 as? FrameError } == [.tooLarge(size: 5, max: 4)])
    }

    @Test func sizeEqualToTheMaximumIsAccepted() throws {
        let (channel, collector) = try channel(maxFrameSize: 4)
        try channel.writeInbound(ByteBuffer(bytes: framed([[1, 2, 3, 4]])))
        #expect(collector.frames == [[1, 2, 3, 4]])
    }
}
