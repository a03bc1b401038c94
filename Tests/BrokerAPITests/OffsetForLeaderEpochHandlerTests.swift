import BrokerAPI
import BrokerCore
import KafkaProtocol
import Replication
import Testing

@Suite struct OffsetForLeaderEpochHandlerTests {
    let orders = TopicPartition("orders", 0)

    private func answer(
        _ broker: DataPathFixture, epoch: Int32, currentLeaderEpoch: Int32 = -1, version: Int16 = 4
    ) throws -> OffsetForLeaderEpochResponse.EpochEndOffset {
        let request = OffsetForLeaderEpochRequest(
            replicaId: -1,
            topics: [
                .init(
                    topic: orders.topic,
                    partitions: [.init(partition: orders.partition, currentLeaderEpoch: currentLeaderEpoch, leaderEpoch: epoch)])
            ])
        let response = try broker.call(request, version: version)
        #expect(response.topics.map(\.topic) == [orders.topic])
        return try #require(response.topics.first?.partitions.first)
    }

    /// Epoch 0 holds offsets 0-1, epoch 2 offsets 2-4; the leader is now in epoch 2.
    private func leaderWithTwoEpochs() throws -> DataPathFixture {
        let broker = try DataPathFixture()
        try broker.lead(orders, epoch: 0)
        try broker.produce(orders, TestBatches.make(count: 2))
        try broker.lead(orders, epoch: 2)
        try broker.produce(orders, TestBatches.make(count: 3))
        return broker
    }

    @Test(arguments: Array(Int16(2)...4))
    func answersWhereEachEpochEnded(version: Int16) throws {
        let broker = try leaderWithTwoEpochs()
        let first = try answer(broker, epoch: 0, version: version)
        #expect(first.errorCode == ErrorCode.none.rawValue)
        #expect(first.partition == 0)
        #expect((first.leaderEpoch, first.endOffset) == (0, 2))
        let gap = try answer(broker, epoch: 1, version: version)
        #expect((gap.leaderEpoch, gap.endOffset) == (0, 2))
        let latest = try answer(broker, epoch: 2, version: version)
        #expect((latest.leaderEpoch, latest.endOffset) == (2, 5))
        let future = try answer(broker, epoch: 3, version: version)
        #expect(future.errorCode == ErrorCode.none.rawValue)
        #expect((future.leaderEpoch, future.endOffset) == (-1, -1))
    }

    @Test func currentLeaderEpochIsFenced() throws {
        let broker = try leaderWithTwoEpochs()
        #expect(try answer(broker, epoch: 0, currentLeaderEpoch: 1).errorCode == ErrorCode.fencedLeaderEpoch.rawValue)
        #expect(try answer(broker, epoch: 0, currentLeaderEpoch: 3).errorCode == ErrorCode.unknownLeaderEpoch.rawValue)
        let current = try answer(broker, epoch: 0, currentLeaderEpoch: 2)
        #expect(current.errorCode == ErrorCode.none.rawValue)
        #expect(current.endOffset == 2)
    }

    @Test func fencedAnswerCarriesNoOffsets() throws {
        let broker = try leaderWithTwoEpochs()
        let fenced = try answer(broker, epoch: 0, currentLeaderEpoch: 1)
        #expect((fenced.leaderEpoch, fenced.endOffset) == (-1, -1))
    }

    @Test func followerAnswersNotLeaderOrFollower() throws {
        let broker = try DataPathFixture()
        try broker.follow(orders)
        #expect(try answer(broker, epoch: 0).errorCode == ErrorCode.notLeaderOrFollower.rawValue)
    }

    @Test func unknownAndUnhostedPartitions() throws {
        let broker = try DataPathFixture()
        #expect(try answer(broker, epoch: 0).errorCode == ErrorCode.unknownTopicOrPartition.rawValue)
        broker.addToClusterMetadata(orders)
        #expect(try answer(broker, epoch: 0).errorCode == ErrorCode.notLeaderOrFollower.rawValue)
    }

    @Test func versionsOutsideTwoToFourCloseTheConnection() throws {
        let broker = try DataPathFixture()
        guard case .close = broker.dispatch(OffsetForLeaderEpochRequest(topics: []), version: 1) else {
            throw TestFailure("version 1 was served")
        }
        #expect(OffsetForLeaderEpochHandler.supportedVersions == 2...4)
    }
}
