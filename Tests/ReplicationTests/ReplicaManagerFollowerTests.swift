import BrokerCore
import KafkaRecords
import LogStorage
import NIOCore
import Testing

@testable import Replication

/// Records what the replica manager tells the fetchers.
final class RecordingFetchControl: FollowerFetchControl, @unchecked Sendable {
    private(set) var added: [FollowerFetchPosition] = []
    private(set) var removed: [TopicPartition] = []
    func addPartitions(_ positions: [FollowerFetchPosition]) { added += positions }
    func removePartitions(_ partitions: [TopicPartition]) { removed += partitions }
}

/// The follower data path: appends from the leader, high watermark and log start from the
/// leader, truncation on divergence and out-of-range, producer state, and the fetcher hooks.
@Suite struct ReplicaManagerFollowerTests {
    /// The leader's log bytes from `offset` (what a Fetch returns).
    func leaderBytes(_ leader: ReplicaFixture, from offset: Int64) throws -> ByteBuffer {
        guard let log = leader.logManager.log(for: topicA) else { throw FixtureError(description: "no log") }
        return try log.read(from: Offset(offset), maxBytes: 1 << 20).readBytes()
    }

    func append(
        _ follower: ReplicaFixture, _ records: ByteBuffer, fetchOffset: Int64, epoch: Int32 = 0, leaderHW: Int64,
        leaderStart: Int64 = 0
    ) throws -> FollowerFetchOutcome {
        try follower.value(
            follower.manager.appendFetchedRecords(
                FollowerFetchedData(
                    topicPartition: topicA, leaderEpoch: LeaderEpoch(epoch), fetchOffset: Offset(fetchOffset),
                    records: records, leaderHighWatermark: Offset(leaderHW), leaderLogStartOffset: Offset(leaderStart))))
    }

    func position(_ outcome: FollowerFetchOutcome) throws -> FollowerFetchPosition {
        guard case .fetch(let position) = outcome else { throw FixtureError(description: "unexpected \(outcome)") }
        return position
    }

    /// A replica fetch from broker 2 with `lastFetchedEpoch`.
    func replicaFetch(_ leader: ReplicaFixture, offset: Int64, lastFetchedEpoch: Int32, currentEpoch: Int32 = -1) throws
        -> FetchPartitionResult
    {
        let results = try leader.value(
            leader.manager.fetchMessages(
                FetchParams(
                    replicaID: BrokerID(2), maxWaitMs: 0, minBytes: 1, maxBytes: 1 << 20,
                    partitions: [
                        FetchPartitionRequest(
                            topicPartition: topicA, fetchOffset: Offset(offset), partitionMaxBytes: 1 << 20,
                            currentLeaderEpoch: LeaderEpoch(currentEpoch), lastFetchedEpoch: LeaderEpoch(lastFetchedEpoch))
                    ])))
        guard let first = results.first else { throw FixtureError(description: "no result") }
        return first
    }

    @Test func followerAppendKeepsOffsetsAndEpochsAndTakesHighWatermarkFromLeader() throws {
        let leader = try ReplicaFixture()
        try leader.lead(topicA, epoch: 3)
        _ = try leader.produceNow(topicA, Batches.make(count: 2))
        _ = try leader.produceNow(topicA, Batches.make(count: 3, tag: 1))
        let follower = try ReplicaFixture()
        try follower.follow(topicA, epoch: 3)

        let outcome = try append(follower, try leaderBytes(leader, from: 0), fetchOffset: 0, epoch: 3, leaderHW: 2)
        let next = try position(outcome)
        #expect(next.fetchOffset == Offset(5))
        #expect(next.lastFetchedEpoch == LeaderEpoch(3))
        let log = try #require(follower.logManager.log(for: topicA))
        #expect(log.epochEntries == [EpochEntry(epoch: LeaderEpoch(3), startOffset: .zero)])
        // Follower HW = min(leader HW, own log end).
        #expect(try follower.info(topicA).highWatermark == Offset(2))
        #expect(log.highWatermark == Offset(2))
        _ = try append(follower, ByteBuffer(), fetchOffset: 5, epoch: 3, leaderHW: 9)
        #expect(try follower.info(topicA).highWatermark == Offset(5))
    }

