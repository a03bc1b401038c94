import BrokerCore
import NIOCore
import Testing

@testable import KafkaRecords

@Suite struct RecordBatchRewriterTests {
    @Test func baseOffsetAndLeaderEpochAreOutsideTheCRC() throws {
        var buffer = ByteBuffer(bytes: [0xAA])
        var batch = Batches.make(count: 4)
        buffer.writeBuffer(&batch)
        RecordBatchRewriter.setBaseOffset(Offset(1_000), in: &buffer, batchAt: 1)
        RecordBatchRewriter.setPartitionLeaderEpoch(LeaderEpoch(12), in: &buffer, batchAt: 1)
        let header = try RecordBatchValidator.checkIntegrity(buffer, at: 1)
        #expect(header.baseOffset == Offset(1_000))
        #expect(header.lastOffset == Offset(1_003))
        #expect(header.partitionLeaderEpoch == LeaderEpoch(12))
        #expect(buffer.getInteger(at: 0, as: UInt8.self) == 0xAA)
    }

    @Test func logAppendTimeRewritesAttributesAndMaxTimestampWithAValidCRC() throws {
        var batch = Batches.make(count: 2, timestamp: 10)
        let before = try RecordBatchValidator.checkIntegrity(batch, at: 0)
        RecordBatchRewriter.setLogAppendTime(99_999, in: &batch, batchAt: 0)
        let after = try RecordBatchValidator.checkIntegrity(batch, at: 0)
        #expect(after.attributes.timestampType == .logAppendTime)
        #expect(after.maxTimestamp == 99_999)
        #expect(after.baseTimestamp == before.baseTimestamp)
        #expect(after.crc != before.crc)
        var decoder = try RecordDecoder(batchIn: batch, at: 0)
        let records = try decoder.collect()
        #expect(records.map { $0.timestamp(in: after) } == [99_999, 99_999])
    }
}
