import BrokerCore
import KafkaRecords
import NIOCore
import Testing

@testable import LogStorage

@Suite struct PartitionLogLookupTests {
    @Test func timestampLookupFindsTheFirstRecordAtOrAfter() throws {
        let fixture = LogFixture()
        let log = try fixture.open()
        // Batch i holds 4 records with timestamps 1000 + 10i ... 1000 + 10i + 3.
        for index in 0..<40 {
            try log.append(records: TestBatches.make(count: 4, tag: index, timestamp: 1_000 + Int64(10 * index)), leaderEpoch: LeaderEpoch(1))
        }
        try #require(log.segmentCount > 1)
        #expect(try log.offset(forTimestamp: 0)?.offset == .zero)
        #expect(try log.offset(forTimestamp: 1_000)?.offset == .zero)
        #expect(try log.offset(forTimestamp: 1_002) == TimestampAndOffset(timestamp: 1_002, offset: Offset(2), leaderEpoch: LeaderEpoch(1)))
        #expect(try log.offset(forTimestamp: 1_004)?.offset == Offset(4))  // next batch's first record (ts 1010)
        #expect(try log.offset(forTimestamp: 1_004)?.timestamp == 1_010)
        #expect(try log.offset(forTimestamp: 1_391)?.offset == Offset(157))
        #expect(try log.offset(forTimestamp: 1_394) == nil)
    }

    @Test func timestampLookupAnswersWithTheBaseOffsetOfACompressedBatch() throws {
        let log = try LogFixture().open()
        try log.append(records: TestBatches.make(count: 3, timestamp: 100), leaderEpoch: .zeroEpoch)
        try log.append(records: TestBatches.compressed(count: 5, timestamp: 200), leaderEpoch: .zeroEpoch)
        #expect(try log.offset(forTimestamp: 202) == TimestampAndOffset(timestamp: 204, offset: Offset(3), leaderEpoch: .zeroEpoch))
    }

    @Test func earliestLatestAndMaxTimestamp() throws {
        let log = try LogFixture().open()
        try log.append(records: TestBatches.make(count: 3, timestamp: 500), leaderEpoch: LeaderEpoch(1))
        try log.append(records: TestBatches.make(count: 3, timestamp: 900), leaderEpoch: LeaderEpoch(2))
        try log.append(records: TestBatches.make(count: 3, timestamp: 700), leaderEpoch: LeaderEpoch(2))
        #expect(try log.offset(for: .earliest) == TimestampAndOffset(timestamp: -1, offset: .zero, leaderEpoch: LeaderEpoch(1)))
        #expect(try log.offset(for: .latest) == TimestampAndOffset(timestamp: -1, offset: Offset(9), leaderEpoch: LeaderEpoch(2)))
        #expect(try log.offset(for: .maxTimestamp) == TimestampAndOffset(timestamp: 902, offset: Offset(5), leaderEpoch: LeaderEpoch(2)))
        #expect(OffsetLookup(kafkaTimestamp: -3) == .maxTimestamp)
        #expect(OffsetLookup(kafkaTimestamp: -7) == nil)
    }

    @Test func offsetIndexLookupReturnsTheGreatestLowerBound() throws {
        let fixture = LogFixture(config: LogConfig(segmentBytes: 1 << 20, retentionMs: -1, indexIntervalBytes: 1, segmentIndexBytes: 4096))
        let log = try fixture.open()
        for index in 0..<10 { try log.append(records: TestBatches.make(count: 2, tag: index), leaderEpoch: .zeroEpoch) }
        let batchSize = Int64(TestBatches.make(count: 2).readableBytes)
        let segment = log.snapshot.segment(at: 0)
        // The first batch gets no entry; each later batch gets (lastOffset, position).
        #expect(segment.offsetIndex.count == 9)
        #expect(segment.offsetIndex.lookup(Offset(0)) == 0)
        #expect(segment.offsetIndex.lookup(Offset(2)) == 0)
        #expect(segment.offsetIndex.lookup(Offset(3)) == batchSize)
        #expect(segment.offsetIndex.lookup(Offset(19)) == 9 * batchSize)
        #expect(segment.timeIndex.count > 0)
    }

    @Test func batchHeaderIterationFromAnOffset() throws {
        let log = try LogFixture().open()
        for index in 0..<12 {
            try log.append(records: TestBatches.make(count: 2, tag: index, producerID: ProducerID(77), baseSequence: Int32(2 * index)), leaderEpoch: .zeroEpoch)
        }
        var sequences: [Int32] = []
        try log.forEachBatch(from: Offset(13)) { header in
            sequences.append(header.baseSequence)
            return sequences.count < 3
        }
        #expect(sequences == [12, 14, 16])
    }
}