    @Test func appendForAnotherEpochOrStaleOffsetIsNotApplied() throws {
        let leader = try ReplicaFixture()
        try leader.lead(topicA)
        _ = try leader.produceNow(topicA, Batches.make(count: 2))
        let follower = try ReplicaFixture()
        try follower.follow(topicA, epoch: 1)
        let bytes = try leaderBytes(leader, from: 0)
        #expect(try append(follower, bytes, fetchOffset: 0, epoch: 0, leaderHW: 2) == .notFollower)
        // A response to an older position re-syncs to the log end without appending.
        let resync = try position(try append(follower, bytes, fetchOffset: 7, epoch: 1, leaderHW: 2))
        #expect(resync.fetchOffset == .zero)
        #expect(follower.logManager.log(for: topicA)?.logEndOffset == .zero)
    }

    @Test func logStartOffsetFollowsTheLeader() throws {
        let leader = try ReplicaFixture()
        try leader.lead(topicA)
        for tag in 0..<4 { _ = try leader.produceNow(topicA, Batches.make(count: 1, tag: tag)) }
        let follower = try ReplicaFixture()
        try follower.follow(topicA)
        _ = try append(follower, try leaderBytes(leader, from: 0), fetchOffset: 0, leaderHW: 4, leaderStart: 2)
        #expect(follower.logManager.log(for: topicA)?.logStartOffset == Offset(2))
    }

    @Test func divergingFollowerTruncatesToTheLeadersEpochEnd() throws {
        // Leader: epoch 0 at offsets 0-1, epoch 1 from offset 2.
        let leader = try ReplicaFixture()
        try leader.lead(topicA, replicas: [1, 2], isr: [1], epoch: 0)
        _ = try leader.produceNow(topicA, Batches.make(count: 1, tag: 0))
        _ = try leader.produceNow(topicA, Batches.make(count: 1, tag: 1))
        try leader.lead(topicA, replicas: [1, 2], isr: [1], epoch: 1)
        _ = try leader.produceNow(topicA, Batches.make(count: 1, tag: 9))
        // Old leader (now follower): four epoch-0 records, two never replicated.
        let follower = try ReplicaFixture()
        try follower.lead(topicA, epoch: 0)
        for tag in 0..<4 { _ = try follower.produceNow(topicA, Batches.make(count: 1, tag: tag)) }
        try follower.follow(topicA, leader: 2, epoch: 1)
        let start = try follower.value(follower.manager.followerPosition(topicA, leaderEpoch: LeaderEpoch(1)))
        let startPosition = try position(start)
        #expect(startPosition.fetchOffset == Offset(4))
        #expect(startPosition.lastFetchedEpoch == LeaderEpoch(0))

        // The leader answers the diverging epoch and no records.
        let answer = try replicaFetch(leader, offset: 4, lastFetchedEpoch: 0)
        #expect(answer.errorCode == .none)
        #expect(answer.divergingEpoch == DivergingEpoch(epoch: LeaderEpoch(0), endOffset: Offset(2)))
        #expect(answer.sizeInBytes == 0)

        let truncated = try position(
            try follower.value(
                follower.manager.truncateOnDivergence(
                    topicA, leaderEpoch: LeaderEpoch(1), divergingEpoch: LeaderEpoch(0), endOffset: Offset(2))))
        #expect(truncated.fetchOffset == Offset(2))
        #expect(truncated.lastFetchedEpoch == Optional(LeaderEpoch(0)))

        // Consistent now: the leader returns the epoch-1 batch, which the follower appends.
        let next = try replicaFetch(leader, offset: 2, lastFetchedEpoch: 0)
        #expect(next.divergingEpoch == nil)
        let bytes = try #require(next.records).readBytes()
        let appended = try position(try append(follower, bytes, fetchOffset: 2, epoch: 1, leaderHW: 3))
        #expect(appended.fetchOffset == Offset(3))
        #expect(appended.lastFetchedEpoch == LeaderEpoch(1))
        let log = try #require(follower.logManager.log(for: topicA))
        #expect(log.epochEntries == [EpochEntry(epoch: LeaderEpoch(0), startOffset: .zero), EpochEntry(epoch: LeaderEpoch(1), startOffset: Offset(2))])
    }

