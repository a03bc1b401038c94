import BrokerCore
import KafkaRecords
import NIOCore
import Testing

@testable import LogStorage

@Suite struct PartitionLogReadTests {
    /// Batches of 5 records each: offsets 0-4, 5-9, ... across several segments.
    func filledLog(batches: Int = 40) throws -> (LogFixture, PartitionLog) {
        let fixture = LogFixture()
        let log = try fixture.open()
        for index in 0..<batches { try log.append(records: TestBatches.make(count: 5, tag: index, valueSize: 40), leaderEpoch: .zeroEpoch) }
        return (fixture, log)
    }

    @Test func fetchInTheMiddleOfABatchReturnsTheWholeBatch() throws {
        let (_, log) = try filledLog()
        try #require(log.segmentCount > 2)
        for offset in [0, 3, 7, 12, 49, 97, 99, 150, 199] {
            let result = try log.read(from: Offset(Int64(offset)), maxBytes: 1)
            let bytes = try result.readBytes()
            let header = try RecordBatchValidator.checkIntegrity(bytes, at: 0)
            #expect(header.baseOffset == Offset(Int64(offset / 5 * 5)))
            #expect(result.batchCount == 1)
            #expect(result.firstBatchBaseOffset == header.baseOffset)
            #expect(result.nextFetchOffset == header.nextOffset)
        }
    }

    @Test func maxBytesBoundsWholeBatches() throws {
        let (_, log) = try filledLog()
        let one = try log.read(from: .zero, maxBytes: 1).sizeInBytes
        let result = try log.read(from: .zero, maxBytes: one * 2 + one / 2)
        #expect(result.batchCount == 2)
        #expect(result.sizeInBytes == 2 * one)
        var iterator = RecordBatchIterator(try result.readBytes())
        #expect(try iterator.collect().count == 2)
    }

    @Test func withoutMinOneBatchAnOversizedFirstBatchYieldsNothing() throws {
        let (_, log) = try filledLog()
        let result = try log.read(from: .zero, maxBytes: 10, minOneBatch: false)
        #expect(result.records == nil)
        #expect(result.batchCount == 0)
    }

    @Test func upperBoundExcludesBatchesEndingAtOrAboveIt() throws {
        let (_, log) = try filledLog()
        let result = try log.read(from: .zero, maxBytes: 1 << 20, upperBound: Offset(12))
        // Batches 0-4 and 5-9 end below 12; 10-14 does not.
        #expect(result.nextFetchOffset == Offset(10))
        #expect(try log.read(from: Offset(10), maxBytes: 1 << 20, upperBound: Offset(12)).records == nil)
    }

    @Test func readsStopAtTheSegmentEnd() throws {
        let (_, log) = try filledLog()
        let bases = log.segmentBaseOffsets
        try #require(bases.count > 1)
        let result = try log.read(from: .zero, maxBytes: 1 << 20)
        #expect(result.nextFetchOffset == bases[1])
    }

    @Test func outOfRangeAndEndOfLog() throws {
        let (_, log) = try filledLog(batches: 2)
        #expect(throws: LogError.self) { try log.read(from: Offset(11), maxBytes: 100) }
        #expect(throws: LogError.self) { try log.read(from: Offset(-1), maxBytes: 100) }
        let atEnd = try log.read(from: Offset(10), maxBytes: 100)
        #expect(atEnd.records == nil)
        #expect(atEnd.logEndOffset == Offset(10))
    }

    @Test func everyRecordIsReadableInOrder() throws {
        let (_, log) = try filledLog()
        #expect(try log.allRecords().map(\.0) == (0..<200).map { Offset(Int64($0)) })
    }

    @Test func aCorruptedBatchInAFileLoadedCleanlyIsNeverServed() throws {
        let (fixture, log) = try filledLog(batches: 4)
        try log.close()
        let batchSize = TestBatches.make(count: 5, tag: 0, valueSize: 40).readableBytes
        // Damage the third batch's payload on "disk"; the clean reopen trusts the files.
        fixture.fileSystem.flipBit(in: fixture.segmentPath(0), atByte: 2 * batchSize + 70)
        let reopened = try fixture.open(clean: true)
        let served = try reopened.read(from: .zero, maxBytes: 1 << 20)
        #expect(served.nextFetchOffset == Offset(10))
        #expect {
            try reopened.read(from: Offset(10), maxBytes: 1 << 20)
        } throws: { error in
            guard case LogError.corruptLog = error else { return false }
            return true
        }
    }

    @Test func readersRunConcurrentlyWithTheWriter() async throws {
        let fixture = LogFixture(config: LogConfig(segmentBytes: 64 * 1024, retentionMs: -1, indexIntervalBytes: 512, segmentIndexBytes: 4096))
        let log = try fixture.open()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for index in 0..<300 { try log.append(records: TestBatches.make(count: 3, tag: index), leaderEpoch: .zeroEpoch) }
            }
            for _ in 0..<2 {
                group.addTask {
                    var offset = Offset.zero
                    while offset < Offset(900) {
                        let result = try log.read(from: offset, maxBytes: 4096)
                        guard let next = result.nextFetchOffset else { continue }
                        let bytes = try result.readBytes()
                        var iterator = RecordBatchIterator(bytes)
                        var expected = result.firstBatchBaseOffset
                        while let batch = try iterator.next() {
                            try RecordBatchValidator.checkCRC(bytes, at: batch.index, header: batch.header)
                            #expect(batch.header.baseOffset == expected)
                            expected = batch.header.nextOffset
                        }
                        offset = next
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(log.logEndOffset == Offset(900))
    }
}
