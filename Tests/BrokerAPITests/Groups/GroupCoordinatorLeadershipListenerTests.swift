import BrokerAPI
import BrokerCore
import KafkaProtocol
import Testing

/// The leadership hooks end to end: LeaderAndIsr / StopReplica applied by a real ReplicaManager
/// (broker 1, the data-path fixture), heard by the group coordinator through the listener.
@Suite struct GroupCoordinatorLeadershipListenerTests {
    private struct Setup {
        var fixture: DataPathFixture
        var registry: HandlerRegistry
        var coordinator: FakeGroupCoordinator
    }

    private func setup() throws -> Setup {
        let fixture = try DataPathFixture()
        let epoch = BrokerEpochSource()
        epoch.update(100)
        let fence = ControllerRequestFence(brokerEpoch: epoch, controllerEpochs: ControllerEpochTracker())
        let coordinator = FakeGroupCoordinator()
        let listener = GroupCoordinatorLeadershipListener(coordinator: coordinator)
        let registry = HandlerRegistry(handlers: [
            LeaderAndIsrHandler(
                replicaManager: fixture.replicaManager, fence: fence,
                topicSettings: { topics, loop in
                    loop.makeSucceededFuture(Dictionary(uniqueKeysWithValues: topics.map { ($0, TopicSettings()) }))
                }, listeners: [listener]),
            StopReplicaHandler(replicaManager: fixture.replicaManager, fence: fence, listeners: [listener]),
        ])
        return Setup(fixture: fixture, registry: registry, coordinator: coordinator)
    }

    private func call<R: KafkaRequest>(_ setup: Setup, _ request: R, version: Int16) throws -> R.Response {
        var body = encodeBody(request, version: version)
        let context = RequestContext(
            apiKey: R.apiKey, apiVersion: version, correlationID: 42, clientID: "controller", clientAddress: "x",
            listenerName: "PLAINTEXT", eventLoop: setup.fixture.loop)
        let outcome = setup.registry.dispatch(body: &body, context: context)
        return try setup.fixture.response(to: outcome, as: R.Response.self, version: version).response
    }

    private func leaderAndIsr(_ states: [(topic: String, partition: Int32, leader: Int32, epoch: Int32)]) -> LeaderAndIsrRequest {
        LeaderAndIsrRequest(
            controllerId: 0, controllerEpoch: 1, brokerEpoch: 100,
            topicStates: states.map { state in
                .init(
                    topicName: state.topic,
                    partitionStates: [
                        .init(
                            partitionIndex: state.partition, controllerEpoch: 1, leader: state.leader,
                            leaderEpoch: state.epoch, isr: [1, 2], partitionEpoch: state.epoch, replicas: [1, 2], isNew: true)
                    ])
            })
    }

    @Test func ledOffsetsPartitionsAreElectedAndFollowedOnesResigned() throws {
        let setup = try setup()
        _ = try call(
            setup,
            leaderAndIsr([("__consumer_offsets", 7, 1, 3), ("__consumer_offsets", 8, 2, 5), ("orders", 0, 1, 1)]),
            version: 4)
        #expect(
            setup.coordinator.leadership.withLock { $0 } == [
                .election(partition: 7, epoch: LeaderEpoch(3)), .resignation(partition: 8, epoch: LeaderEpoch(5)),
            ])
    }

    @Test func partitionsWithAnErrorOutcomeAreNotReported() throws {
        let setup = try setup()
        _ = try call(setup, leaderAndIsr([("__consumer_offsets", 7, 1, 3)]), version: 4)
        // An older leader epoch is refused by the replica manager: the coordinator hears nothing.
        let stale = try call(setup, leaderAndIsr([("__consumer_offsets", 7, 2, 2)]), version: 4)
        #expect(stale.partitionErrors.map(\.errorCode) == [ErrorCode.staleControllerEpoch.rawValue])
        #expect(setup.coordinator.leadership.withLock { $0 } == [.election(partition: 7, epoch: LeaderEpoch(3))])
    }

    @Test(arguments: [false, true])
    func stoppedOffsetsPartitionsAreResignedUnconditionally(delete: Bool) throws {
        let setup = try setup()
        _ = try call(setup, leaderAndIsr([("__consumer_offsets", 7, 1, 3), ("orders", 0, 1, 1)]), version: 4)
        let request = StopReplicaRequest(
            controllerId: 0, controllerEpoch: 1, brokerEpoch: 100,
            topicStates: [
                .init(topicName: "__consumer_offsets", partitionStates: [.init(partitionIndex: 7, leaderEpoch: 4, deletePartition: delete)]),
                .init(topicName: "orders", partitionStates: [.init(partitionIndex: 0, leaderEpoch: 2, deletePartition: delete)]),
            ])
        _ = try call(setup, request, version: 3)
        #expect(
            setup.coordinator.leadership.withLock { $0 } == [
                .election(partition: 7, epoch: LeaderEpoch(3)), .resignation(partition: 7, epoch: nil),
            ])
    }
}
