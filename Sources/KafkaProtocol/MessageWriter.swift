import NIOCore

/// A piece of an encoded message, in send order.
public enum OutboundSegment: Sendable, Equatable {
    /// Encoded bytes (or an in-memory records payload kept uncopied).
    case bytes(ByteBuffer)
    /// Record bytes to be sent from a file, with `sendfile` where the transport can.
    case file(FileRegion)

    public var byteCount: Int {
        switch self {
        case .bytes(let buffer): buffer.readableBytes
        case .file(let region): region.readableBytes
        }
    }
}

/// Accumulates one encoded message (or a whole response frame) for sending.
///
/// Ordinary fields go into one internal `ByteBuffer`. `writeRecords(_:)` keeps a `.file` payload,
/// and a `.bytes` payload larger than `inlineRecordsLimit`, as its own segment instead of copying
/// it; `finish()` returns the byte chunks (zero-copy slices of the internal buffer) interleaved
/// with those segments. A value type with a single owner: not meant to be shared while writing.
public struct MessageWriter: Sendable {
    /// `.bytes` records payloads up to this size are copied inline; larger ones stay separate.
    public static let inlineRecordsLimit = 16 * 1024

    private struct External: Sendable {
        /// Index in `buffer` the segment follows.
        var position: Int
        var segment: OutboundSegment
    }

    private var buffer: ByteBuffer
    private var externals: [External] = []
    private var externalByteCount = 0

    public init(allocator: ByteBufferAllocator = ByteBufferAllocator(), capacity: Int = 256) {
        self.buffer = allocator.buffer(capacity: capacity)
    }

    /// Total bytes written so far, external segments included.
    public var byteCount: Int { buffer.readableBytes + externalByteCount }

    /// Appends a records payload's body (the length prefix is the caller's, see
    /// `writeKafkaRecords(_:compact:)`).
    public mutating func writeRecords(_ records: RecordsPayload) {
        switch records {
        case .bytes(let bytes) where bytes.readableBytes <= Self.inlineRecordsLimit:
            buffer.writeImmutableBuffer(bytes)
        case .bytes(let bytes):
            appendExternal(.bytes(bytes))
        case .file(let region):
            appendExternal(.file(region))
        }
    }

    private mutating func appendExternal(_ segment: OutboundSegment) {
        externals.append(External(position: buffer.writerIndex, segment: segment))
        externalByteCount += segment.byteCount
    }

    /// The message as segments in send order; empty chunks are left out.
    public consuming func finish() -> [OutboundSegment] {
        var segments: [OutboundSegment] = []
        segments.reserveCapacity(externals.count * 2 + 1)
        var start = buffer.readerIndex
        for external in externals {
            if external.position > start, let chunk = buffer.getSlice(at: start, length: external.position - start) {
                segments.append(.bytes(chunk))
            }
            segments.append(external.segment)
            start = external.position
        }
        if buffer.writerIndex > start, let chunk = buffer.getSlice(at: start, length: buffer.writerIndex - start) {
            segments.append(.bytes(chunk))
        }
        return segments
    }

    /// The message as one buffer (copying any separate `.bytes` payloads into it), or `nil` if it
    /// holds a `.file` segment. Meant for tests and for messages that never carry file records.
    public consuming func finishAsByteBuffer() -> ByteBuffer? {
        if externals.isEmpty { return buffer }
        var result = ByteBuffer()
        result.reserveCapacity(byteCount)
        for segment in finish() {
            guard case .bytes(let bytes) = segment else { return nil }
            result.writeImmutableBuffer(bytes)
        }
        return result
    }

    // MARK: Size prefix

    /// A reserved 4-byte size field, see `openSizePrefix()`.
    public struct SizePrefix: Sendable {
        fileprivate var bufferIndex: Int
        fileprivate var byteCountAfter: Int
    }

    /// Reserves an int32 size field (a Kafka frame's length). Close it with `closeSizePrefix(_:)`.
    public mutating func openSizePrefix() -> SizePrefix {
        let index = buffer.writerIndex
        buffer.writeInteger(Int32(0))
        return SizePrefix(bufferIndex: index, byteCountAfter: byteCount)
    }

    /// Fills in the size field with the number of bytes written since it was opened.
    public mutating func closeSizePrefix(_ prefix: SizePrefix) {
        buffer.setInteger(Int32(truncatingIfNeeded: byteCount - prefix.byteCountAfter), at: prefix.bufferIndex)
    }

    // MARK: Primitives

