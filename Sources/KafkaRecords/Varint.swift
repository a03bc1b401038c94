import NIOCore

/// Kafka's zig-zag variable-length integers (protobuf-style base-128, `ByteUtils.readVarint`).
public enum Varint {
    /// Reads a zig-zag varint of at most 5 bytes at `position`, advancing it. Nil if malformed
    /// or past the end.
    @inlinable @inline(__always)
    public static func readInt32(_ bytes: UnsafeRawBufferPointer, _ position: inout Int) -> Int32? {
        guard let raw = readUnsigned(bytes, &position, maxBytes: 5), raw <= UInt64(UInt32.max) else { return nil }
        let value = UInt32(truncatingIfNeeded: raw)
        return Int32(bitPattern: (value >> 1) ^ (0 &- (value & 1)))
    }

    /// Reads a zig-zag varlong of at most 10 bytes at `position`, advancing it.
    @inlinable @inline(__always)
    public static func readInt64(_ bytes: UnsafeRawBufferPointer, _ position: inout Int) -> Int64? {
        guard let value = readUnsigned(bytes, &position, maxBytes: 10) else { return nil }
        return Int64(bitPattern: (value >> 1) ^ (0 &- (value & 1)))
    }

    /// Reads a base-128 varint; one- and two-byte values (most record fields) take the inline
    /// path.
    @inlinable @inline(__always)
    static func readUnsigned(_ bytes: UnsafeRawBufferPointer, _ position: inout Int, maxBytes: Int) -> UInt64? {
        let index = position
        guard index < bytes.count else { return nil }
        let first = bytes[index]
        guard first & 0x80 != 0 else {
            position = index + 1
            return UInt64(first)
        }
        if index + 1 < bytes.count {
            let second = bytes[index + 1]
            if second & 0x80 == 0 {
                position = index + 2
                return UInt64(first & 0x7F) | UInt64(second) << 7
            }
        }
        return readUnsignedMultiByte(bytes, &position, maxBytes: maxBytes)
    }

    @usableFromInline
    static func readUnsignedMultiByte(_ bytes: UnsafeRawBufferPointer, _ position: inout Int, maxBytes: Int) -> UInt64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var index = position
        for _ in 0..<maxBytes {
            guard index < bytes.count else { return nil }
            let byte = bytes[index]
            index += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 {
                position = index
                return result
            }
            shift += 7
        }
        return nil
    }

    /// Writes `value` as a zig-zag varint.
    public static func write(_ value: Int32, to buffer: inout ByteBuffer) {
        writeUnsigned(UInt64(UInt32(bitPattern: (value << 1) ^ (value >> 31))), to: &buffer)
    }

    /// Writes `value` as a zig-zag varlong.
    public static func write(_ value: Int64, to buffer: inout ByteBuffer) {
        writeUnsigned(UInt64(bitPattern: (value << 1) ^ (value >> 63)), to: &buffer)
    }

    /// The encoded size of a zig-zag varint.
    public static func size(_ value: Int32) -> Int {
        unsignedSize(UInt64(UInt32(bitPattern: (value << 1) ^ (value >> 31))))
    }

    /// The encoded size of a zig-zag varlong.
    public static func size(_ value: Int64) -> Int {
        unsignedSize(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    static func writeUnsigned(_ value: UInt64, to buffer: inout ByteBuffer) {
        var v = value
        while v >= 0x80 {
            buffer.writeInteger(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        buffer.writeInteger(UInt8(v))
    }

    static func unsignedSize(_ value: UInt64) -> Int {
        var v = value
        var size = 1
        while v >= 0x80 {
            v >>= 7
            size += 1
        }
        return size
    }
}
