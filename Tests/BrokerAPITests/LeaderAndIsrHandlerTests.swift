import BrokerAPI
import BrokerCore
import KafkaProtocol
import LogStorage
import NIOCore
import Testing

/// LeaderAndIsr and StopReplica against a real ReplicaManager (the data-path fixture).
@Suite struct LeaderAndIsrHandlerTests {
    private func fixture() throws -> (DataPathFixture, HandlerRegistry, BrokerEpochSource) {
        let fixture = try DataPathFixture()
        let epoch = BrokerEpochSource()
        epoch.update(100)
        let fence = ControllerRequestFence(brokerEpoch: epoch, controllerEpochs: ControllerEpochTracker())
        let registry = HandlerRegistry(handlers: [
            LeaderAndIsrHandler(
                replicaManager: fixture.replicaManager, fence: fence,
                topicSettings: { topics, loop in
                    loop.makeSucceededFuture(Dictionary(uniqueKeysWithValues: topics.map { ($0, TopicSettings()) }))
                }),
            StopReplicaHandler(replicaManager: fixture.replicaManager, fence: fence),
        ])
        return (fixture, registry, epoch)
    }

    private func call<R: KafkaRequest>(
        _ fixture: DataPathFixture, _ registry: HandlerRegistry, _ request: R, version: Int16
    ) throws -> R.Response {
        var writer = MessageWriter()
        request.encode(to: &writer, version: version)
        var body = writer.finishAsByteBuffer()!
        let context = RequestContext(
            apiKey: R.apiKey, apiVersion: version, correlationID: 42, clientID: "controller", clientAddress: "x",
            listenerName: "PLAINTEXT", eventLoop: fixture.loop)
        let outcome = registry.dispatch(body: &body, context: context)
        return try fixture.response(to: outcome, as: R.Response.self, version: version).response
    }

    private func leaderAndIsr(controllerEpoch: Int32 = 1, brokerEpoch: Int64 = 100, leader: Int32, leaderEpoch: Int32)
        -> LeaderAndIsrRequest
    {
        LeaderAndIsrRequest(
            controllerId: 0, controllerEpoch: controllerEpoch, brokerEpoch: brokerEpoch,
            topicStates: [
                .init(
                    topicName: "t",
                    partitionStates: [
                        .init(
                            partitionIndex: 0, controllerEpoch: controllerEpoch, leader: leader, leaderEpoch: leaderEpoch,
                            isr: [1, 2], partitionEpoch: leaderEpoch, replicas: [1, 2], isNew: true)
                    ])
            ])
    }

    @Test(arguments: [Int16(2), 4])
    func makesThisBrokerLeaderOrFollower(version: Int16) throws {
        let (fixture, registry, _) = try fixture()
        let response = try call(fixture, registry, leaderAndIsr(leader: 1, leaderEpoch: 3), version: version)
        #expect(response.errorCode == 0)
        #expect(response.partitionErrors.map(\.errorCode) == [0])
        let partition = try #require(fixture.replicaManager.partition(TopicPartition("t", 0)))
        #expect(partition.topicPartition == TopicPartition("t", 0))
        let info = try fixture.value(fixture.replicaManager.partitionInfo(TopicPartition("t", 0)))
        #expect(info?.isLeader == true && info?.leaderEpoch == LeaderEpoch(3))
        let follower = try call(fixture, registry, leaderAndIsr(leader: 2, leaderEpoch: 4), version: version)
        #expect(follower.partitionErrors.map(\.errorCode) == [0])
        let after = try fixture.value(fixture.replicaManager.partitionInfo(TopicPartition("t", 0)))
        #expect(after?.isLeader == false && after?.leader == BrokerID(2))
    }

    @Test func olderLeaderEpochIsRejectedPerPartition() throws {
        let (fixture, registry, _) = try fixture()
        _ = try call(fixture, registry, leaderAndIsr(leader: 1, leaderEpoch: 5), version: 4)
        let stale = try call(fixture, registry, leaderAndIsr(leader: 2, leaderEpoch: 4), version: 4)
        #expect(stale.partitionErrors.map(\.errorCode) == [ErrorCode.staleControllerEpoch.rawValue])
    }