    @Test func followerWithOnlyAnOlderEpochTruncatesToThatEpochsEnd() throws {
        let follower = try ReplicaFixture()
        try follower.lead(topicA, epoch: 0)
        for tag in 0..<3 { _ = try follower.produceNow(topicA, Batches.make(count: 1, tag: tag)) }
        try follower.lead(topicA, epoch: 2)
        for tag in 3..<5 { _ = try follower.produceNow(topicA, Batches.make(count: 1, tag: tag)) }
        try follower.follow(topicA, leader: 2, epoch: 4)
        // Leader: "epoch 1 ends at 6" — this log has no epoch 1; epoch 0 ends here at 3.
        let truncated = try position(
            try follower.value(
                follower.manager.truncateOnDivergence(
                    topicA, leaderEpoch: LeaderEpoch(4), divergingEpoch: LeaderEpoch(1), endOffset: Offset(6))))
        #expect(truncated.fetchOffset == Offset(3))
        #expect(truncated.lastFetchedEpoch == Optional(LeaderEpoch(0)))
    }

    @Test func leaderAnswersOutOfRangeForAnUnknownEpochAndDoesNotRecordDivergingFollowers() throws {
        let leader = try ReplicaFixture()
        try leader.lead(topicA, replicas: [1, 2], isr: [1], epoch: 2)
        _ = try leader.produceNow(topicA, Batches.make(count: 2))
        // An epoch above every epoch of this log cannot be placed.
        #expect(try replicaFetch(leader, offset: 0, lastFetchedEpoch: 5).errorCode == .offsetOutOfRange)
        #expect(try replicaFetch(leader, offset: 5, lastFetchedEpoch: 2).divergingEpoch == DivergingEpoch(epoch: LeaderEpoch(2), endOffset: Offset(2)))
        // The diverging fetch did not count as caught up.
        #expect(try leader.info(topicA).isr == [BrokerID(1)])
        #expect(try replicaFetch(leader, offset: 2, lastFetchedEpoch: 2, currentEpoch: 1).errorCode == .fencedLeaderEpoch)
        #expect(try replicaFetch(leader, offset: 2, lastFetchedEpoch: 2, currentEpoch: 3).errorCode == .unknownLeaderEpoch)
        let fine = try replicaFetch(leader, offset: 2, lastFetchedEpoch: 2, currentEpoch: 2)
        #expect(fine.errorCode == .none && fine.divergingEpoch == nil)
        #expect(try leader.info(topicA).isr == [BrokerID(1), BrokerID(2)])
    }

    @Test func outOfRangeRestartsAtTheLeadersStartOrTruncatesToItsEnd() throws {
        let follower = try ReplicaFixture()
        try follower.lead(topicA)
        for tag in 0..<3 { _ = try follower.produceNow(topicA, Batches.make(count: 1, tag: tag)) }
        try follower.follow(topicA, leader: 2, epoch: 1)
        // Leader ends below us (unclean election): truncate to its end.
        let truncated = try position(
            try follower.value(
                follower.manager.resetAfterOutOfRange(
                    topicA, leaderEpoch: LeaderEpoch(1), leaderLogStartOffset: .zero, leaderLogEndOffset: Offset(1))))
        #expect(truncated.fetchOffset == Offset(1))
        // Leader starts after our end (retention): start over there.
        let restarted = try position(
            try follower.value(
                follower.manager.resetAfterOutOfRange(
                    topicA, leaderEpoch: LeaderEpoch(1), leaderLogStartOffset: Offset(50), leaderLogEndOffset: Offset(60))))
        #expect(restarted.fetchOffset == Offset(50))
        #expect(restarted.logStartOffset == Offset(50))
        #expect(restarted.lastFetchedEpoch == nil)
    }

    @Test func producerStateFromFollowerAppendsSurvivesFailover() throws {
        let leader = try ReplicaFixture()
        try leader.lead(topicA)
        let batch = Batches.make(count: 2, producerID: 7, epoch: 0, sequence: 0)
        _ = try leader.produceNow(topicA, batch)
        let follower = try ReplicaFixture()
        try follower.follow(topicA, leader: 2, epoch: 0)
        _ = try append(follower, try leaderBytes(leader, from: 0), fetchOffset: 0, leaderHW: 2)
        #expect(follower.manager.partition(topicA)?.producerState.entry(for: ProducerID(7))?.lastSequence == 1)

        // Failover: the follower leads; the producer's retry is a duplicate, its next batch is in order.
        try follower.lead(topicA, epoch: 1)
        let retry = try follower.produceNow(topicA, batch)
        #expect(retry.errorCode == .none)
        #expect(retry.baseOffset == .zero)
        #expect(follower.logManager.log(for: topicA)?.logEndOffset == Offset(2))
        let next = try follower.produceNow(topicA, Batches.make(count: 1, producerID: 7, epoch: 0, sequence: 2))
        #expect(next.errorCode == .none && next.baseOffset == Offset(2))
        let gap = try follower.produceNow(topicA, Batches.make(count: 1, producerID: 7, epoch: 0, sequence: 9))
        #expect(gap.errorCode == .outOfOrderSequenceNumber)
    }

