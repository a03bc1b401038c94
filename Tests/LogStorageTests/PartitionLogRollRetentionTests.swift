import BrokerCore
import BrokerTestSupport
import KafkaRecords
import Testing

@testable import LogStorage

@Suite struct PartitionLogRollRetentionTests {
    @Test func rollsBySizeWithTwentyDigitNames() throws {
        let fixture = LogFixture()
        let log = try fixture.open()
        var ends: [Offset] = []
        for index in 0..<30 { ends.append(try log.append(records: TestBatches.make(count: 4, tag: index, valueSize: 100), leaderEpoch: .zeroEpoch).lastOffset) }
        let bases = log.segmentBaseOffsets
        try #require(bases.count > 3)
        #expect(bases.first == .zero)
        for base in bases {
            #expect(fixture.fileSystem.exists(fixture.segmentPath(base.rawValue)))
            #expect(fixture.fileSystem.exists(fixture.segmentPath(base.rawValue, "index")))
            #expect(fixture.fileSystem.exists(fixture.segmentPath(base.rawValue, "timeindex")))
        }
        #expect(fixture.segmentPath(bases[1].rawValue).string.hasSuffix("/" + LogFileNames.prefix(bases[1]) + ".log"))
        #expect(LogFileNames.prefix(Offset(42)) == "00000000000000000042")
        // Every segment stays within segment.bytes, and sealed ones were flushed (recovery point).
        for base in bases {
            #expect((fixture.fileSystem.fileSize(fixture.segmentPath(base.rawValue)) ?? 0) <= 4096)
        }
        #expect(log.recoveryPoint == bases.last)
        // Sealed indexes are trimmed to their entries.
        let sealedIndexSize = fixture.fileSystem.fileSize(fixture.segmentPath(bases[0].rawValue, "index")) ?? -1
        #expect(sealedIndexSize % 8 == 0 && sealedIndexSize < 4096)
    }

    @Test func rollsBySegmentMs() throws {
        var fixture = LogFixture()
        fixture.config.segmentMs = 60_000
        let log = try fixture.open()
        let now = fixture.clock.nowMilliseconds
        try log.append(records: TestBatches.make(count: 1, timestamp: now), leaderEpoch: .zeroEpoch)
        try log.append(records: TestBatches.make(count: 1, timestamp: now + 30_000), leaderEpoch: .zeroEpoch)
        #expect(log.segmentCount == 1)
        try log.append(records: TestBatches.make(count: 1, timestamp: now + 60_001), leaderEpoch: .zeroEpoch)
        #expect(log.segmentBaseOffsets == [.zero, Offset(2)])
    }

    @Test func retentionByTimeDeletesWholeOldSegmentsBelowTheHighWatermark() throws {
        var fixture = LogFixture()
        fixture.config.retentionMs = 10_000
        let log = try fixture.open()
        let now = fixture.clock.nowMilliseconds
        for index in 0..<20 {
            let timestamp = index < 10 ? now - 100_000 : now
            try log.append(records: TestBatches.make(count: 4, tag: index, timestamp: timestamp, valueSize: 100), leaderEpoch: .zeroEpoch)
        }
        let before = log.segmentBaseOffsets
        // Nothing is deleted while the high watermark has not passed the segments.
        #expect(try log.applyRetention().deletedSegments == 0)
        log.updateHighWatermark(log.logEndOffset)
        let result = try log.applyRetention()
        #expect(result.deletedSegments > 0)
        #expect(log.logStartOffset == log.segmentBaseOffsets[0])
        #expect(log.logStartOffset <= Offset(40))
        #expect(log.segmentBaseOffsets == Array(before.dropFirst(result.deletedSegments)))
        for base in before.prefix(result.deletedSegments) { #expect(!fixture.fileSystem.exists(fixture.segmentPath(base.rawValue))) }
        #expect(throws: LogError.self) { try log.read(from: .zero, maxBytes: 100) }
        #expect(try log.allRecords().first?.0 == log.logStartOffset)
    }

    @Test func retentionByBytesKeepsTheNewestData() throws {
        var fixture = LogFixture()
        fixture.config.retentionBytes = 5_000
        let log = try fixture.open()
        for index in 0..<40 { try log.append(records: TestBatches.make(count: 4, tag: index, valueSize: 100), leaderEpoch: .zeroEpoch) }
        log.updateHighWatermark(log.logEndOffset)
        try log.applyRetention()
        #expect(log.sizeInBytes <= 5_000 + 4096)
        #expect(log.sizeInBytes > 5_000 - 4096)
        #expect(log.logEndOffset == Offset(160))
    }

    @Test func whenEverySegmentExpiresTheLogRollsAndKeepsItsEndOffset() throws {
        var fixture = LogFixture()
        fixture.config.retentionMs = 1_000
        let log = try fixture.open()
        try log.append(records: TestBatches.make(count: 5, timestamp: fixture.clock.nowMilliseconds), leaderEpoch: LeaderEpoch(3))
        log.updateHighWatermark(log.logEndOffset)
        fixture.clock.advance(milliseconds: 5_000)
        let result = try log.applyRetention()
        #expect(result.deletedSegments == 1)
        #expect(log.segmentBaseOffsets == [Offset(5)])
        #expect(log.logStartOffset == Offset(5))
        #expect(log.logEndOffset == Offset(5))
        #expect(log.epochEntries == [EpochEntry(epoch: LeaderEpoch(3), startOffset: Offset(5))])
        try log.append(records: TestBatches.make(count: 1), leaderEpoch: LeaderEpoch(3))
        #expect(log.logEndOffset == Offset(6))
    }

    @Test func topicOverrideChangesRetention() throws {
        let fixture = LogFixture()
        let log = try fixture.open()
        for index in 0..<20 { try log.append(records: TestBatches.make(count: 4, tag: index, valueSize: 100), leaderEpoch: .zeroEpoch) }
        log.updateHighWatermark(log.logEndOffset)
        #expect(try log.applyRetention().deletedSegments == 0)
        var override = fixture.config
        override.retentionBytes = 0
        log.updateConfig(override)
        #expect(try log.applyRetention().deletedSegments > 0)
    }

    @Test func advancingTheLogStartOffsetDeletesSegmentsBelowIt() throws {
        let log = try LogFixture().open()
        for index in 0..<20 { try log.append(records: TestBatches.make(count: 4, tag: index, valueSize: 100), leaderEpoch: .zeroEpoch) }
        log.updateHighWatermark(log.logEndOffset)
        let third = log.segmentBaseOffsets[2]
        try log.advanceLogStartOffset(to: third + 1)
        #expect(log.logStartOffset == third + 1)
        try log.applyRetention()
        #expect(log.segmentBaseOffsets.first == third)
        #expect(throws: LogError.self) { try log.read(from: third, maxBytes: 100) }
    }
}
