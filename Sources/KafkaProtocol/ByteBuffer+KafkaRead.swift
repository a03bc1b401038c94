import NIOCore

/// Readers for Kafka's primitive wire types.
///
/// Every reader either consumes exactly the bytes of one value or throws and leaves the reader
/// index wherever the failure happened (callers discard the buffer on error). Lengths and counts
/// are checked against `readableBytes` before anything is sliced or allocated.
///
/// "Compact" forms (flexible versions) use an unsigned varint of length + 1 with 0 meaning null;
/// classic forms use an int16 (strings) or int32 (bytes, arrays) length with -1 meaning null.
extension ByteBuffer {
    // MARK: Fixed-width values

    @inline(__always)
    mutating func readKafkaInteger<T: FixedWidthInteger>(as type: T.Type = T.self) throws(KafkaProtocolError) -> T {
        guard let value = self.readInteger(as: T.self) else {
            throw .truncated(needed: MemoryLayout<T>.size, readable: self.readableBytes)
        }
        return value
    }

    public mutating func readKafkaInt8() throws(KafkaProtocolError) -> Int8 { try readKafkaInteger() }
    public mutating func readKafkaInt16() throws(KafkaProtocolError) -> Int16 { try readKafkaInteger() }
    public mutating func readKafkaInt32() throws(KafkaProtocolError) -> Int32 { try readKafkaInteger() }
    public mutating func readKafkaInt64() throws(KafkaProtocolError) -> Int64 { try readKafkaInteger() }
    public mutating func readKafkaUInt16() throws(KafkaProtocolError) -> UInt16 { try readKafkaInteger() }
    public mutating func readKafkaUInt32() throws(KafkaProtocolError) -> UInt32 { try readKafkaInteger() }

    /// A boolean: one byte, any non-zero value is true (as in Kafka's Java reader).
    public mutating func readKafkaBool() throws(KafkaProtocolError) -> Bool {
        try readKafkaInteger(as: UInt8.self) != 0
    }

    /// An IEEE 754 double, big-endian.
    public mutating func readKafkaFloat64() throws(KafkaProtocolError) -> Double {
        Double(bitPattern: try readKafkaInteger(as: UInt64.self))
    }

    /// A 16-byte uuid.
    public mutating func readKafkaUUID() throws(KafkaProtocolError) -> KafkaUUID {
        guard self.readableBytes >= 16 else { throw .truncated(needed: 16, readable: self.readableBytes) }
        let high: UInt64 = try readKafkaInteger()
        let low: UInt64 = try readKafkaInteger()
        return KafkaUUID(high: high, low: low)
    }

    // MARK: Varints

