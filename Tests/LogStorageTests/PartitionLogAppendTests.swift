import BrokerCore
import BrokerTestSupport
import KafkaRecords
import NIOCore
import Testing

@testable import LogStorage

@Suite struct PartitionLogAppendTests {
    @Test func assignsOffsetsAndStampsTheLeaderEpoch() throws {
        let fixture = LogFixture()
        let log = try fixture.open()
        let first = try log.append(records: TestBatches.make(count: 3), leaderEpoch: LeaderEpoch(5))
        #expect(first.firstOffset == Offset(0))
        #expect(first.lastOffset == Offset(2))
        #expect(first.recordCount == 3)
        #expect(first.logAppendTime == -1)
        let second = try log.append(
            records: TestBatches.concat([TestBatches.make(count: 2, tag: 1), TestBatches.make(count: 4, tag: 2)]),
            leaderEpoch: LeaderEpoch(6))
        #expect(second.firstOffset == Offset(3))
        #expect(second.lastOffset == Offset(8))
        #expect(second.batchCount == 2)
        #expect(log.logEndOffset == Offset(9))
        let headers = try log.headers()
        #expect(headers.map(\.baseOffset) == [Offset(0), Offset(3), Offset(5)])
        #expect(headers.map(\.partitionLeaderEpoch) == [LeaderEpoch(5), LeaderEpoch(6), LeaderEpoch(6)])
        #expect(log.epochEntries == [EpochEntry(epoch: LeaderEpoch(5), startOffset: .zero), EpochEntry(epoch: LeaderEpoch(6), startOffset: Offset(3))])
        #expect(try log.allRecords().map(\.0) == (0..<9).map { Offset($0) })
    }