    @Test func newLeaderKeepsItsHighWatermarkUntilIsrFollowersCatchUp() throws {
        let follower = try ReplicaFixture()
        try follower.follow(topicA, leader: 2, replicas: [1, 2], epoch: 0)
        let leader = try ReplicaFixture()
        try leader.lead(topicA)
        for tag in 0..<4 { _ = try leader.produceNow(topicA, Batches.make(count: 1, tag: tag)) }
        // Replicated everything, but the old leader's HW (2) was all it learned.
        _ = try append(follower, try leaderBytes(leader, from: 0), fetchOffset: 0, leaderHW: 2)
        #expect(try follower.info(topicA).highWatermark == Offset(2))
        try follower.lead(topicA, replicas: [1, 2], isr: [1, 2], epoch: 1)
        #expect(try follower.info(topicA).highWatermark == Offset(2))
        // Consumers read only to the HW until broker 2 (in the ISR) fetches at the log end.
        let consumer = try follower.value(follower.consumerFetch([request(topicA, offset: 2)]))
        #expect(consumer.first?.sizeInBytes == 0)
        _ = try follower.followerFetch(topicA, replica: 2, offset: 4)
        #expect(try follower.info(topicA).highWatermark == Offset(4))
    }

    @Test func roleChangesDriveTheFetchers() throws {
        let fixture = try ReplicaFixture()
        let control = RecordingFetchControl()
        fixture.manager.setFollowerFetchControl(control)
        try fixture.lead(topicA, epoch: 0)
        _ = try fixture.produceNow(topicA, Batches.make(count: 2))
        #expect(control.removed == [topicA])
        try fixture.follow(topicA, leader: 2, epoch: 1)
        #expect(
            control.added == [
                FollowerFetchPosition(
                    topicPartition: topicA, leader: BrokerID(2), leaderEpoch: LeaderEpoch(1), fetchOffset: Offset(2),
                    lastFetchedEpoch: LeaderEpoch(0), logStartOffset: .zero)
            ])
        // Same leader and epoch again (e.g. a new ISR): no restart.
        try fixture.follow(topicA, leader: 2, epoch: 1)
        #expect(control.added.count == 1)
        try fixture.value(fixture.manager.stopReplicas([topicA], delete: false))
        #expect(control.removed == [topicA, topicA])
    }

    @Test func isrChangeIsUsedOnlyOnceWritten() throws {
        let fixture = try ReplicaFixture(lagMs: 10_000)
        let writer = try #require(fixture.manager.isrUpdateWriter as? RecordingIsrWriter)
        writer.answer = .rejected
        try fixture.lead(topicA, replicas: [1, 2], partitionEpoch: 4)
        fixture.clock.advance(milliseconds: 10_001)
        try fixture.value(fixture.manager.maybeShrinkIsr())
        #expect(writer.updates.last == IsrUpdate(topicPartition: topicA, leader: BrokerID(1), leaderEpoch: LeaderEpoch(0), isr: [BrokerID(1)], partitionEpoch: 4))
        // Rejected: the ISR stays as committed, and no new change is proposed.
        #expect(try fixture.info(topicA).isr == [BrokerID(1), BrokerID(2)])
        try fixture.value(fixture.manager.maybeShrinkIsr())
        #expect(writer.updates.count == 1)
        // The next LeaderAndIsr (new epoch) resets it; a committed write moves the partition epoch.
        writer.answer = nil
        try fixture.lead(topicA, replicas: [1, 2], epoch: 1, partitionEpoch: 6)
        fixture.clock.advance(milliseconds: 10_001)
        try fixture.value(fixture.manager.maybeShrinkIsr())
        let info = try fixture.info(topicA)
        #expect(info.isr == [BrokerID(1)])
        #expect(info.partitionEpoch == 7)
    }
}
