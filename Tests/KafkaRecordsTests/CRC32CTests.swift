import CCRC32C
import Testing

@testable import KafkaRecords

@Suite struct CRC32CTests {
    @Test func standardCheckValue() {
        let bytes = Array("123456789".utf8)
        #expect(CRC32C.checksum(bytes) == 0xE306_9283)
        #expect(bytes.withUnsafeBytes { CRC32C.softwareChecksum($0) } == 0xE306_9283)
    }

    @Test func hardwarePathIsAvailableOnThisMachineAndMatchesCheckValue() {
        // The CI machines are x86-64 with SSE4.2; the software path is tested separately.
        guard CRC32C.isHardwareAccelerated else { return }
        let bytes = Array("123456789".utf8)
        #expect(bytes.withUnsafeBytes { martlet_crc32c_hardware(0, $0.baseAddress!, $0.count) } == 0xE306_9283)
    }

    @Test func emptyInputLeavesTheChecksumUnchanged() {
        #expect(CRC32C.checksum([UInt8]()) == 0)
        #expect(CRC32C.checksum([UInt8](), continuing: 0x1234) == 0x1234)
    }

    @Test func hardwareAndSoftwareAgreeOnManyLengthsAndAlignments() {
        var generator = SplitMix64(seed: 42)
        let pool = (0..<(200_000 + 64)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let lengths = Array(0...300) + [767, 768, 769, 2303, 24575, 24576, 24577, 49_160, 100_003, 200_000]
        pool.withUnsafeBytes { raw in
            for length in lengths {
                for alignment in [0, 1, 3, 7, 13] {
                    let slice = UnsafeRawBufferPointer(rebasing: raw[alignment..<(alignment + length)])
                    let software = CRC32C.softwareChecksum(slice)
                    #expect(CRC32C.checksum(slice) == software, "length \(length) alignment \(alignment)")
                    if CRC32C.isHardwareAccelerated, let base = slice.baseAddress {
                        #expect(martlet_crc32c_hardware(0, base, length) == software, "length \(length) alignment \(alignment)")
                    }
                }
            }
        }
    }

    @Test func continuingEqualsOneShot() {
        var generator = SplitMix64(seed: 7)
        let bytes = (0..<70_000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let whole = CRC32C.checksum(bytes)
        for split in [0, 1, 100, 24_576, 69_999, 70_000] {
            let first = CRC32C.checksum(bytes[..<split])
            #expect(CRC32C.checksum(bytes[split...], continuing: first) == whole)
            let softFirst = bytes[..<split].withUnsafeBytes { CRC32C.softwareChecksum($0) }
            #expect(bytes[split...].withUnsafeBytes { CRC32C.softwareChecksum($0, continuing: softFirst) } == whole)
        }
    }

    @Test func shiftEqualsFeedingZeroBytes() {
        // Raw register after n zero bytes == shift(register, n).
        for (register, length) in [(UInt32(0xDEAD_BEEF), 1), (0x1234_5678, 8), (0xFFFF_FFFF, 8192), (1, 1000)] {
            var expected = register
            for _ in 0..<length {
                for _ in 0..<8 { expected = (expected & 1) != 0 ? (expected >> 1) ^ 0x82F6_3B78 : expected >> 1 }
            }
            #expect(martlet_crc32c_shift(register, UInt64(length)) == expected)
        }
    }

    @Test func byteBufferRangeChecksum() {
        var buffer = ByteBufferFixture.make([0, 0, 0] + Array("123456789".utf8))
        buffer.moveReaderIndex(forwardBy: 1)
        #expect(CRC32C.checksum(buffer, at: 3, length: 9) == 0xE306_9283)
        #expect(CRC32C.checksum(buffer, at: 0, length: 9) == nil)
        #expect(CRC32C.checksum(buffer, at: 4, length: 9) == nil)
    }
}