    @Test func rejectsCorruptBatchesWithoutWritingAnything() throws {
        let fixture = LogFixture()
        let log = try fixture.open()
        var corrupt = TestBatches.make(count: 2)
        corrupt.setInteger(UInt8(0xFF), at: 70)
        let good = TestBatches.make(count: 1)
        #expect {
            try log.append(records: TestBatches.concat([good, corrupt]), leaderEpoch: .zeroEpoch)
        } throws: { error in
            guard case LogError.corruptMessage(.crcMismatch) = error else { return false }
            return true
        }
        #expect(log.logEndOffset == .zero)
        #expect(fixture.fileSystem.fileSize(fixture.segmentPath(0)) == 0)
    }

    @Test func rejectsClientRuleViolationsAsInvalidRecord() throws {
        let log = try LogFixture().open()
        let control = RecordBatchBuilder.assemble(
            baseOffset: .zero, partitionLeaderEpoch: .unknown, attributes: RecordBatchAttributes(isControl: true),
            lastOffsetDelta: 0, baseTimestamp: 0, maxTimestamp: 0, recordsCount: 1, payload: ByteBuffer())
        #expect {
            try log.append(records: control, leaderEpoch: .zeroEpoch)
        } throws: { error in
            guard case LogError.invalidRecord(.controlBatchFromClient) = error else { return false }
            return true
        }
    }

    @Test func enforcesMaxMessageBytesPerBatchAndSegmentBytesPerAppend() throws {
        var fixture = LogFixture()
        fixture.config.maxMessageBytes = 200
        let log = try fixture.open()
        #expect {
            try log.append(records: TestBatches.make(count: 1, valueSize: 300), leaderEpoch: .zeroEpoch)
        } throws: { error in
            guard case LogError.messageTooLarge(let size, 200) = error else { return false }
            return size > 300
        }
        fixture.config.maxMessageBytes = 10_000
        log.updateConfig(fixture.config)
        let many = TestBatches.concat((0..<30).map { TestBatches.make(count: 1, tag: $0, valueSize: 150) })
        #expect {
            try log.append(records: many, leaderEpoch: .zeroEpoch)
        } throws: { error in
            guard case LogError.recordListTooLarge = error else { return false }
            return true
        }
    }

    @Test func logAppendTimeStampsTheBrokerClock() throws {
        var fixture = LogFixture()
        fixture.config.messageTimestampType = .logAppendTime
        let log = try fixture.open()
        let info = try log.append(records: TestBatches.make(count: 2, timestamp: 5), leaderEpoch: .zeroEpoch)
        #expect(info.logAppendTime == fixture.clock.nowMilliseconds)
        let bytes = try log.read(from: .zero, maxBytes: 10_000).readBytes()
        let header = try RecordBatchValidator.checkIntegrity(bytes, at: 0)
        #expect(header.attributes.timestampType == .logAppendTime)
        #expect(header.maxTimestamp == fixture.clock.nowMilliseconds)
    }

    @Test func compressedBatchesAreStoredByteForByte() throws {
        let log = try LogFixture().open()
        let batch = TestBatches.compressed(count: 10, payload: [1, 2, 3, 4, 5, 6, 7])
        let info = try log.append(records: batch, leaderEpoch: LeaderEpoch(2))
        #expect(info.lastOffset == Offset(9))
        let stored = try log.read(from: Offset(4), maxBytes: 10_000).readBytes()
        #expect(stored.readableBytes == batch.readableBytes)
        #expect(stored.getSlice(at: 61, length: 7) == ByteBuffer(bytes: [1, 2, 3, 4, 5, 6, 7]))
        #expect(try RecordBatchValidator.checkIntegrity(stored, at: 0).attributes.compression == .zstd)
    }

    @Test func emptyAppendChangesNothing() throws {
        let log = try LogFixture().open()
        let info = try log.append(records: ByteBuffer(), leaderEpoch: .zeroEpoch)
        #expect(info.recordCount == 0)
        #expect(info.firstOffset == .zero)
        #expect(log.logEndOffset == .zero)
    }

    @Test func followerAppendKeepsOffsetsAndEpochsAndRejectsGoingBackwards() throws {
        let log = try LogFixture().open()
        var leaderBatch = TestBatches.make(count: 3)
        RecordBatchRewriter.setBaseOffset(Offset(0), in: &leaderBatch, batchAt: 0)
        RecordBatchRewriter.setPartitionLeaderEpoch(LeaderEpoch(3), in: &leaderBatch, batchAt: 0)
        var later = TestBatches.make(count: 2)
        RecordBatchRewriter.setBaseOffset(Offset(10), in: &later, batchAt: 0)
        RecordBatchRewriter.setPartitionLeaderEpoch(LeaderEpoch(4), in: &later, batchAt: 0)
        let info = try log.appendAsFollower(records: TestBatches.concat([leaderBatch, later]))
        #expect(info.firstOffset == .zero)
        #expect(info.lastOffset == Offset(11))
        #expect(log.logEndOffset == Offset(12))
        #expect(log.epochEntries.map(\.epoch) == [LeaderEpoch(3), LeaderEpoch(4)])
        #expect(log.endOffset(forEpoch: LeaderEpoch(3)) == (LeaderEpoch(3), Offset(10)))
        #expect {
            try log.appendAsFollower(records: leaderBatch)
        } throws: { error in
            guard case LogError.unexpectedAppendOffset(Offset(0), Offset(12)) = error else { return false }
            return true
        }
    }

    @Test func flushPolicyByMessageCountMovesTheRecoveryPoint() throws {
        var fixture = LogFixture()
        fixture.config.flushIntervalMessages = 5
        let log = try fixture.open()
        try log.append(records: TestBatches.make(count: 3), leaderEpoch: .zeroEpoch)
        #expect(log.recoveryPoint == .zero)
        try log.append(records: TestBatches.make(count: 3), leaderEpoch: .zeroEpoch)
        #expect(log.recoveryPoint == Offset(6))
    }

    @Test func flushPolicyByTime() throws {
        var fixture = LogFixture()
        fixture.config.flushIntervalMs = 1_000
        let log = try fixture.open()
        try log.append(records: TestBatches.make(count: 3), leaderEpoch: .zeroEpoch)
        #expect(try log.flushIfDue() == false)
        fixture.clock.advance(milliseconds: 1_000)
        #expect(try log.flushIfDue() == true)
        #expect(log.recoveryPoint == Offset(3))
    }

    @Test func aTornWriteIsCutBackAndTheLogStaysUsable() throws {
        let fixture = LogFixture()
        let log = try fixture.open()
        try log.append(records: TestBatches.make(count: 2), leaderEpoch: .zeroEpoch)
        let size = fixture.fileSystem.fileSize(fixture.segmentPath(0))
        fixture.fileSystem.tearNextWrite(toPathEndingWith: ".log", keepBytes: 10, crash: false)
        #expect(throws: LogError.self) { try log.append(records: TestBatches.make(count: 2), leaderEpoch: .zeroEpoch) }
        #expect(fixture.fileSystem.fileSize(fixture.segmentPath(0)) == size)
        try log.append(records: TestBatches.make(count: 1), leaderEpoch: .zeroEpoch)
        #expect(try log.allRecords().map(\.0) == [Offset(0), Offset(1), Offset(2)])
    }
}

extension LeaderEpoch {
    static let zeroEpoch = LeaderEpoch(0)
}
