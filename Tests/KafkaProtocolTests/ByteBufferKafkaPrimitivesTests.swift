import KafkaProtocol
import NIOCore
import Testing

@Suite("ByteBuffer Kafka primitives")
struct ByteBufferKafkaPrimitivesTests {
    static let unsignedVarints: [(UInt32, [UInt8])] = [
        (0, [0x00]), (1, [0x01]), (127, [0x7F]), (128, [0x80, 0x01]), (300, [0xAC, 0x02]),
        (16_383, [0xFF, 0x7F]), (16_384, [0x80, 0x80, 0x01]), (UInt32(Int32.max), [0xFF, 0xFF, 0xFF, 0xFF, 0x07]),
        (UInt32.max, [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]),
    ]

    @Test("unsigned varints encode to Kafka's bytes and decode back", arguments: unsignedVarints)
    func unsignedVarint(_ value: UInt32, _ bytes: [UInt8]) throws {
        var buffer = ByteBuffer()
        buffer.writeUnsignedVarint(value)
        #expect(Array(buffer.readableBytesView) == bytes)
        #expect(ByteBuffer.unsignedVarintSize(value) == bytes.count)
        #expect(try buffer.readUnsignedVarint() == value)
        #expect(buffer.readableBytes == 0)
    }

    static let zigzag: [(Int32, [UInt8])] = [
        (0, [0x00]), (-1, [0x01]), (1, [0x02]), (-64, [0x7F]), (64, [0x80, 0x01]),
        (Int32.max, [0xFE, 0xFF, 0xFF, 0xFF, 0x0F]), (Int32.min, [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]),
    ]

    @Test("zigzag varints encode to Kafka's bytes and decode back", arguments: zigzag)
    func varint(_ value: Int32, _ bytes: [UInt8]) throws {
        var buffer = ByteBuffer()
        buffer.writeVarint(value)
        #expect(Array(buffer.readableBytesView) == bytes)
        #expect(try buffer.readVarint() == value)
    }

    @Test("varlongs round-trip at the edges", arguments: [Int64.min, -1, 0, 1, Int64(Int32.max) + 1, Int64.max])
    func varlong(_ value: Int64) throws {
        var buffer = ByteBuffer()
        buffer.writeVarlong(value)
        #expect(buffer.readableBytes <= 10)
        #expect(try buffer.readVarlong() == value)
        #expect(buffer.readableBytes == 0)
    }

