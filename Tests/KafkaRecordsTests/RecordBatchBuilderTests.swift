import BrokerCore
import NIOCore
import Testing

@testable import KafkaRecords

@Suite struct RecordBatchBuilderTests {
    @Test func buildsAValidBatchWithConsecutiveOffsetDeltas() throws {
        var builder = RecordBatchBuilder(producerID: ProducerID(4), producerEpoch: ProducerEpoch(1), baseSequence: 10)
        for index in 0..<10 { builder.append(key: nil, value: [UInt8(index)], timestamp: 1_000 + Int64(index)) }
        #expect(builder.recordCount == 10)
        let batch = builder.build()
        let header = try RecordBatchValidator.checkIntegrity(batch, at: 0)
        try RecordBatchValidator.checkClientBatch(header)
        try RecordBatchValidator.checkRecords(batch, at: 0, header: header)
        #expect(header.lastOffsetDelta == 9)
        #expect(header.baseTimestamp == 1_000)
        #expect(header.maxTimestamp == 1_009)
        var decoder = try RecordDecoder(batchIn: batch, at: 0)
        #expect(try decoder.collect().map(\.offsetDelta) == Array(0..<10))
    }

    @Test func assembleWrapsAnOpaquePayload() throws {
        let payload = ByteBuffer(bytes: [1, 2, 3, 4, 5])
        let batch = RecordBatchBuilder.assemble(
            baseOffset: Offset(3), partitionLeaderEpoch: LeaderEpoch(1), attributes: RecordBatchAttributes(compression: .snappy),
            lastOffsetDelta: 4, baseTimestamp: 7, maxTimestamp: 9, recordsCount: 5, payload: payload)
        let header = try RecordBatchValidator.checkIntegrity(batch, at: 0)
        #expect(header.totalSize == 61 + 5)
        #expect(batch.getSlice(at: 61, length: 5) == payload)
        #expect(header.attributes.compression == .snappy)
    }
}
