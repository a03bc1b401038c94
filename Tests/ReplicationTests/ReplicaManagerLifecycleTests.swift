import BrokerCore
import LogStorage
import Testing

@testable import Replication

@Suite struct ReplicaManagerLifecycleTests {
    @Test func leaderAndIsrCreatesLogsAndReportsRoleChanges() throws {
        let fixture = try ReplicaFixture()
        #expect(try fixture.lead(topicA).roleChanged)
        #expect(fixture.logManager.log(for: topicA) != nil)
        #expect(try !fixture.lead(topicA, partitionEpoch: 1).roleChanged)
        let info = try fixture.info(topicA)
        #expect(info.isLeader)
        #expect(info.partitionEpoch == 1)
        #expect(try fixture.follow(topicA, epoch: 1).roleChanged)
        #expect(try !fixture.info(topicA).isLeader)
    }

    @Test func staleLeaderEpochIsIgnored() throws {
        let fixture = try ReplicaFixture()
        try fixture.lead(topicA, epoch: 5)
        #expect(try fixture.follow(topicA, epoch: 4).errorCode == .staleControllerEpoch)
        #expect(try fixture.info(topicA).isLeader)
    }

    @Test func stopReplicasCompletesWaitersAndDeletesLogs() throws {
        let fixture = try ReplicaFixture()
        try fixture.lead(topicA, replicas: [1, 2])
        let produce = fixture.produce(topicA, Batches.make(), acks: -1)
        let fetch = fixture.consumerFetch([request(topicA, offset: 0)], maxWaitMs: 5_000)
        #expect(fixture.peek(fetch) == nil)
        let results = try fixture.value(fixture.manager.stopReplicas([topicA, topicB], delete: true))
        #expect(results == [topicA: .none, topicB: .none])
        #expect(try fixture.value(produce).first?.errorCode == .notLeaderOrFollower)
        #expect(try fixture.value(fetch).first?.errorCode == .notLeaderOrFollower)
        #expect(fixture.logManager.log(for: topicA) == nil)
        #expect(fixture.manager.partition(topicA) == nil)
        #expect(try fixture.produceNow(topicA, Batches.make()).errorCode == .unknownTopicOrPartition)
    }

    @Test func periodicIsrExpiryShrinksLaggingFollower() throws {
        let fixture = try ReplicaFixture(lagMs: 10_000)
        try fixture.lead(topicA, replicas: [1, 2])
        fixture.manager.start()
        fixture.advance(ms: 5_000)
        #expect(try fixture.info(topicA).isr == [BrokerID(1), BrokerID(2)])
        fixture.advance(ms: 5_000)
        fixture.advance(ms: 5_000)
        #expect(try fixture.info(topicA).isr == [BrokerID(1)])
        #expect(fixture.isrChanges.changes.count == 1)
        try fixture.value(fixture.manager.shutdown())
    }

    @Test func followerRejoinsIsrWhenCaughtUp() throws {
        let fixture = try ReplicaFixture()
        try fixture.lead(topicA, replicas: [1, 2], isr: [1])
        _ = try fixture.produceNow(topicA, Batches.make(count: 2))
        #expect(try fixture.info(topicA).highWatermark == Offset(2))
        _ = try fixture.followerFetch(topicA, offset: 2)
        #expect(try fixture.info(topicA).isr == [BrokerID(1), BrokerID(2)])
        #expect(fixture.isrChanges.changes.last?.1 == [BrokerID(1), BrokerID(2)])
    }

    @Test func highWatermarkIsCheckpointedAndReloaded() throws {
        let fixture = try ReplicaFixture()
        try fixture.lead(topicA)
        _ = try fixture.produceNow(topicA, Batches.make(count: 3))
        fixture.manager.start()
        fixture.advance(ms: 5_000)
        try fixture.value(fixture.manager.shutdown())
        let reloaded = try ReplicaFixture(fileSystem: fixture.fileSystem, clock: fixture.clock)
        #expect(reloaded.logManager.log(for: topicA)?.highWatermark == Offset(3))
    }

    @Test func shutdownCompletesWaitingOperations() throws {
        let fixture = try ReplicaFixture()
        try fixture.lead(topicA, replicas: [1, 2])
        let produce = fixture.produce(topicA, Batches.make(), acks: -1)
        // The appended record is above the high watermark: the consumer waits.
        let fetch = fixture.consumerFetch([request(topicA, offset: 0)], maxWaitMs: 5_000)
        #expect(fixture.peek(fetch) == nil)
        try fixture.value(fixture.manager.shutdown())
        #expect(try fixture.value(produce).first?.errorCode == .notLeaderOrFollower)
        #expect(try fixture.value(fetch).first?.errorCode == .notLeaderOrFollower)
    }
}