    @Test("over-long or overflowing varints are rejected, truncated ones report truncation")
    func badVarints() {
        var tooLong = ByteBuffer(bytes: [0x80, 0x80, 0x80, 0x80, 0x80, 0x01])
        #expect(throws: KafkaProtocolError.invalidVarint) { try tooLong.readUnsignedVarint() }
        var overflow = ByteBuffer(bytes: [0xFF, 0xFF, 0xFF, 0xFF, 0x1F])
        #expect(throws: KafkaProtocolError.invalidVarint) { try overflow.readUnsignedVarint() }
        var longOverflow = ByteBuffer(bytes: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02])
        #expect(throws: KafkaProtocolError.invalidVarint) { try longOverflow.readUnsignedVarlong() }
        var truncated = ByteBuffer(bytes: [0x80])
        #expect(throws: KafkaProtocolError.truncated(needed: 1, readable: 0)) { try truncated.readUnsignedVarint() }
    }

    @Test("compact and classic nulls: 0 and -1 mean null, where allowed")
    func nulls() throws {
        var compactNull = ByteBuffer(bytes: [0x00])
        #expect(try compactNull.readKafkaNullableString(compact: true) == nil)
        var classicNull = ByteBuffer(bytes: [0xFF, 0xFF])
        #expect(try classicNull.readKafkaNullableString(compact: false) == nil)
        var nullBytes = ByteBuffer(bytes: [0xFF, 0xFF, 0xFF, 0xFF])
        #expect(try nullBytes.readKafkaNullableBytes(compact: false) == nil)
        var nullArray = ByteBuffer(bytes: [0x00])
        #expect(try nullArray.readKafkaNullableArrayCount(compact: true) == nil)

        var notNullable = ByteBuffer(bytes: [0x00])
        #expect(throws: KafkaProtocolError.invalidLength(-1, readable: 0)) {
            try notNullable.readKafkaString(compact: true)
        }
        var notNullableArray = ByteBuffer(bytes: [0xFF, 0xFF, 0xFF, 0xFF])
        #expect(throws: KafkaProtocolError.invalidLength(-1, readable: 0)) {
            try notNullableArray.readKafkaArrayCount(compact: false)
        }

        var written = ByteBuffer()
        written.writeKafkaNullableString(nil, compact: true)
        written.writeKafkaNullableString(nil, compact: false)
        written.writeKafkaNullableBytes(nil, compact: true)
        written.writeKafkaNullableBytes(nil, compact: false)
        #expect(Array(written.readableBytesView) == [0x00, 0xFF, 0xFF, 0x00, 0xFF, 0xFF, 0xFF, 0xFF])
    }

    @Test("strings and bytes in compact and classic form")
    func stringsAndBytes() throws {
        var buffer = ByteBuffer()
        buffer.writeKafkaString("hé", compact: true)
        buffer.writeKafkaString("hé", compact: false)
        buffer.writeKafkaBytes(ByteBuffer(bytes: [9, 8]), compact: true)
        buffer.writeKafkaBytes(ByteBuffer(), compact: false)
        #expect(Array(buffer.readableBytesView) == [0x04, 0x68, 0xC3, 0xA9, 0x00, 0x03, 0x68, 0xC3, 0xA9, 0x03, 9, 8, 0, 0, 0, 0])
        #expect(try buffer.readKafkaString(compact: true) == "hé")
        #expect(try buffer.readKafkaString(compact: false) == "hé")
        #expect(try buffer.readKafkaBytes(compact: true) == ByteBuffer(bytes: [9, 8]))
        #expect(try buffer.readKafkaBytes(compact: false) == ByteBuffer())
    }

    @Test("a classic string longer than 32767 bytes is cut at a character boundary")
    func longClassicString() throws {
        let long = String(repeating: "a", count: 32_766) + "éé"
        var buffer = ByteBuffer()
        buffer.writeKafkaString(long, compact: false)
        let read = try buffer.readKafkaString(compact: false)
        #expect(read == String(repeating: "a", count: 32_766))
    }

    @Test("negative lengths below -1 and lengths beyond the input are rejected before allocating")
    func badLengths() {
        var minusTwo = ByteBuffer(bytes: [0xFF, 0xFE])
        #expect(throws: KafkaProtocolError.invalidLength(-2, readable: 0)) {
            try minusTwo.readKafkaNullableString(compact: false)
        }
        var tooLong = ByteBuffer(bytes: [0x00, 0x05, 0x61])
        #expect(throws: KafkaProtocolError.invalidLength(5, readable: 1)) { try tooLong.readKafkaString(compact: false) }
        var hugeCount = ByteBuffer(bytes: [0x7F, 0xFF, 0xFF, 0xFF, 0x00])
        #expect(throws: KafkaProtocolError.invalidLength(Int(Int32.max), readable: 1)) {
            try hugeCount.readKafkaArray(compact: false) { (buffer: inout ByteBuffer) throws(KafkaProtocolError) -> Int8 in
                try buffer.readKafkaInt8()
            }
        }
        var hugeCompact = ByteBuffer(bytes: [0xFF, 0xFF, 0xFF, 0xFF, 0x0F])
        #expect(throws: KafkaProtocolError.invalidLength(Int(UInt32.max) - 1, readable: 0)) {
            try hugeCompact.readKafkaBytes(compact: true)
        }
    }

    @Test("invalid UTF-8 is an error")
    func invalidUTF8() {
        var buffer = ByteBuffer(bytes: [0x03, 0xC3, 0x28])
        #expect(throws: KafkaProtocolError.invalidString) { try buffer.readKafkaString(compact: true) }
    }

    @Test("uuid, bool and float64")
    func fixedWidth() throws {
        let id = KafkaUUID(high: 0x0102_0304_0506_0708, low: 0x090A_0B0C_0D0E_0F10)
        var buffer = ByteBuffer()
        buffer.writeKafkaUUID(id)
        buffer.writeKafkaBool(true)
        buffer.writeKafkaFloat64(-2.5)
        #expect(Array(buffer.readableBytesView.prefix(16)) == Array(1...16))
        #expect(try buffer.readKafkaUUID() == id)
        #expect(try buffer.readKafkaBool())
        #expect(try buffer.readKafkaFloat64() == -2.5)
        var short = ByteBuffer(bytes: [1, 2, 3])
        #expect(throws: KafkaProtocolError.truncated(needed: 16, readable: 3)) { try short.readKafkaUUID() }
    }

    @Test("tagged-field sections: unknown tags are kept as zero-copy slices")
    func unknownTaggedFields() throws {
        var buffer = ByteBuffer()
        buffer.writeKafkaTaggedFields([
            TaggedField(tag: 3, data: ByteBuffer(bytes: [1, 2])),
            TaggedField(tag: 200, data: ByteBuffer()),
        ])
        #expect(Array(buffer.readableBytesView) == [0x02, 0x03, 0x02, 1, 2, 0xC8, 0x01, 0x00])
        let fields = try buffer.readKafkaUnknownTaggedFields()
        #expect(fields == [TaggedField(tag: 3, data: ByteBuffer(bytes: [1, 2])), TaggedField(tag: 200, data: ByteBuffer())])

        var oversized = ByteBuffer(bytes: [0x01, 0x00, 0x05, 0x01])
        #expect(throws: KafkaProtocolError.invalidLength(5, readable: 1)) { try oversized.readKafkaUnknownTaggedFields() }
    }
}
