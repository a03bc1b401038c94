import BrokerCore
import KafkaRecords
import Testing

@testable import LogStorage

@Suite struct PartitionLogTruncationTests {
    func log(batches: Int, epochEvery: Int = 5) throws -> (LogFixture, PartitionLog) {
        let fixture = LogFixture()
        let log = try fixture.open()
        for index in 0..<batches {
            try log.append(records: TestBatches.make(count: 4, tag: index, valueSize: 60), leaderEpoch: LeaderEpoch(Int32(index / epochEvery)))
        }
        return (fixture, log)
    }

    @Test func truncateToABatchBoundaryAcrossSegments() throws {
        let (fixture, log) = try log(batches: 30)
        let bases = log.segmentBaseOffsets
        try #require(bases.count > 2)
        log.updateHighWatermark(log.logEndOffset)
        #expect(try log.truncate(to: Offset(40)))
        #expect(log.logEndOffset == Offset(40))
        #expect(log.highWatermark == Offset(40))
        #expect(log.segmentBaseOffsets == bases.filter { $0 <= Offset(40) }.map { $0 })
        for base in bases where base > Offset(40) { #expect(!fixture.fileSystem.exists(fixture.segmentPath(base.rawValue))) }
        #expect(try log.allRecords().map(\.0) == (0..<40).map { Offset(Int64($0)) })
        // Epochs: batch 10 (offset 40) would start epoch 2; it is gone.
        #expect(log.latestEpoch == LeaderEpoch(1))
        #expect(log.endOffset(forEpoch: LeaderEpoch(1)) == (LeaderEpoch(1), Offset(40)))
        let info = try log.append(records: TestBatches.make(count: 2), leaderEpoch: LeaderEpoch(7))
        #expect(info.firstOffset == Offset(40))
        #expect(log.endOffset(forEpoch: LeaderEpoch(1)) == (LeaderEpoch(1), Offset(40)))
        #expect(log.endOffset(forEpoch: LeaderEpoch(7)) == (LeaderEpoch(7), Offset(42)))
    }

    @Test func truncateInsideABatchRemovesTheWholeBatch() throws {
        let (_, log) = try log(batches: 3)
        #expect(try log.truncate(to: Offset(6)))
        #expect(log.logEndOffset == Offset(4))
    }

    @Test func truncateAtOrBeyondTheEndDoesNothing() throws {
        let (_, log) = try log(batches: 3)
        #expect(try log.truncate(to: Offset(12)) == false)
        #expect(try log.truncate(to: Offset(100)) == false)
        #expect(log.logEndOffset == Offset(12))
    }

    @Test func truncatedSealedSegmentBecomesActiveAndGrowsAgain() throws {
        let (_, log) = try log(batches: 30)
        let second = log.segmentBaseOffsets[1]
        try log.truncate(to: second + 4)
        #expect(log.segmentBaseOffsets.last == second)
        for index in 0..<30 { try log.append(records: TestBatches.make(count: 4, tag: 100 + index, valueSize: 60), leaderEpoch: LeaderEpoch(9)) }
        let records = try log.allRecords()
        #expect(records.map(\.0) == (0..<Int64(records.count)).map { Offset($0) })
        #expect(log.logEndOffset == second + 4 + 120)
    }

    @Test func truncateFullyAndStartAt() throws {
        let (fixture, log) = try log(batches: 30)
        try log.truncateFullyAndStart(at: Offset(5_000))
        #expect(log.logStartOffset == Offset(5_000))
        #expect(log.logEndOffset == Offset(5_000))
        #expect(log.segmentBaseOffsets == [Offset(5_000)])
        #expect(log.epochEntries.isEmpty)
        #expect(!fixture.fileSystem.exists(fixture.segmentPath(0)))
        try log.append(records: TestBatches.make(count: 1), leaderEpoch: LeaderEpoch(4))
        #expect(try log.allRecords().map(\.0) == [Offset(5_000)])
    }

    @Test func truncateBelowTheFirstSegmentStartsOver() throws {
        let (_, log) = try log(batches: 30)
        log.updateHighWatermark(log.logEndOffset)
        try log.advanceLogStartOffset(to: Offset(60))
        try log.applyRetention()
        let first = log.segmentBaseOffsets[0]
        #expect(first > Offset(10))
        try log.truncate(to: Offset(10))
        #expect(log.logStartOffset == Offset(10))
        #expect(log.logEndOffset == Offset(10))
    }
}
