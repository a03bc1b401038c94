import NIOCore

/// Writers for Kafka's primitive wire types, the inverse of `ByteBuffer+KafkaRead.swift`.
///
/// Values that cannot be represented are clamped rather than trapping: a classic (int16-length)
/// string longer than 32767 UTF-8 bytes is cut at the last whole character that fits, as the wire
/// format has no way to carry more.
extension ByteBuffer {
    // MARK: Varints

    public mutating func writeUnsignedVarint(_ value: UInt32) {
        var value = value
        while value >= 0x80 {
            self.writeInteger(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        self.writeInteger(UInt8(value))
    }

    public mutating func writeUnsignedVarlong(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            self.writeInteger(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        self.writeInteger(UInt8(value))
    }

    /// A zigzag-encoded signed 32-bit varint.
    public mutating func writeVarint(_ value: Int32) {
        writeUnsignedVarint(UInt32(bitPattern: (value << 1) ^ (value >> 31)))
    }

    /// A zigzag-encoded signed 64-bit varlong.
    public mutating func writeVarlong(_ value: Int64) {
        writeUnsignedVarlong(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    /// The number of bytes `writeUnsignedVarint(value)` writes.
    public static func unsignedVarintSize(_ value: UInt32) -> Int {
        var size = 1
        var value = value >> 7
        while value != 0 {
            size += 1
            value >>= 7
        }
        return size
    }

    // MARK: Fixed-width values

    public mutating func writeKafkaBool(_ value: Bool) {
        self.writeInteger(UInt8(value ? 1 : 0))
    }

    public mutating func writeKafkaFloat64(_ value: Double) {
        self.writeInteger(value.bitPattern)
    }

    public mutating func writeKafkaUUID(_ value: KafkaUUID) {
        self.writeInteger(value.high)
        self.writeInteger(value.low)
    }

    // MARK: Lengths, strings, bytes

    /// A length or count prefix; `nil` writes the null marker.
    public mutating func writeKafkaLength(_ length: Int?, compact: Bool, classicWidth: Int) {
        if compact {
            writeUnsignedVarint(length.map { UInt32(truncatingIfNeeded: $0 + 1) } ?? 0)
        } else if classicWidth == 2 {
            self.writeInteger(Int16(truncatingIfNeeded: length ?? -1))
        } else {
            self.writeInteger(Int32(truncatingIfNeeded: length ?? -1))
        }
    }

    public mutating func writeKafkaString(_ value: String, compact: Bool) {
        let byteCount = value.utf8.count
        if compact || byteCount <= Int(Int16.max) {
            writeKafkaLength(byteCount, compact: compact, classicWidth: 2)
            self.writeString(value)
            return
        }
        // A classic string cannot carry more than Int16.max bytes: cut at a character boundary.
        let utf8 = value.utf8
        var end = utf8.index(utf8.startIndex, offsetBy: Int(Int16.max))
        while end > utf8.startIndex && UTF8.isContinuation(utf8[end]) {
            end = utf8.index(before: end)
        }
        let prefix = utf8[..<end]
        writeKafkaLength(prefix.count, compact: false, classicWidth: 2)
        self.writeBytes(prefix)
    }

    public mutating func writeKafkaNullableString(_ value: String?, compact: Bool) {
        guard let value else {
            writeKafkaLength(nil, compact: compact, classicWidth: 2)
            return
        }
        writeKafkaString(value, compact: compact)
    }

    public mutating func writeKafkaBytes(_ value: ByteBuffer, compact: Bool) {
        writeKafkaLength(value.readableBytes, compact: compact, classicWidth: 4)
        self.writeImmutableBuffer(value)
    }

    public mutating func writeKafkaNullableBytes(_ value: ByteBuffer?, compact: Bool) {
        guard let value else {
            writeKafkaLength(nil, compact: compact, classicWidth: 4)
            return
        }
        writeKafkaBytes(value, compact: compact)
    }

    // MARK: Tagged fields

    /// A complete tagged-field section holding only `fields` (count, then tag/size/value each).
    public mutating func writeKafkaTaggedFields(_ fields: [TaggedField]) {
        writeUnsignedVarint(UInt32(truncatingIfNeeded: fields.count))
        for field in fields {
            writeKafkaTaggedField(field)
        }
    }

    /// One tagged field: tag, size, value bytes.
    public mutating func writeKafkaTaggedField(_ field: TaggedField) {
        writeUnsignedVarint(field.tag)
        writeUnsignedVarint(UInt32(truncatingIfNeeded: field.data.readableBytes))
        self.writeImmutableBuffer(field.data)
    }
}
