import BrokerCore
import Testing

@testable import Replication

@Suite struct ReplicaManagerListOffsetsTests {
    func lookup(_ fixture: ReplicaFixture, _ timestamp: Int64, isolation: IsolationLevel? = .readUncommitted, epoch: Int32 = -1)
        throws -> ListOffsetsPartitionResult
    {
        try fixture.value(
            fixture.manager.offsetForTimestamp(topicA, timestamp: timestamp, isolation: isolation, currentLeaderEpoch: LeaderEpoch(epoch)))
    }

    @Test func earliestLatestMaxAndByTimestamp() throws {
        let fixture = try ReplicaFixture()
        try fixture.lead(topicA, epoch: 2)
        _ = try fixture.produceNow(topicA, Batches.make(count: 2, timestamp: 1_000))
        _ = try fixture.produceNow(topicA, Batches.make(count: 2, timestamp: 5_000))
        #expect(try lookup(fixture, -2).offset == Offset(0))
        let latest = try lookup(fixture, -1)
        #expect(latest.offset == Offset(4))
        #expect(latest.leaderEpoch == LeaderEpoch(2))
        #expect(try lookup(fixture, -3).offset == Offset(3))
        #expect(try lookup(fixture, -3).timestamp == 5_001)
        #expect(try lookup(fixture, 4_000).offset == Offset(2))
        #expect(try lookup(fixture, 9_000).offset == .unknown)
    }

    @Test func latestForConsumersIsHighWatermark() throws {
        let fixture = try ReplicaFixture()
        try fixture.lead(topicA, replicas: [1, 2])
        _ = try fixture.produceNow(topicA, Batches.make(count: 2, timestamp: 1_000))
        _ = try fixture.followerFetch(topicA, offset: 1)
        #expect(try lookup(fixture, -1).offset == Offset(1))
        #expect(try lookup(fixture, -1, isolation: nil).offset == Offset(2))
        // A record above the HW is not found by timestamp for consumers.
        #expect(try lookup(fixture, 1_001).offset == .unknown)
        #expect(try lookup(fixture, 1_000).offset == Offset(0))
    }

    @Test func errors() throws {
        let fixture = try ReplicaFixture()
        #expect(try lookup(fixture, -1).errorCode == .unknownTopicOrPartition)
        try fixture.lead(topicA, epoch: 3)
        #expect(try lookup(fixture, -1, epoch: 2).errorCode == .fencedLeaderEpoch)
        #expect(try lookup(fixture, -1, epoch: 4).errorCode == .unknownLeaderEpoch)
        try fixture.follow(topicA, epoch: 4)
        #expect(try lookup(fixture, -1).errorCode == .notLeaderOrFollower)
    }

    @Test func newLeaderWithLaggingHighWatermarkAnswersOffsetNotAvailable() throws {
        let fixture = try ReplicaFixture()
        try fixture.lead(topicA)
        _ = try fixture.produceNow(topicA, Batches.make(count: 2))
        // Re-elected with a follower in the ISR whose position is unknown: HW (2) < epoch start? No:
        // the HW is 2 and the epoch starts at 2, so lookups work.
        try fixture.lead(topicA, replicas: [1, 2], epoch: 1)
        #expect(try lookup(fixture, -1).errorCode == .none)
        _ = try fixture.produceNow(topicA, Batches.make(count: 1))
        try fixture.lead(topicA, replicas: [1, 2], epoch: 2)  // epoch starts at 3, HW still 2
        #expect(try lookup(fixture, -1).errorCode == .offsetNotAvailable)
        #expect(try lookup(fixture, -2).errorCode == .none)
    }
}
