import CCRC32C
import NIOCore

/// CRC-32C (Castagnoli), the checksum of Kafka record batches (magic v2).
///
/// Uses the SSE4.2 `crc32` instruction (three interleaved streams for large buffers) when the
/// CPU has it, detected once at run time, and a pure-Swift slicing-by-8 table otherwise. Both
/// produce identical results. Checksums are "finished" values: start from 0 and feed the
/// previous result to continue over more bytes. Thread-safe (no mutable state).
public enum CRC32C {
    /// Whether the hardware path is in use on this machine.
    public static let isHardwareAccelerated: Bool = martlet_crc32c_hardware_available() != 0

    /// The checksum of `bytes`, continuing from `crc` (0 for a fresh checksum).
    @inlinable
    public static func checksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        if isHardwareAccelerated {
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return crc }
            return martlet_crc32c_hardware(crc, base, bytes.count)
        }
        return softwareChecksum(bytes, continuing: crc)
    }

    /// The checksum of any contiguous byte collection (arrays, `Data`, ...).
    @inlinable
    public static func checksum<Bytes: Sequence>(_ bytes: Bytes, continuing crc: UInt32 = 0) -> UInt32
    where Bytes.Element == UInt8 {
        if let result = bytes.withContiguousStorageIfAvailable({ checksum(UnsafeRawBufferPointer($0), continuing: crc) }) {
            return result
        }
        return Array(bytes).withUnsafeBytes { checksum($0, continuing: crc) }
    }

    /// The checksum of `length` bytes of `buffer` starting at the absolute index `index`.
    /// Returns nil if the range is not inside the buffer's readable bytes.
    @inlinable
    public static func checksum(_ buffer: ByteBuffer, at index: Int, length: Int) -> UInt32? {
        guard index >= buffer.readerIndex, length >= 0, index + length <= buffer.writerIndex else { return nil }
        return buffer.withUnsafeReadableBytes { raw in
            let start = index - buffer.readerIndex
            return checksum(UnsafeRawBufferPointer(rebasing: raw[start..<(start + length)]))
        }
    }

    /// The portable slicing-by-8 implementation (also used to cross-check the hardware path).
    public static func softwareChecksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        var register = ~crc
        var index = 0
        let count = bytes.count
        SoftwareTables.tables.withUnsafeBufferPointer { t in
            while count - index >= 8 {
                let low = UInt32(bytes[index]) | UInt32(bytes[index + 1]) << 8
                    | UInt32(bytes[index + 2]) << 16 | UInt32(bytes[index + 3]) << 24
                let word = register ^ low
                register = t[7 * 256 + Int(word & 0xFF)] ^ t[6 * 256 + Int((word >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((word >> 16) & 0xFF)] ^ t[4 * 256 + Int(word >> 24)]
                    ^ t[3 * 256 + Int(bytes[index + 4])] ^ t[2 * 256 + Int(bytes[index + 5])]
                    ^ t[1 * 256 + Int(bytes[index + 6])] ^ t[Int(bytes[index + 7])]
                index += 8
            }
            while index < count {
                register = t[Int((register ^ UInt32(bytes[index])) & 0xFF)] ^ (register >> 8)
                index += 1
            }
        }
        return ~register
    }

    @usableFromInline
    enum SoftwareTables {
        /// 8 tables of 256 entries: table 0 is the classic byte table, table k advances k bytes.
        static let tables: [UInt32] = {
            var t = [UInt32](repeating: 0, count: 8 * 256)
            for n in 0..<256 {
                var c = UInt32(n)
                for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
                t[n] = c
            }
            for n in 0..<256 {
                var c = t[n]
                for k in 1..<8 {
                    c = t[Int(c & 0xFF)] ^ (c >> 8)
                    t[k * 256 + n] = c
                }
            }
            return t
        }()
    }
}
