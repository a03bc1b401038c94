import BrokerCore
import NIOCore
import Testing

@testable import KafkaRecords

@Suite struct RecordDecoderTests {
    @Test func decodesKeysValuesHeadersAndNulls() throws {
        var builder = RecordBatchBuilder(baseOffset: Offset(50))
        builder.append(key: Array("a".utf8), value: Array("hello".utf8), headers: [RecordHeader(key: "h", value: [7])], timestamp: 100)
        builder.append(key: nil as [UInt8]?, value: nil, headers: [RecordHeader(key: "n", value: nil)], timestamp: 90)
        builder.append(key: [], value: [], timestamp: 120)
        let batch = builder.build()
        let header = try RecordBatchValidator.checkIntegrity(batch, at: 0)
        var decoder = try RecordDecoder(batchIn: batch, at: 0)
        let records = try decoder.collect()
        #expect(records.count == 3)
        #expect(records[0].key == ByteBuffer(string: "a"))
        #expect(records[0].value == ByteBuffer(string: "hello"))
        #expect(records[0].headers == [RecordHeader(key: "h", value: [7])])
        #expect(records[1].key == nil)
        #expect(records[1].value == nil)
        #expect(records[1].headers[0].value == nil)
        #expect(records[2].key == ByteBuffer())
        #expect(records.map { $0.offset(in: header) } == [Offset(50), Offset(51), Offset(52)])
        #expect(records.map { $0.timestamp(in: header) } == [100, 90, 120])
        #expect(header.maxTimestamp == 120)
    }

    @Test func refusesCompressedBatches() {
        let compressed = RecordBatchBuilder.assemble(
            baseOffset: .zero, partitionLeaderEpoch: .unknown, attributes: RecordBatchAttributes(compression: .gzip),
            lastOffsetDelta: 0, baseTimestamp: 0, maxTimestamp: 0, recordsCount: 1, payload: ByteBuffer(bytes: [1, 2]))
        #expect(throws: RecordBatchError.self) { try RecordDecoder(batchIn: compressed, at: 0) }
    }

    @Test func malformedRecordIsAnErrorNotACrash() throws {
        var generator = SplitMix64(seed: 3)
        for _ in 0..<300 {
            let payload = (0..<Int(generator.next() % 40)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let batch = RecordBatchBuilder.assemble(
                baseOffset: .zero, partitionLeaderEpoch: .unknown, attributes: RecordBatchAttributes(), lastOffsetDelta: 1,
                baseTimestamp: 0, maxTimestamp: 0, recordsCount: 2, payload: ByteBuffer(bytes: payload))
            var decoder = try RecordDecoder(batchIn: batch, at: 0)
            _ = try? decoder.collect()
        }
    }
}
