import BrokerAPI
import BrokerCore
import KafkaProtocol
import Replication
import Testing

@Suite struct ListOffsetsHandlerTests {
    let orders = TopicPartition("orders", 0)
    let base = TestBatches.baseTimestamp

    private func request(
        _ partition: TopicPartition, timestamp: Int64, currentLeaderEpoch: Int32 = -1, replicaId: Int32 = -1, isolation: Int8 = 0
    ) -> ListOffsetsRequest {
        ListOffsetsRequest(
            replicaId: replicaId, isolationLevel: isolation,
            topics: [
                .init(
                    name: partition.topic,
                    partitions: [
                        .init(partitionIndex: partition.partition, currentLeaderEpoch: currentLeaderEpoch, timestamp: timestamp)
                    ])
            ])
    }

    private func answer(
        _ broker: DataPathFixture, timestamp: Int64, version: Int16, currentLeaderEpoch: Int32 = -1, replicaId: Int32 = -1
    ) throws -> ListOffsetsResponse.ListOffsetsPartitionResponse {
        let response = try broker.call(
            request(orders, timestamp: timestamp, currentLeaderEpoch: currentLeaderEpoch, replicaId: replicaId), version: version)
        return try #require(response.topics.first?.partitions.first)
    }

    /// Offsets 0-2 at base+0..2 and 3-4 at base+10, base+11.
    private func seed(_ broker: DataPathFixture) throws {
        try broker.produce(orders, TestBatches.make(count: 3, timestamp: base))
        try broker.produce(orders, TestBatches.make(count: 2, timestamp: base + 10))
    }

    @Test(arguments: Array(Int16(1)...7))
    func earliestAndLatest(version: Int16) throws {
        let broker = try DataPathFixture()
        try broker.lead(orders)
        try seed(broker)
        let earliest = try answer(broker, timestamp: -2, version: version)
        #expect(earliest.errorCode == ErrorCode.none.rawValue)
        #expect(earliest.offset == 0)
        #expect(earliest.timestamp == -1)
        let latest = try answer(broker, timestamp: -1, version: version)
        #expect(latest.errorCode == ErrorCode.none.rawValue)
        #expect(latest.offset == 5)
        #expect(latest.timestamp == -1)
        #expect(latest.leaderEpoch == (version >= 4 ? 0 : -1))
    }

    @Test(arguments: Array(Int16(1)...7))
    func byTimestampFindsTheFirstRecordAtOrAfterIt(version: Int16) throws {
        let broker = try DataPathFixture()
        try broker.lead(orders)
        try seed(broker)
        let exact = try answer(broker, timestamp: base + 1, version: version)
        #expect(exact.offset == 1)
        #expect(exact.timestamp == base + 1)
        let between = try answer(broker, timestamp: base + 5, version: version)
        #expect(between.offset == 3)
        #expect(between.timestamp == base + 10)
        let after = try answer(broker, timestamp: base + 100, version: version)
        #expect(after.errorCode == ErrorCode.none.rawValue)
        #expect(after.offset == -1)
        #expect(after.timestamp == -1)
    }

    @Test func maxTimestampNeedsVersion7() throws {
        let broker = try DataPathFixture()
        try broker.lead(orders)
        try seed(broker)
        let found = try answer(broker, timestamp: -3, version: 7)
        #expect(found.errorCode == ErrorCode.none.rawValue)
        #expect(found.offset == 4)
        #expect(found.timestamp == base + 11)
        #expect(try answer(broker, timestamp: -3, version: 6).errorCode == ErrorCode.unsupportedVersion.rawValue)
    }

    @Test(arguments: [Int64(-4), -5, -6])
    func laterSpecialTimestampsAreUnsupportedVersion(timestamp: Int64) throws {
        let broker = try DataPathFixture()
        try broker.lead(orders)
        #expect(try answer(broker, timestamp: timestamp, version: 7).errorCode == ErrorCode.unsupportedVersion.rawValue)
    }

    @Test func consumersSeeTheHighWatermarkReplicasTheLogEnd() throws {
        let broker = try DataPathFixture()
        try broker.lead(orders, replicas: [1, 2])  // follower 2 has not fetched: HW stays at 0
        try seed(broker)
        #expect(try answer(broker, timestamp: -1, version: 7).offset == 0)
        #expect(try answer(broker, timestamp: -1, version: 7, replicaId: 2).offset == 5)
        let committed = try broker.call(request(orders, timestamp: -1, isolation: 1), version: 7)
        #expect(committed.topics[0].partitions[0].offset == 0)
    }

    @Test func duplicatePartitionsAreInvalidRequest() throws {
        let broker = try DataPathFixture()
        try broker.lead(orders)
        let duplicated = ListOffsetsRequest(
            replicaId: -1,
            topics: [
                .init(name: "orders", partitions: [.init(partitionIndex: 0, timestamp: -1), .init(partitionIndex: 0, timestamp: -2)])
            ])
        let response = try broker.call(duplicated, version: 5)
        #expect(response.topics[0].partitions.map(\.errorCode) == [ErrorCode.invalidRequest.rawValue, ErrorCode.invalidRequest.rawValue])
    }

    @Test func currentLeaderEpochIsFenced() throws {
        let broker = try DataPathFixture()
        try broker.lead(orders, epoch: 2)
        #expect(try answer(broker, timestamp: -1, version: 4, currentLeaderEpoch: 1).errorCode == ErrorCode.fencedLeaderEpoch.rawValue)
        #expect(try answer(broker, timestamp: -1, version: 4, currentLeaderEpoch: 3).errorCode == ErrorCode.unknownLeaderEpoch.rawValue)
        #expect(try answer(broker, timestamp: -1, version: 4, currentLeaderEpoch: 2).errorCode == ErrorCode.none.rawValue)
    }

    @Test func notLeaderUnknownAndUnhostedPartitions() throws {
        let broker = try DataPathFixture()
        #expect(try answer(broker, timestamp: -1, version: 7).errorCode == ErrorCode.unknownTopicOrPartition.rawValue)
        broker.addToClusterMetadata(orders)
        #expect(try answer(broker, timestamp: -1, version: 7).errorCode == ErrorCode.notLeaderOrFollower.rawValue)
        try broker.follow(orders)
        #expect(try answer(broker, timestamp: -1, version: 7).errorCode == ErrorCode.notLeaderOrFollower.rawValue)
    }

    @Test func laggingNewLeaderIsOffsetNotAvailableFromVersion5() throws {
        let broker = try DataPathFixture()
        try broker.lead(orders, replicas: [1, 2])
        try seed(broker)  // HW 0, LEO 5
        try broker.lead(orders, replicas: [1, 2], epoch: 1)  // epoch 1 starts at 5 > HW
        #expect(try answer(broker, timestamp: -1, version: 5).errorCode == ErrorCode.offsetNotAvailable.rawValue)
        #expect(try answer(broker, timestamp: -1, version: 4).errorCode == ErrorCode.leaderNotAvailable.rawValue)
    }

    @Test func versionsOutsideOneToSevenCloseTheConnection() throws {
        let broker = try DataPathFixture()
        for version: Int16 in [0, 8] {
            guard case .close = broker.dispatch(request(orders, timestamp: -1), version: version) else {
                throw TestFailure("version \(version) was served")
            }
        }
        #expect(ListOffsetsHandler.supportedVersions == 1...7)
    }
}
