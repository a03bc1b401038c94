import NIOCore
import NIOTestUtils
import Testing

@testable import KafkaProtocol

@Suite struct KafkaFrameDecoderTests {
    private func framed(_ payloads: [[UInt8]]) -> ByteBuffer {
        var buffer = ByteBuffer()
        for payload in payloads {
            buffer.writeInteger(Int32(payload.count))
            buffer.writeBytes(payload)
        }
        return buffer
    }

    @Test func decodesFramesSplitAtEveryByteBoundary() throws {
        let payloads: [[UInt8]] = [[1, 2, 3], [], Array(repeating: 7, count: 300), [9]]
        let stream = framed(payloads)
        let bytes = Array(stream.readableBytesView)
        for split in 0...bytes.count {
            var decoder = KafkaFrameDecoder(maxFrameSize: 1024)
            var input = ByteBuffer(bytes: bytes[0..<split])
            var frames: [[UInt8]] = []
            while let frame = try decoder.decode(buffer: &input) { frames.append(Array(frame.readableBytesView)) }
            input.writeBytes(bytes[split...])
            while let frame = try decoder.decode(buffer: &input) { frames.append(Array(frame.readableBytesView)) }
            #expect(frames == payloads, "split at \(split)")
            #expect(input.readableBytes == 0)
        }
    }

    @Test func passesNIOsDecoderVerifier() throws {
        let payloads: [[UInt8]] = [[1, 2, 3], [4], Array(0..<200)]
        let expected = payloads.map { [(framed([$0]), [ByteBuffer(bytes: $0)])] }.flatMap { $0 }
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: expected,
            decoderFactory: { KafkaFrameDecoder(maxFrameSize: 1024) }
        )
    }

    @Test func rejectsNegativeSize() {
        var decoder = KafkaFrameDecoder(maxFrameSize: 1024)
        var input = ByteBuffer()
        input.writeInteger(Int32(-1))
        #expect(throws: FrameError.negativeSize(-1)) { try decoder.decode(buffer: &input) }
    }

    @Test func rejectsSizeAboveMaximumBeforeTheBodyArrives() {
        var decoder = KafkaFrameDecoder(maxFrameSize: 1024)
        var input = ByteBuffer()
        input.writeInteger(Int32(1025))
        #expect(throws: FrameError.tooLarge(size: 1025, max: 1024)) { try decoder.decode(buffer: &input) }
    }

    @Test func acceptsSizeEqualToMaximum() throws {
        var decoder = KafkaFrameDecoder(maxFrameSize: 4)
        var input = framed([[1, 2, 3, 4]])
        #expect(try decoder.decode(buffer: &input).map { Array($0.readableBytesView) } == [1, 2, 3, 4])
    }
}
