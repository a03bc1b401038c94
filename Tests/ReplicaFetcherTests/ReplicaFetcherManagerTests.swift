import BrokerCore
import KafkaRecords
import NIOCore
import Replication
import Testing

@testable import ReplicaFetcher

/// End-to-end follower replication in one process: a leader ReplicaManager behind a real
/// KafkaServer on loopback, a follower ReplicaManager fetching from it through the
/// ReplicaFetcherManager. acks=all produces are the synchronisation: with the follower in the
/// ISR, one completes only after the follower fetched at the leader's log end.
@Suite(.serialized) struct ReplicaFetcherManagerTests {
    let tp = TopicPartition("orders", 0)

    @Test func followerReplicatesAndAcksAllCompletes() async throws {
        let brokers = try TwoBrokers()
        try await brokers.startServer()
        _ = try await brokers.leader.becomeLeaderOrFollower([brokers.state(tp, epoch: 0, minIsr: 2)]).get()
        _ = try await brokers.follower.becomeLeaderOrFollower([brokers.state(tp, epoch: 0)]).get()
        #expect(brokers.fetchers.assignment == [tp: TwoBrokers.leaderID])

        let results = try await brokers.produce(tp, count: 5, acks: -1, minIsr: 2)
        #expect(results.map(\.errorCode) == Array(repeating: ErrorCode.none, count: 5))
        let leaderLog = try #require(brokers.leaderLogs.log(for: tp))
        let followerLog = try #require(brokers.followerLogs.log(for: tp))
        #expect(leaderLog.highWatermark == Offset(5))
        #expect(followerLog.logEndOffset == Offset(5))
        #expect(try TwoBrokers.bytes(brokers.followerLogs, tp) == TwoBrokers.bytes(brokers.leaderLogs, tp))
        #expect(followerLog.epochEntries == leaderLog.epochEntries)
        try await brokers.shutdown()
    }

    @Test func divergentFollowerTruncatesAndConverges() async throws {
        let brokers = try TwoBrokers()
        try await brokers.startServer()
        // Broker 2 led epoch 0 and wrote four records nobody replicated.
        _ = try await brokers.follower.becomeLeaderOrFollower([
            brokers.state(tp, leader: TwoBrokers.followerID, epoch: 0, isr: [TwoBrokers.followerID])
        ]).get()
        for index in 0..<4 {
            var builder = RecordBatchBuilder()
            builder.append(key: nil, value: Array("stale-\(index)".utf8), timestamp: 1_700_000_000_000)
            _ = try await brokers.follower.appendRecords(
                [ProducePartitionData(topicPartition: tp, records: builder.build())], acks: 1, timeoutMs: 1_000
            ).get()
        }
        // Broker 1 had replicated the first two (fed here as its fetcher would have), then leads
        // epoch 1 with both replicas in the ISR and appends one record.
        _ = try await brokers.leader.becomeLeaderOrFollower([
            brokers.state(tp, leader: TwoBrokers.followerID, epoch: 0, isr: [TwoBrokers.followerID])
        ]).get()
        let staleLog = try #require(brokers.followerLogs.log(for: tp))
        // Records of one batch each: read the first two batches.
        var replicated = try staleLog.read(from: .zero, maxBytes: 1).readBytes()
        var second = try staleLog.read(from: Offset(1), maxBytes: 1).readBytes()
        replicated.writeBuffer(&second)
        _ = try await brokers.leader.appendFetchedRecords(
            FollowerFetchedData(
                topicPartition: tp, leaderEpoch: LeaderEpoch(0), fetchOffset: .zero, records: replicated,
                leaderHighWatermark: Offset(2), leaderLogStartOffset: .zero)
        ).get()
        _ = try await brokers.leader.becomeLeaderOrFollower([brokers.state(tp, epoch: 1)]).get()
        _ = try await brokers.produce(tp, count: 1, acks: 1, tag: 7)
        _ = try await brokers.follower.becomeLeaderOrFollower([brokers.state(tp, epoch: 1)]).get()

        let results = try await brokers.produce(tp, count: 2, acks: -1, tag: 1)
        #expect(results.map(\.errorCode) == [.none, .none])
        let followerLog = try #require(brokers.followerLogs.log(for: tp))
        #expect(followerLog.logEndOffset == Offset(5))
        #expect(try TwoBrokers.bytes(brokers.followerLogs, tp) == TwoBrokers.bytes(brokers.leaderLogs, tp))
        #expect(followerLog.epochEntries.map(\.epoch) == [LeaderEpoch(0), LeaderEpoch(1)])
        try await brokers.shutdown()
    }

    @Test func outOfRangeFollowerRestartsAtTheLeadersLogStart() async throws {
        let brokers = try TwoBrokers()
        try await brokers.startServer()
        _ = try await brokers.leader.becomeLeaderOrFollower([brokers.state(tp, epoch: 0, isr: [TwoBrokers.leaderID])]).get()
        _ = try await brokers.produce(tp, count: 5, acks: 1)
        let deleted = try await brokers.leader.deleteRecords(tp, before: Offset(3)).get()
        #expect(deleted.lowWatermark == Offset(3))
        _ = try await brokers.leader.becomeLeaderOrFollower([brokers.state(tp, epoch: 1)]).get()
        _ = try await brokers.follower.becomeLeaderOrFollower([brokers.state(tp, epoch: 1)]).get()

        let results = try await brokers.produce(tp, count: 1, acks: -1)
        #expect(results.first?.errorCode == ErrorCode.none)
        let followerLog = try #require(brokers.followerLogs.log(for: tp))
        #expect(followerLog.logStartOffset == Offset(3))
        #expect(followerLog.logEndOffset == Offset(6))
        try await brokers.shutdown()
    }

    @Test func reconnectsAfterTheLeaderComesBackOnAnotherPort() async throws {
        let brokers = try TwoBrokers()
        try await brokers.startServer()
        _ = try await brokers.leader.becomeLeaderOrFollower([brokers.state(tp, epoch: 0, minIsr: 2)]).get()
        _ = try await brokers.follower.becomeLeaderOrFollower([brokers.state(tp, epoch: 0)]).get()
        #expect(try await brokers.produce(tp, count: 1, acks: -1, minIsr: 2).first?.errorCode == ErrorCode.none)
        try await brokers.stopServer()
        try await brokers.startServer()
        #expect(try await brokers.produce(tp, count: 1, acks: -1, tag: 1, minIsr: 2).first?.errorCode == ErrorCode.none)
        #expect(brokers.followerLogs.log(for: tp)?.logEndOffset == Offset(2))
        try await brokers.shutdown()
    }

    @Test func becomingLeaderStopsFetching() async throws {
        let brokers = try TwoBrokers()
        try await brokers.startServer()
        _ = try await brokers.leader.becomeLeaderOrFollower([brokers.state(tp, epoch: 0)]).get()
        _ = try await brokers.follower.becomeLeaderOrFollower([brokers.state(tp, epoch: 0)]).get()
        #expect(brokers.fetchers.assignment[tp] == TwoBrokers.leaderID)
        _ = try await brokers.follower.becomeLeaderOrFollower([
            brokers.state(tp, leader: TwoBrokers.followerID, epoch: 1, isr: [TwoBrokers.followerID])
        ]).get()
        #expect(brokers.fetchers.assignment.isEmpty)
        #expect(try await brokers.fetchers.fetchPositions().get().isEmpty)
        try await brokers.shutdown()
    }
}
