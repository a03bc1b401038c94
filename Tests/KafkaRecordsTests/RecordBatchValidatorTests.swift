import BrokerCore
import NIOCore
import Testing

@testable import KafkaRecords

@Suite struct RecordBatchValidatorTests {
    @Test func acceptsAValidBatch() throws {
        let batch = Batches.make(count: 5)
        let header = try RecordBatchValidator.checkIntegrity(batch, at: 0)
        try RecordBatchValidator.checkClientBatch(header)
        try RecordBatchValidator.checkRecords(batch, at: 0, header: header)
    }

    @Test func detectsEverySingleBitFlipAfterTheCRCField() throws {
        let batch = Batches.make(count: 2)
        for byte in RecordBatchHeader.FieldOffset.attributes..<batch.readableBytes {
            var damaged = batch
            damaged.setInteger(damaged.getInteger(at: byte, as: UInt8.self)! ^ 0x10, at: byte)
            #expect(throws: RecordBatchError.self) { try RecordBatchValidator.checkIntegrity(damaged, at: 0) }
        }
    }

    @Test func crcMismatchIsCorruption() throws {
        var batch = Batches.make(count: 1)
        batch.setInteger(UInt32(0), at: RecordBatchHeader.FieldOffset.crc)
        do {
            _ = try RecordBatchValidator.checkIntegrity(batch, at: 0)
            Issue.record("expected a CRC error")
        } catch {
            guard case .crcMismatch = error else { Issue.record("wrong error \(error)"); return }
            #expect(error.isCorruption)
        }
    }

    @Test func framingErrors() {
        let batch = Batches.make(count: 1)
        let truncated = batch.getSlice(at: 0, length: batch.readableBytes - 1)!
        #expect(throws: RecordBatchError.truncated(needed: batch.readableBytes, available: batch.readableBytes - 1)) {
            try RecordBatchValidator.checkIntegrity(truncated, at: 0)
        }
        var shortLength = batch
        shortLength.setInteger(Int32(48), at: 8)
        #expect(throws: RecordBatchError.invalidBatchLength(48)) { try RecordBatchValidator.checkIntegrity(shortLength, at: 0) }
        var magic = batch
        magic.setInteger(Int8(1), at: 16)
        #expect(throws: RecordBatchError.unsupportedMagic(1)) { try RecordBatchValidator.checkIntegrity(magic, at: 0) }
        #expect(throws: RecordBatchError.invalidBatchLength(Int32(batch.readableBytes - 12))) {
            try RecordBatchValidator.checkIntegrity(batch, at: 0, maxBatchSize: 70)
        }
        #expect(throws: RecordBatchError.self) { try RecordBatchValidator.checkIntegrity(ByteBuffer(bytes: [0, 0, 0]), at: 0) }
    }

    @Test func clientRulesMatchKafkasLogValidator() throws {
        let good = try RecordBatchValidator.checkIntegrity(Batches.make(count: 3), at: 0)
        var header = good
        header.lastOffsetDelta = -1
        #expect(throws: RecordBatchError.invalidOffsetRange(lastOffsetDelta: -1)) { try RecordBatchValidator.checkClientBatch(header) }
        header = good
        header.recordsCount = 0
        #expect(throws: RecordBatchError.invalidRecordCount(0)) { try RecordBatchValidator.checkClientBatch(header) }
        header = good
        header.recordsCount = 2
        #expect(throws: RecordBatchError.inconsistentRecordCount(lastOffsetDelta: 2, recordsCount: 2)) {
            try RecordBatchValidator.checkClientBatch(header)
        }
        header = good
        header.attributes = RecordBatchAttributes(isControl: true)
        #expect(throws: RecordBatchError.controlBatchFromClient) { try RecordBatchValidator.checkClientBatch(header) }
        header = good
        header.producerID = ProducerID(1)
        header.baseSequence = -1
        #expect(throws: RecordBatchError.invalidSequence(producerID: ProducerID(1), baseSequence: -1)) {
            try RecordBatchValidator.checkClientBatch(header)
        }
        header = good
        header.attributes = RecordBatchAttributes(rawValue: 6)
        #expect(throws: RecordBatchError.invalidCompression(6)) { try RecordBatchValidator.checkClientBatch(header) }
        #expect(!RecordBatchError.controlBatchFromClient.isCorruption)
    }

    @Test func recordWalkRejectsWrongCountsAndFraming() throws {
        // Header claims 3 records but holds 2 (lastOffsetDelta also 2, so the client rules pass).
        var builder = RecordBatchBuilder()
        builder.append(key: [1], value: [2], timestamp: 1)
        builder.append(key: [1], value: [2], timestamp: 1)
        var payload = builder.build()
        payload.moveReaderIndex(forwardBy: RecordBatchHeader.size)
        let lying = RecordBatchBuilder.assemble(
            baseOffset: .zero, partitionLeaderEpoch: .unknown, attributes: RecordBatchAttributes(), lastOffsetDelta: 2,
            baseTimestamp: 1, maxTimestamp: 1, recordsCount: 3, payload: payload)
        let header = try RecordBatchValidator.checkIntegrity(lying, at: 0)
        try RecordBatchValidator.checkClientBatch(header)
        #expect(throws: RecordBatchError.self) { try RecordBatchValidator.checkRecords(lying, at: 0, header: header) }

        let garbage = RecordBatchBuilder.assemble(
            baseOffset: .zero, partitionLeaderEpoch: .unknown, attributes: RecordBatchAttributes(), lastOffsetDelta: 0,
            baseTimestamp: 1, maxTimestamp: 1, recordsCount: 1, payload: ByteBuffer(bytes: [0x7F, 1, 2]))
        let garbageHeader = try RecordBatchValidator.checkIntegrity(garbage, at: 0)
        #expect(throws: RecordBatchError.self) { try RecordBatchValidator.checkRecords(garbage, at: 0, header: garbageHeader) }
    }

    @Test func compressedPayloadIsNotInterpreted() throws {
        let compressed = RecordBatchBuilder.assemble(
            baseOffset: .zero, partitionLeaderEpoch: .unknown, attributes: RecordBatchAttributes(compression: .lz4),
            lastOffsetDelta: 9, baseTimestamp: 1, maxTimestamp: 9, recordsCount: 10,
            payload: ByteBuffer(bytes: [0xDE, 0xAD, 0xBE, 0xEF]))
        let header = try RecordBatchValidator.checkIntegrity(compressed, at: 0)
        try RecordBatchValidator.checkClientBatch(header)
        try RecordBatchValidator.checkRecords(compressed, at: 0, header: header)
    }
}