    public mutating func writeInt8(_ value: Int8) { buffer.writeInteger(value) }
    public mutating func writeInt16(_ value: Int16) { buffer.writeInteger(value) }
    public mutating func writeInt32(_ value: Int32) { buffer.writeInteger(value) }
    public mutating func writeInt64(_ value: Int64) { buffer.writeInteger(value) }
    public mutating func writeUInt16(_ value: UInt16) { buffer.writeInteger(value) }
    public mutating func writeUInt32(_ value: UInt32) { buffer.writeInteger(value) }
    public mutating func writeBool(_ value: Bool) { buffer.writeKafkaBool(value) }
    public mutating func writeFloat64(_ value: Double) { buffer.writeKafkaFloat64(value) }
    public mutating func writeUUID(_ value: KafkaUUID) { buffer.writeKafkaUUID(value) }
    public mutating func writeUnsignedVarint(_ value: UInt32) { buffer.writeUnsignedVarint(value) }
    public mutating func writeVarint(_ value: Int32) { buffer.writeVarint(value) }
    public mutating func writeVarlong(_ value: Int64) { buffer.writeVarlong(value) }

    /// Appends raw bytes (no length prefix).
    public mutating func writeRawBytes(_ bytes: ByteBuffer) { buffer.writeImmutableBuffer(bytes) }

    public mutating func writeKafkaString(_ value: String, compact: Bool) {
        buffer.writeKafkaString(value, compact: compact)
    }

    public mutating func writeKafkaNullableString(_ value: String?, compact: Bool) {
        buffer.writeKafkaNullableString(value, compact: compact)
    }

    public mutating func writeKafkaBytes(_ value: ByteBuffer, compact: Bool) {
        buffer.writeKafkaBytes(value, compact: compact)
    }

    public mutating func writeKafkaNullableBytes(_ value: ByteBuffer?, compact: Bool) {
        buffer.writeKafkaNullableBytes(value, compact: compact)
    }

    /// A `records` field: length prefix (as nullable bytes), then the payload.
    public mutating func writeKafkaRecords(_ records: RecordsPayload?, compact: Bool) {
        buffer.writeKafkaLength(records?.byteCount, compact: compact, classicWidth: 4)
        if let records { writeRecords(records) }
    }

    // MARK: Arrays

    public mutating func writeKafkaArrayCount(_ count: Int?, compact: Bool) {
        buffer.writeKafkaLength(count, compact: compact, classicWidth: 4)
    }

    /// A non-null array whose elements are written by `element`.
    @inline(__always)
    public mutating func writeKafkaArray<Element>(
        _ elements: [Element], compact: Bool, _ element: (inout MessageWriter, Element) -> Void
    ) {
        writeKafkaArrayCount(elements.count, compact: compact)
        for value in elements { element(&self, value) }
    }

    /// A nullable array whose elements are written by `element`.
    @inline(__always)
    public mutating func writeKafkaNullableArray<Element>(
        _ elements: [Element]?, compact: Bool, _ element: (inout MessageWriter, Element) -> Void
    ) {
        guard let elements else {
            writeKafkaArrayCount(nil, compact: compact)
            return
        }
        writeKafkaArray(elements, compact: compact, element)
    }

    /// A non-null array of structs.
    public mutating func writeKafkaArray<Element: KafkaStruct>(_ elements: [Element], version: Int16, compact: Bool) {
        writeKafkaArrayCount(elements.count, compact: compact)
        for value in elements { value.encode(to: &self, version: version) }
    }

    /// A nullable array of structs.
    public mutating func writeKafkaNullableArray<Element: KafkaStruct>(
        _ elements: [Element]?, version: Int16, compact: Bool
    ) {
        guard let elements else {
            writeKafkaArrayCount(nil, compact: compact)
            return
        }
        writeKafkaArray(elements, version: version, compact: compact)
    }

    // MARK: Tagged fields

    /// A tagged-field section holding only unknown fields.
    public mutating func writeKafkaTaggedFields(_ fields: [TaggedField]) {
        buffer.writeKafkaTaggedFields(fields)
    }

    /// Writes the leading entries of `fields` whose tag is below `tag` (all of them for `nil`) and
    /// drops them from `fields`: generated encoders merge unknown fields in ascending tag order
    /// between the known ones. Writes no count; the caller wrote the section's count.
    public mutating func writeUnknownTaggedFields(_ fields: inout ArraySlice<TaggedField>, below tag: UInt32?) {
        while let first = fields.first, tag.map({ first.tag < $0 }) ?? true {
            buffer.writeKafkaTaggedField(first)
            fields.removeFirst()
        }
    }

    /// One known tagged field: tag, size, then the value `body` writes. The value must not
    /// contain records (tagged fields never do).
    public mutating func writeKafkaTaggedField(tag: UInt32, _ body: (inout MessageWriter) -> Void) {
        buffer.writeUnsignedVarint(tag)
        let sizeIndex = buffer.writerIndex
        buffer.writeInteger(UInt8(0))  // room for a size below 128, the common case
        body(&self)
        let size = buffer.writerIndex - sizeIndex - 1
        if size < 0x80 {
            buffer.setInteger(UInt8(size), at: sizeIndex)
        } else {
            let value = buffer.getBytes(at: sizeIndex + 1, length: size) ?? []
            buffer.moveWriterIndex(to: sizeIndex)
            buffer.writeUnsignedVarint(UInt32(truncatingIfNeeded: size))
            buffer.writeBytes(value)
        }
    }
}
