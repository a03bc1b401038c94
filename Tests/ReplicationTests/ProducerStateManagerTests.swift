import BrokerCore
import BrokerTestSupport
import KafkaRecords
import LogStorage
import NIOCore
import Testing

@testable import Replication

@Suite struct ProducerStateManagerTests {
    func header(producer: Int64 = 7, epoch: Int16 = 0, sequence: Int32, count: Int32 = 1) -> RecordBatchHeader {
        RecordBatchHeader(
            baseOffset: .zero, batchLength: 49, partitionLeaderEpoch: .unknown, crc: 0, attributes: RecordBatchAttributes(rawValue: 0),
            lastOffsetDelta: count - 1, baseTimestamp: 1, maxTimestamp: 1, producerID: ProducerID(producer),
            producerEpoch: ProducerEpoch(epoch), baseSequence: sequence, recordsCount: count)
    }

    /// Validates and commits at `offset`; returns the validation.
    @discardableResult
    func append(_ manager: inout ProducerStateManager, _ header: RecordBatchHeader, at offset: Int64) -> ProducerStateManager.Validation {
        let validation = manager.validate([header])
        if case .append(let pending) = validation {
            manager.commit(pending, firstOffset: Offset(offset), nextOffset: Offset(offset) + Int64(header.recordsCount), appendTime: -1)
        }
        return validation
    }

    @Test func inSequenceBatchesAreAccepted() {
        var manager = ProducerStateManager()
        guard case .append = append(&manager, header(sequence: 0, count: 3), at: 0) else { Issue.record("rejected"); return }
        guard case .append = append(&manager, header(sequence: 3), at: 3) else { Issue.record("rejected"); return }
        #expect(manager.entry(for: ProducerID(7))?.lastSequence == 3)
    }

    @Test func duplicateReturnsOriginalOffsets() {
        var manager = ProducerStateManager()
        append(&manager, header(sequence: 0, count: 3), at: 10)
        append(&manager, header(sequence: 3, count: 2), at: 13)
        guard case .duplicate(let original) = manager.validate([header(sequence: 0, count: 3)]) else {
            Issue.record("not a duplicate"); return
        }
        #expect(original.firstOffset == Offset(10))
        #expect(original.lastOffset == Offset(12))
    }

    @Test func sequenceGapIsOutOfOrder() {
        var manager = ProducerStateManager()
        append(&manager, header(sequence: 0), at: 0)
        #expect(manager.validate([header(sequence: 2)]) == .rejected(.outOfOrderSequenceNumber))
    }

    @Test func olderEpochIsFenced() {
        var manager = ProducerStateManager()
        append(&manager, header(epoch: 2, sequence: 0), at: 0)
        #expect(manager.validate([header(epoch: 1, sequence: 1)]) == .rejected(.invalidProducerEpoch))
    }

    @Test func newEpochMustStartAtZero() {
        var manager = ProducerStateManager()
        append(&manager, header(epoch: 0, sequence: 0), at: 0)
        #expect(manager.validate([header(epoch: 1, sequence: 5)]) == .rejected(.outOfOrderSequenceNumber))
        guard case .append = manager.validate([header(epoch: 1, sequence: 0)]) else { Issue.record("rejected"); return }
    }

    @Test func unknownProducerMayStartAtAnySequence() {
        let manager = ProducerStateManager()
        guard case .append = manager.validate([header(sequence: 42)]) else { Issue.record("rejected"); return }
    }

    @Test func onlyTheLastFiveBatchesAreRemembered() {
        var manager = ProducerStateManager()
        for sequence in 0..<6 { append(&manager, header(sequence: Int32(sequence)), at: Int64(sequence)) }
        #expect(manager.entry(for: ProducerID(7))?.batches.count == 5)
        // The first batch fell out of the window: its retry is no longer a duplicate (and out of order).
        #expect(manager.validate([header(sequence: 0)]) == .rejected(.outOfOrderSequenceNumber))
        guard case .duplicate(let original) = manager.validate([header(sequence: 1)]) else { Issue.record("no dup"); return }
        #expect(original.firstOffset == Offset(1))
    }

    @Test func sequenceWrapsAfterInt32Max() {
        var manager = ProducerStateManager()
        append(&manager, header(sequence: Int32.max), at: 0)
        guard case .append = manager.validate([header(sequence: 0)]) else { Issue.record("rejected"); return }
    }

    @Test func catchUpRebuildsStateFromTheLog() throws {
        let fileSystem = FaultInjectingFileSystem()
        let logs = try InMemoryLogManager.make(
            fileSystem: fileSystem, clock: ManualTimeSource(), config: LogConfig(segmentIndexBytes: 4096))
        let log = try logs.getOrCreateLog(TopicPartition("t", 0))
        try log.append(records: Batches.make(count: 2), leaderEpoch: .zeroEpoch)
        try log.append(records: Batches.make(count: 3, producerID: 9, epoch: 1, sequence: 0), leaderEpoch: .zeroEpoch)
        try log.append(records: Batches.make(count: 1, producerID: 9, epoch: 1, sequence: 3), leaderEpoch: .zeroEpoch)
        var manager = ProducerStateManager()
        try manager.catchUp(with: log)
        #expect(manager.mapEndOffset == Offset(6))
        let entry = try #require(manager.entry(for: ProducerID(9)))
        #expect(entry.producerEpoch == ProducerEpoch(1))
        #expect(entry.batches.map(\.firstOffset) == [Offset(2), Offset(5)])
        #expect(entry.lastSequence == 3)
    }
}

extension LeaderEpoch {
    static let zeroEpoch = LeaderEpoch(0)
}
