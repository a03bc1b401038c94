import BrokerCore
import BrokerTestSupport
import KafkaRecords
import NIOCore
import SystemPackage
import Testing

@testable import LogStorage

/// Crash tests through the fault-injecting file system: after reopening, the log must equal the
/// longest valid prefix and appends must continue at the right offset.
@Suite struct LogRecoveryTests {
    /// A log of `batches` batches of 3 records (offsets 3i..3i+2); returns the fixture, the
    /// active segment's base, and the position and size of the last batch in it.
    func crashedLog(batches: Int = 30) throws -> (fixture: LogFixture, activeBase: Int64, lastPosition: Int, lastSize: Int, recoveryPoint: Offset) {
        let fixture = LogFixture()
        let log = try fixture.open()
        for index in 0..<batches { try log.append(records: TestBatches.make(count: 3, tag: index, valueSize: 40), leaderEpoch: LeaderEpoch(Int32(index / 4))) }
        let activeBase = log.segmentBaseOffsets.last!.rawValue
        let size = fixture.fileSystem.fileSize(fixture.segmentPath(activeBase))!
        let lastSize = TestBatches.make(count: 3, valueSize: 40).readableBytes
        let recoveryPoint = log.recoveryPoint
        fixture.fileSystem.crash()
        return (fixture, activeBase, size - lastSize, lastSize, recoveryPoint)
    }

    func expectPrefix(_ log: PartitionLog, records: Int) throws {
        #expect(log.logEndOffset == Offset(Int64(records)))
        #expect(try log.allRecords().map(\.0) == (0..<Int64(records)).map { Offset($0) })
        let info = try log.append(records: TestBatches.make(count: 2, tag: 99), leaderEpoch: LeaderEpoch(50))
        #expect(info.firstOffset == Offset(Int64(records)))
        #expect(try log.allRecords().count == records + 2)
    }

    @Test func tornWriteAtEveryByteOfTheLastBatch() throws {
        let probe = try crashedLog()
        try #require(probe.activeBase > 0, "the test log should span several segments")
        for kept in 0..<probe.lastSize {
            let crash = try crashedLog()
            crash.fixture.fileSystem.truncateFile(crash.fixture.segmentPath(crash.activeBase), to: crash.lastPosition + kept)
            let log = try crash.fixture.open(clean: false, recoveryPoint: crash.recoveryPoint)
            if kept > 0 {
                let truncation = try #require(log.recoveryReport.truncation, "kept \(kept)")
                #expect(truncation.bytesDropped == Int64(kept))
                #expect(truncation.position == Int64(crash.lastPosition))
                #expect(truncation.keptUpTo == Offset(87))
            } else {
                #expect(log.recoveryReport.truncation == nil)
            }
            try expectPrefix(log, records: 87)
            #expect(log.latestEpoch == LeaderEpoch(50))
            #expect(log.endOffset(forEpoch: LeaderEpoch(7)) == (LeaderEpoch(7), Offset(87)))
        }
    }

    @Test func tornWriteInjectedDuringAppend() throws {
        let fixture = LogFixture()
        let log = try fixture.open()
        for index in 0..<5 { try log.append(records: TestBatches.make(count: 3, tag: index), leaderEpoch: .zeroEpoch) }
        fixture.fileSystem.tearNextWrite(toPathEndingWith: ".log", keepBytes: 30, crash: true)
        #expect(throws: LogError.self) { try log.append(records: TestBatches.make(count: 3, tag: 5), leaderEpoch: .zeroEpoch) }
        #expect(throws: LogError.self) { try log.append(records: TestBatches.make(count: 3, tag: 6), leaderEpoch: .zeroEpoch) }
        let reopened = try fixture.open(clean: false)
        #expect(reopened.recoveryReport.truncation?.bytesDropped == 30)
        try expectPrefix(reopened, records: 15)
    }

    @Test func bitFlipsInTheLastBatchTruncateIt() throws {
        let probe = try crashedLog()
        // Every byte from batchLength on, except partitionLeaderEpoch (outside the CRC, harmless).
        for byte in 8..<probe.lastSize where !(12..<16).contains(byte) {
            let crash = try crashedLog()
            crash.fixture.fileSystem.flipBit(in: crash.fixture.segmentPath(crash.activeBase), atByte: crash.lastPosition + byte, bit: byte % 8)
            let log = try crash.fixture.open(clean: false, recoveryPoint: crash.recoveryPoint)
            #expect(log.recoveryReport.truncation?.bytesDropped == Int64(probe.lastSize), "byte \(byte)")
            try expectPrefix(log, records: 87)
        }
    }

    @Test func bitFlipInAnEarlierUnflushedSegmentDropsEverythingAfterIt() throws {
        let fixture = LogFixture()
        let log = try fixture.open()
        for index in 0..<40 { try log.append(records: TestBatches.make(count: 3, tag: index, valueSize: 40), leaderEpoch: .zeroEpoch) }
        let bases = log.segmentBaseOffsets
        try #require(bases.count >= 3)
        fixture.fileSystem.crash()
        // Recovery point 0 (never checkpointed): all segments are re-validated.
        fixture.fileSystem.flipBit(in: fixture.segmentPath(bases[1].rawValue), atByte: 100)
        let reopened = try fixture.open(clean: false, recoveryPoint: .zero)
        let report = reopened.recoveryReport
        #expect(report.truncation?.segmentBaseOffset == bases[1])
        #expect(report.truncation?.position == 0)
        #expect(report.deletedSegments == Array(bases.dropFirst(2)))
        #expect(reopened.segmentBaseOffsets == [bases[0], bases[1]])
        try expectPrefix(reopened, records: Int(bases[1].rawValue))
    }

