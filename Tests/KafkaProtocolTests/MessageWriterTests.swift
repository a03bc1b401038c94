import KafkaProtocol
import NIOCore
import Testing

@Suite("MessageWriter")
struct MessageWriterTests {
    @Test("small in-memory records are copied inline: one segment")
    func inlineRecords() {
        var writer = MessageWriter()
        writer.writeInt16(7)
        writer.writeKafkaRecords(.bytes(ByteBuffer(bytes: [1, 2, 3])), compact: false)
        #expect(writer.byteCount == 2 + 4 + 3)
        let segments = writer.finish()
        #expect(segments == [.bytes(ByteBuffer(bytes: [0, 7, 0, 0, 0, 3, 1, 2, 3]))])
    }

    @Test("file records become their own segment between byte chunks, counted in byteCount")
    func fileRecords() throws {
        let handle = try NIOFileHandle(_deprecatedPath: "/dev/null")
        defer { try? handle.close() }
        let region = FileRegion(fileHandle: handle, readerIndex: 100, endIndex: 150)
        var writer = MessageWriter()
        let frame = writer.openSizePrefix()
        writer.writeInt32(1)
        writer.writeKafkaRecords(.file(region), compact: true)
        writer.writeInt16(2)
        writer.closeSizePrefix(frame)
        #expect(writer.byteCount == 4 + 4 + 1 + 50 + 2)
        let segments = writer.finish()
        #expect(segments.count == 3)
        #expect(segments.first == .bytes(ByteBuffer(bytes: [0, 0, 0, 57, 0, 0, 0, 1, 51])))
        #expect(segments.dropFirst().first == .file(region))
        #expect(segments.last == .bytes(ByteBuffer(bytes: [0, 2])))
        #expect(segments.map(\.byteCount).reduce(0, +) == 61)

        var copy = MessageWriter()
        copy.writeRecords(.file(region))
        #expect(copy.finishAsByteBuffer() == nil)
    }

    @Test("large in-memory records stay a separate segment; finishAsByteBuffer joins them")
    func largeRecords() {
        let payload = ByteBuffer(repeating: 0x5A, count: MessageWriter.inlineRecordsLimit + 1)
        var writer = MessageWriter()
        writer.writeInt8(1)
        writer.writeRecords(.bytes(payload))
        writer.writeInt8(2)
        let segments = writer.finish()
        #expect(segments == [.bytes(ByteBuffer(bytes: [1])), .bytes(payload), .bytes(ByteBuffer(bytes: [2]))])

        var joined = MessageWriter()
        joined.writeInt8(1)
        joined.writeRecords(.bytes(payload))
        let buffer = joined.finishAsByteBuffer()
        #expect(buffer?.readableBytes == payload.readableBytes + 1)
        #expect(buffer?.getInteger(at: 0, as: UInt8.self) == 1)
    }

    @Test("a tagged value of 128 bytes or more gets a two-byte size")
    func longTaggedValue() throws {
        var writer = MessageWriter()
        writer.writeKafkaTaggedField(tag: 4) { (writer: inout MessageWriter) in
            writer.writeRawBytes(ByteBuffer(repeating: 0x11, count: 200))
        }
        var buffer = try #require(writer.finishAsByteBuffer())
        #expect(try buffer.readUnsignedVarint() == 4)
        #expect(try buffer.readUnsignedVarint() == 200)
        #expect(buffer.readableBytes == 200)
        #expect(buffer.readableBytesView.allSatisfy { $0 == 0x11 })
    }

    @Test("unknown tagged fields merge in ascending order around known ones")
    func mergeUnknown() throws {
        var unknown = [TaggedField(tag: 1, data: ByteBuffer(bytes: [0xA])), TaggedField(tag: 9, data: ByteBuffer())][...]
        var writer = MessageWriter()
        writer.writeUnknownTaggedFields(&unknown, below: 4)
        writer.writeKafkaTaggedField(tag: 4) { (writer: inout MessageWriter) in writer.writeInt8(0x4) }
        writer.writeUnknownTaggedFields(&unknown, below: nil)
        #expect(unknown.isEmpty)
        let bytes = try #require(writer.finishAsByteBuffer())
        #expect(Array(bytes.readableBytesView) == [1, 1, 0xA, 4, 1, 0x4, 9, 0])
    }
}
