import NIOCore
import Testing

@testable import KafkaRecords

@Suite struct VarintTests {
    @Test func zigZagEncodingMatchesKafka() {
        // Kafka ByteUtils: 0 → 00, -1 → 01, 1 → 02, 63 → 7e, -64 → 7f, 64 → 80 01.
        let cases: [(Int32, [UInt8])] = [(0, [0]), (-1, [1]), (1, [2]), (63, [0x7E]), (-64, [0x7F]), (64, [0x80, 0x01])]
        for (value, encoded) in cases {
            var buffer = ByteBuffer()
            Varint.write(value, to: &buffer)
            #expect(Array(buffer.readableBytesView) == encoded)
            #expect(Varint.size(value) == encoded.count)
        }
    }

    @Test func roundTripsExtremes() {
        for value in [Int32.min, -300, -1, 0, 1, 300, Int32.max] {
            var buffer = ByteBuffer()
            Varint.write(value, to: &buffer)
            let decoded = buffer.withUnsafeReadableBytes { raw -> Int32? in
                var position = 0
                return Varint.readInt32(raw, &position)
            }
            #expect(decoded == value)
        }
        for value in [Int64.min, -1, 0, 1 << 40, Int64.max] {
            var buffer = ByteBuffer()
            Varint.write(value, to: &buffer)
            #expect(buffer.readableBytes == Varint.size(value))
            let decoded = buffer.withUnsafeReadableBytes { raw -> Int64? in
                var position = 0
                return Varint.readInt64(raw, &position)
            }
            #expect(decoded == value)
        }
    }

    @Test func rejectsTruncatedAndOverlongInput() {
        let truncated: [UInt8] = [0x80, 0x80]
        let overlong: [UInt8] = [0x80, 0x80, 0x80, 0x80, 0x80, 0x01]
        truncated.withUnsafeBytes { raw in
            var position = 0
            #expect(Varint.readInt32(raw, &position) == nil)
            #expect(position == 0)
        }
        overlong.withUnsafeBytes { raw in
            var position = 0
            #expect(Varint.readInt32(raw, &position) == nil)
        }
    }

    /// Every value around the one-, two- and three-byte boundaries (the inline fast paths), read
    /// back at an offset inside a larger buffer, with the position advanced by the encoded size.
    @Test func roundTripsAroundByteLengthBoundaries() {
        let edges: [Int32] = [0, 1, 63, 64, 65, 8_191, 8_192, 8_193, 1_048_575, 1_048_576]
        for edge in edges {
            for value in [edge, -edge, edge - 1, -edge - 1] {
                var buffer = ByteBuffer(bytes: [0xAA])
                Varint.write(value, to: &buffer)
                buffer.writeInteger(UInt8(0xFF))
                let (decoded, position) = buffer.withUnsafeReadableBytes { raw -> (Int32?, Int) in
                    var position = 1
                    return (Varint.readInt32(raw, &position), position)
                }
                #expect(decoded == value)
                #expect(position == 1 + Varint.size(value))
            }
        }
    }

    @Test func twoByteVarintCutAfterItsFirstByteIsRejected() {
        let cut: [UInt8] = [0x80]
        cut.withUnsafeBytes { raw in
            var position = 0
            #expect(Varint.readInt32(raw, &position) == nil)
            #expect(position == 0)
        }
    }
}