    @Test func zeroFilledPreallocatedTailIsCutOff() throws {
        let crash = try crashedLog()
        crash.fixture.fileSystem.appendZeros(to: crash.fixture.segmentPath(crash.activeBase), count: 8192)
        let log = try crash.fixture.open(clean: false, recoveryPoint: crash.recoveryPoint)
        #expect(log.recoveryReport.truncation?.bytesDropped == 8192)
        #expect(log.recoveryReport.truncation?.reason.contains("invalid batch length 0") == true)
        try expectPrefix(log, records: 90)
    }

    @Test func losingUnsyncedDataKeepsEverythingBelowTheRecoveryPoint() throws {
        let fixture = LogFixture()
        let log = try fixture.open()
        for index in 0..<30 { try log.append(records: TestBatches.make(count: 3, tag: index, valueSize: 40), leaderEpoch: .zeroEpoch) }
        let recoveryPoint = log.recoveryPoint
        #expect(recoveryPoint > .zero)
        fixture.fileSystem.crash(losingUnsyncedData: true)
        let reopened = try fixture.open(clean: false, recoveryPoint: recoveryPoint)
        #expect(reopened.logEndOffset >= recoveryPoint)
        try expectPrefix(reopened, records: Int(reopened.logEndOffset.rawValue))
    }

    @Test func missingIndexesAreRebuiltOnACleanStart() throws {
        let fixture = LogFixture()
        let log = try fixture.open()
        for index in 0..<40 { try log.append(records: TestBatches.make(count: 3, tag: index, valueSize: 40), leaderEpoch: .zeroEpoch) }
        let bases = log.segmentBaseOffsets
        try #require(bases.count >= 3)
        let lookups = try (0..<120).map { try log.read(from: Offset(Int64($0)), maxBytes: 1).firstBatchBaseOffset }
        let byTime = try log.offset(forTimestamp: 1_700_000_000_001)
        try log.close()
        fixture.fileSystem.removeFile(fixture.segmentPath(bases[0].rawValue, "index"))
        fixture.fileSystem.removeFile(fixture.segmentPath(bases[1].rawValue, "timeindex"))
        fixture.fileSystem.truncateFile(fixture.segmentPath(bases[2].rawValue, "index"), to: 13)
        let reopened = try fixture.open(clean: true)
        #expect(Set(reopened.recoveryReport.rebuiltIndexes) == Set([bases[0], bases[1], bases[2]]))
        #expect(reopened.recoveryReport.droppedData == false)
        #expect(try (0..<120).map { try reopened.read(from: Offset(Int64($0)), maxBytes: 1).firstBatchBaseOffset } == lookups)
        #expect(try reopened.offset(forTimestamp: 1_700_000_000_001) == byTime)
        #expect(fixture.fileSystem.fileSize(fixture.segmentPath(bases[0].rawValue, "index"))! > 0)
    }

    @Test func indexPointingPastTheLogIsRebuilt() throws {
        let fixture = LogFixture()
        let log = try fixture.open()
        for index in 0..<10 { try log.append(records: TestBatches.make(count: 3, tag: index, valueSize: 40), leaderEpoch: .zeroEpoch) }
        try log.close()
        // A stale entry (offset 100 at position 100000).
        fixture.fileSystem.overwrite(fixture.segmentPath(0, "index"), at: 0, with: [0, 0, 0, 100, 0, 1, 0x86, 0xA0])
        let reopened = try fixture.open(clean: true)
        #expect(reopened.recoveryReport.rebuiltIndexes == [.zero])
        try expectPrefix(reopened, records: 30)
    }

    @Test func leftoverAndOrphanFilesAreRemoved() throws {
        let fixture = LogFixture()
        let log = try fixture.open()
        try log.append(records: TestBatches.make(count: 3), leaderEpoch: .zeroEpoch)
        try log.close()
        fixture.fileSystem.setContents(of: fixture.directory.appending("leader-epoch-checkpoint.tmp"), to: [1, 2])
        fixture.fileSystem.setContents(of: fixture.segmentPath(500, "index"), to: [0, 0, 0, 0, 0, 0, 0, 0])
        let reopened = try fixture.open(clean: true)
        #expect(Set(reopened.recoveryReport.removedFiles) == ["leader-epoch-checkpoint.tmp", "00000000000000000500.index"])
        #expect(!fixture.fileSystem.exists(fixture.segmentPath(500, "index")))
    }

    @Test func cleanReopenKeepsEverythingWithoutRevalidating() throws {
        let fixture = LogFixture()
        let log = try fixture.open()
        for index in 0..<20 { try log.append(records: TestBatches.make(count: 3, tag: index), leaderEpoch: LeaderEpoch(2)) }
        try log.close()
        #expect(throws: LogError.self) { try log.append(records: TestBatches.make(count: 1), leaderEpoch: .zeroEpoch) }
        let reopened = try fixture.open(clean: true)
        #expect(reopened.recoveryReport.recoveredSegments.isEmpty)
        #expect(reopened.recoveryReport.rebuiltIndexes.isEmpty)
        #expect(reopened.recoveryPoint == Offset(60))
        #expect(reopened.epochEntries == [EpochEntry(epoch: LeaderEpoch(2), startOffset: .zero)])
        try expectPrefix(reopened, records: 60)
    }
}
