import BrokerCore
import Coordination
import Testing

/// Kafka's ZooKeeper-mode patterns written with the znode models, against both implementations:
/// broker registration, controller election fenced by `/controller_epoch`, partition state
/// updates conditional on the partition epoch (znode version).
extension ZooKeeperIntegrationTests {
    @Suite struct KafkaLayoutConformanceTests {
        @Test(arguments: CoordinationBackend.allCases)
        func brokerRegistersOnceAndItsEpochIsTheCzxid(backend: CoordinationBackend) async throws {
            try await StoreCluster.run(backend) { cluster in
                let broker = try await cluster.connect()
                for path in KafkaZNodePaths.persistentPaths { try await broker.ensurePersistentPath(path) }
                let registration = BrokerRegistration(
                    brokerID: BrokerID(1),
                    endpoints: [
                        BrokerEndpoint(
                            listenerName: "PLAINTEXT", host: "127.0.0.1", port: 9092, securityProtocol: "PLAINTEXT")
                    ],
                    timestamp: 1_700_000_000_000)
                let keeper = EphemeralNodeKeeper(store: broker)
                let created = try await keeper.create(KafkaZNodePaths.broker(BrokerID(1)), data: registration.encoded())

                let reader = try await cluster.connect()
                #expect(try await reader.children(KafkaZNodePaths.brokerIDs) == ["1"])
                let stored = try await reader.getData(KafkaZNodePaths.broker(BrokerID(1)))
                #expect(try BrokerRegistration(brokerID: BrokerID(1), decoding: stored.data) == registration)
                #expect(stored.stat.czxid == created.stat.czxid)

                let duplicate = EphemeralNodeKeeper(store: reader)
                await #expect(throws: CoordinationError.nodeExists(KafkaZNodePaths.broker(BrokerID(1)))) {
                    try await duplicate.create(KafkaZNodePaths.broker(BrokerID(1)), data: registration.encoded())
                }
            }
        }

        @Test(arguments: CoordinationBackend.allCases)
        func deposedControllerCannotWrite(backend: CoordinationBackend) async throws {
            try await StoreCluster.run(backend) { cluster in
                let first = try await cluster.connect()
                let second = try await cluster.connect()
                let partition = TopicPartition("orders", 0)
                try await first.create(
                    KafkaZNodePaths.controllerEpoch, data: ControllerEpochZNode.encode(ControllerEpoch(0)))
                let state = LeaderIsrAndControllerEpoch(
                    leader: BrokerID(1), leaderEpoch: LeaderEpoch(0), isr: [BrokerID(1), BrokerID(2)],
                    controllerEpoch: ControllerEpoch(1))
                try await first.createRecursive(KafkaZNodePaths.partitionState(partition), data: state.encoded())

                // Broker 1 wins epoch 1.
                let firstEpochVersion = try await elect(BrokerID(1), on: first)
                // Its session ends; broker 2 wins epoch 2.
                await first.close()
                let secondEpochVersion = try await elect(BrokerID(2), on: second)
                #expect(secondEpochVersion == firstEpochVersion + 1)
                #expect(
                    try ControllerEpochZNode.decode(await second.getData(KafkaZNodePaths.controllerEpoch).data)
                        == ControllerEpoch(2))

                // A write fenced with the stale epoch version fails on the check and changes nothing.
                var moved = state
                moved.leader = BrokerID(2)
                moved.leaderEpoch = LeaderEpoch(1)
                moved.controllerEpoch = ControllerEpoch(1)
                await #expect(
                    throws: CoordinationError.transactionFailed(
                        operationIndex: 0, error: .badVersion(KafkaZNodePaths.controllerEpoch))
                ) {
                    try await second.multi([
                        .check(path: KafkaZNodePaths.controllerEpoch, expectedVersion: .exactly(firstEpochVersion)),
                        .setData(
                            path: KafkaZNodePaths.partitionState(partition), data: moved.encoded(),
                            expectedVersion: .exactly(0)),
                    ])
                }
                // The current controller's write, conditional on the partition epoch, succeeds.
                moved.controllerEpoch = ControllerEpoch(2)
                let results = try await second.multi([
                    .check(path: KafkaZNodePaths.controllerEpoch, expectedVersion: .exactly(secondEpochVersion)),
                    .setData(
                        path: KafkaZNodePaths.partitionState(partition), data: moved.encoded(),
                        expectedVersion: .exactly(0)),
                ])
                guard case .dataSet(let stat) = results[1] else {
                    Issue.record("expected a data write, got \(results)")
                    return
                }
                #expect(stat.version == 1)  // the new partition epoch
                let stored = try await second.getData(KafkaZNodePaths.partitionState(partition))
                #expect(try LeaderIsrAndControllerEpoch(decoding: stored.data) == moved)
            }
        }

        /// Kafka's `registerControllerAndIncrementControllerEpoch`: returns the new epoch's zkVersion.
        private func elect(_ broker: BrokerID, on store: any CoordinationStore) async throws -> Int32 {
            let current = try await store.getData(KafkaZNodePaths.controllerEpoch)
            let epoch = try ControllerEpochZNode.decode(current.data)
            let results = try await store.multi([
                .create(
                    path: KafkaZNodePaths.controller,
                    data: ControllerRegistration(brokerID: broker, timestamp: 1).encoded(), mode: .ephemeral),
                .setData(
                    path: KafkaZNodePaths.controllerEpoch,
                    data: ControllerEpochZNode.encode(ControllerEpoch(epoch.rawValue + 1)),
                    expectedVersion: .exactly(current.stat.version)),
            ])
            guard case .dataSet(let stat) = results[1] else { throw CoordinationError.closed }
            return stat.version
        }
    }
}