    /// An unsigned LEB128 varint of at most 5 bytes (Kafka's `readUnsignedVarint`).
    public mutating func readUnsignedVarint() throws(KafkaProtocolError) -> UInt32 {
        var value: UInt32 = 0
        var shift: UInt32 = 0
        while true {
            let byte: UInt8 = try readKafkaInteger()
            if shift == 28 && byte > 0x0F { throw .invalidVarint }
            value |= UInt32(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
    }

    /// An unsigned LEB128 varint of at most 10 bytes.
    public mutating func readUnsignedVarlong() throws(KafkaProtocolError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte: UInt8 = try readKafkaInteger()
            if shift == 63 && byte > 0x01 { throw .invalidVarint }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
    }

    /// A zigzag-encoded signed 32-bit varint (record fields).
    public mutating func readVarint() throws(KafkaProtocolError) -> Int32 {
        let raw = try readUnsignedVarint()
        return Int32(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    /// A zigzag-encoded signed 64-bit varlong (record fields).
    public mutating func readVarlong() throws(KafkaProtocolError) -> Int64 {
        let raw = try readUnsignedVarlong()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    // MARK: Lengths

    /// A length or count prefix (compact, or classic of `classicWidth` bytes): `nil` for null.
    /// Throws if the value is below -1 or larger than `readableBytes` (a count is bounded the same
    /// way, as Kafka's own readers do, so no count can make a decoder allocate beyond the input).
    @inline(__always)
    mutating func readKafkaLength(compact: Bool, classicWidth: Int) throws(KafkaProtocolError) -> Int? {
        let length: Int
        if compact {
            length = Int(try readUnsignedVarint()) - 1
        } else if classicWidth == 2 {
            length = Int(try readKafkaInt16())
        } else {
            length = Int(try readKafkaInt32())
        }
        if length == -1 { return nil }
        guard length >= 0, length <= self.readableBytes else {
            throw .invalidLength(length, readable: self.readableBytes)
        }
        return length
    }

    @inline(__always)
    mutating func readKafkaNonNullLength(compact: Bool, classicWidth: Int) throws(KafkaProtocolError) -> Int {
        guard let length = try readKafkaLength(compact: compact, classicWidth: classicWidth) else {
            throw .invalidLength(-1, readable: self.readableBytes)
        }
        return length
    }

    // MARK: Strings and bytes

    @inline(__always)
    mutating func readKafkaUTF8(length: Int) throws(KafkaProtocolError) -> String {
        let string: String?
        do {
            string = try self.readUTF8ValidatedString(length: length)
        } catch {
            throw .invalidString
        }
        guard let string else { throw .truncated(needed: length, readable: self.readableBytes) }
        return string
    }

    /// A non-null string (int16 or compact length); null is an error.
    public mutating func readKafkaString(compact: Bool) throws(KafkaProtocolError) -> String {
        try readKafkaUTF8(length: readKafkaNonNullLength(compact: compact, classicWidth: 2))
    }

    /// A nullable string (int16 or compact length).
    public mutating func readKafkaNullableString(compact: Bool) throws(KafkaProtocolError) -> String? {
        guard let length = try readKafkaLength(compact: compact, classicWidth: 2) else { return nil }
        return try readKafkaUTF8(length: length)
    }

    /// Non-null bytes (int32 or compact length) as a zero-copy slice; null is an error.
    public mutating func readKafkaBytes(compact: Bool) throws(KafkaProtocolError) -> ByteBuffer {
        let length = try readKafkaNonNullLength(compact: compact, classicWidth: 4)
        return self.readSlice(length: length) ?? ByteBuffer()  // length was checked above
    }

    /// Nullable bytes (int32 or compact length) as a zero-copy slice.
    public mutating func readKafkaNullableBytes(compact: Bool) throws(KafkaProtocolError) -> ByteBuffer? {
        guard let length = try readKafkaLength(compact: compact, classicWidth: 4) else { return nil }
        return self.readSlice(length: length) ?? ByteBuffer()
    }

    /// A `records` field (length-prefixed like nullable bytes) as a zero-copy `.bytes` slice.
    public mutating func readKafkaRecords(compact: Bool) throws(KafkaProtocolError) -> RecordsPayload? {
        try readKafkaNullableBytes(compact: compact).map { .bytes($0) }
    }

    // MARK: Arrays

    /// The element count of a non-null array (int32 or compact); null is an error. The count is
    /// at most `readableBytes`, so it is safe to reserve capacity for.
    public mutating func readKafkaArrayCount(compact: Bool) throws(KafkaProtocolError) -> Int {
        try readKafkaNonNullLength(compact: compact, classicWidth: 4)
    }

    /// The element count of a nullable array; `nil` for null.
    public mutating func readKafkaNullableArrayCount(compact: Bool) throws(KafkaProtocolError) -> Int? {
        try readKafkaLength(compact: compact, classicWidth: 4)
    }

    /// A non-null array whose elements are read by `element`.
    @inline(__always)
    public mutating func readKafkaArray<Element>(
        compact: Bool,
        _ element: (inout ByteBuffer) throws(KafkaProtocolError) -> Element
    ) throws(KafkaProtocolError) -> [Element] {
        let count = try readKafkaArrayCount(compact: compact)
        return try readKafkaElements(count: count, element)
    }

    /// A nullable array whose elements are read by `element`.
    @inline(__always)
    public mutating func readKafkaNullableArray<Element>(
        compact: Bool,
        _ element: (inout ByteBuffer) throws(KafkaProtocolError) -> Element
    ) throws(KafkaProtocolError) -> [Element]? {
        guard let count = try readKafkaNullableArrayCount(compact: compact) else { return nil }
        return try readKafkaElements(count: count, element)
    }

    @inline(__always)
    mutating func readKafkaElements<Element>(
        count: Int,
        _ element: (inout ByteBuffer) throws(KafkaProtocolError) -> Element
    ) throws(KafkaProtocolError) -> [Element] {
        var elements: [Element] = []
        elements.reserveCapacity(count)
        for _ in 0..<count {
            elements.append(try element(&self))
        }
        return elements
    }

    /// A non-null array of structs.
    public mutating func readKafkaArray<Element: KafkaStruct>(
        of type: Element.Type, version: Int16, compact: Bool
    ) throws(KafkaProtocolError) -> [Element] {
        try readKafkaArray(compact: compact) { (buffer: inout ByteBuffer) throws(KafkaProtocolError) -> Element in
            try Element(from: &buffer, version: version)
        }
    }

    /// A nullable array of structs.
    public mutating func readKafkaNullableArray<Element: KafkaStruct>(
        of type: Element.Type, version: Int16, compact: Bool
    ) throws(KafkaProtocolError) -> [Element]? {
        try readKafkaNullableArray(compact: compact) { (buffer: inout ByteBuffer) throws(KafkaProtocolError) -> Element in
            try Element(from: &buffer, version: version)
        }
    }

    // MARK: Tagged fields

    /// The number of entries in a tagged-field section.
    public mutating func readKafkaTaggedFieldCount() throws(KafkaProtocolError) -> Int {
        Int(try readUnsignedVarint())
    }

    /// One tagged field: tag, size, then `size` bytes returned as a zero-copy slice.
    public mutating func readKafkaTaggedField() throws(KafkaProtocolError) -> TaggedField {
        let tag = try readUnsignedVarint()
        let size = Int(try readUnsignedVarint())
        guard size <= self.readableBytes, let data = self.readSlice(length: size) else {
            throw .invalidLength(size, readable: self.readableBytes)
        }
        return TaggedField(tag: tag, data: data)
    }

    /// A whole tagged-field section when none of its tags is known to the caller.
    public mutating func readKafkaUnknownTaggedFields() throws(KafkaProtocolError) -> [TaggedField] {
        let count = try readKafkaTaggedFieldCount()
        if count == 0 { return [] }
        var fields: [TaggedField] = []
        for _ in 0..<count {
            fields.append(try readKafkaTaggedField())
        }
        return fields
    }
}

extension TaggedField {
    /// Throws unless the known field's value consumed its whole declared size.
    public func requireFullyRead() throws(KafkaProtocolError) {
        if data.readableBytes != 0 { throw .invalidTaggedField(tag: tag) }
    }
}