    @Test func deposedControllerAndOldBrokerEpochAreFenced() throws {
        let (fixture, registry, _) = try fixture()
        _ = try call(fixture, registry, leaderAndIsr(controllerEpoch: 7, leader: 1, leaderEpoch: 1), version: 4)
        let deposed = try call(fixture, registry, leaderAndIsr(controllerEpoch: 6, leader: 2, leaderEpoch: 2), version: 4)
        #expect(deposed.errorCode == ErrorCode.staleControllerEpoch.rawValue)
        let oldRegistration = try call(
            fixture, registry, leaderAndIsr(controllerEpoch: 7, brokerEpoch: 99, leader: 2, leaderEpoch: 2), version: 4)
        #expect(oldRegistration.errorCode == ErrorCode.staleBrokerEpoch.rawValue)
        let info = try fixture.value(fixture.replicaManager.partitionInfo(TopicPartition("t", 0)))
        #expect(info?.isLeader == true && info?.leaderEpoch == LeaderEpoch(1))
    }

    @Test func stopReplicaWithDeleteRemovesThePartition() throws {
        let (fixture, registry, _) = try fixture()
        _ = try call(fixture, registry, leaderAndIsr(leader: 1, leaderEpoch: 1), version: 4)
        #expect(fixture.logManager.log(for: TopicPartition("t", 0)) != nil)
        let request = StopReplicaRequest(
            controllerId: 0, controllerEpoch: 1, brokerEpoch: 100,
            topicStates: [.init(topicName: "t", partitionStates: [.init(partitionIndex: 0, leaderEpoch: -2, deletePartition: true)])])
        let response = try call(fixture, registry, request, version: 3)
        #expect(response.errorCode == 0)
        #expect(response.partitionErrors.map(\.errorCode) == [0])
        #expect(fixture.replicaManager.partition(TopicPartition("t", 0)) == nil)
        #expect(fixture.logManager.log(for: TopicPartition("t", 0)) == nil)
    }

    @Test func stopReplicaFromDeposedControllerIsIgnored() throws {
        let (fixture, registry, _) = try fixture()
        _ = try call(fixture, registry, leaderAndIsr(controllerEpoch: 3, leader: 1, leaderEpoch: 1), version: 4)
        let request = StopReplicaRequest(
            controllerId: 0, controllerEpoch: 2, brokerEpoch: 100,
            topicStates: [.init(topicName: "t", partitionStates: [.init(partitionIndex: 0, deletePartition: true)])])
        let response = try call(fixture, registry, request, version: 3)
        #expect(response.errorCode == ErrorCode.staleControllerEpoch.rawValue)
        #expect(fixture.logManager.log(for: TopicPartition("t", 0)) != nil)
    }

    @Test func topicSettingsReachTheLog() throws {
        let fixture = try DataPathFixture()
        let epoch = BrokerEpochSource()
        var config = LogConfig.default
        config.maxMessageBytes = 777
        let small = config
        let registry = HandlerRegistry(handlers: [
            LeaderAndIsrHandler(
                replicaManager: fixture.replicaManager,
                fence: ControllerRequestFence(brokerEpoch: epoch, controllerEpochs: ControllerEpochTracker()),
                topicSettings: { topics, loop in
                    loop.makeSucceededFuture(
                        Dictionary(uniqueKeysWithValues: topics.map { ($0, TopicSettings(minInSyncReplicas: 2, logConfig: small)) }))
                })
        ])
        _ = try call(fixture, registry, leaderAndIsr(leader: 1, leaderEpoch: 1), version: 4)
        #expect(fixture.logManager.log(for: TopicPartition("t", 0))?.config.maxMessageBytes == 777)
        let info = try fixture.value(fixture.replicaManager.partitionInfo(TopicPartition("t", 0)))
        #expect(info?.minInSyncReplicas == 2)
    }
}
