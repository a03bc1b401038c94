import BrokerCore
import Coordination
import Testing

@testable import Controller

@Suite("KafkaZooKeeperClient", .timeLimit(.minutes(1)))
struct KafkaZooKeeperClientTests {
    let server = InMemoryCoordinationServer()

    func client() async -> (KafkaZooKeeperClient, InMemoryCoordinationStore) {
        let store = await server.connect()
        return (KafkaZooKeeperClient(store: store), store)
    }

    func registration(_ id: Int32) -> BrokerRegistration {
        BrokerRegistration(
            brokerID: BrokerID(id),
            endpoints: [BrokerEndpoint(listenerName: "PLAINTEXT", host: "h\(id)", port: 9092, securityProtocol: "PLAINTEXT")],
            timestamp: 1)
    }

    @Test("start-up creates Kafka's persistent paths")
    func persistentPaths() async throws {
        let (zk, _) = await client()
        try await zk.ensurePersistentPaths()
        let paths = await server.allPaths
        for path in ["/brokers/ids", "/brokers/topics", "/config/topics", "/config/changes", "/admin/delete_topics",
            "/isr_change_notification", "/latest_producer_id_block", "/brokers/seqid", "/consumers"]
        {
            #expect(paths.contains(path), "\(path)")
        }
    }

    @Test("the first proposed cluster id wins; later brokers read it")
    func clusterID() async throws {
        let (first, _) = await client()
        let (second, _) = await client()
        #expect(try await first.getOrCreateClusterID(proposed: "cluster-A") == "cluster-A")
        #expect(try await second.getOrCreateClusterID(proposed: "cluster-B") == "cluster-A")
    }

    @Test("broker registration: epoch is the czxid; a second broker with the same id is refused")
    func brokerRegistration() async throws {
        let (zk, store) = await client()
        let epoch = try await zk.registerBroker(registration(1), keeper: EphemeralNodeKeeper(store: store))
        let node = try await store.getData("/brokers/ids/1")
        #expect(epoch == BrokerEpoch(node.stat.czxid))
        #expect(node.stat.ephemeralOwner == (await store.sessionID))

        let (other, otherStore) = await client()
        await #expect(throws: ClusterMetadataError.brokerAlreadyRegistered(BrokerID(1))) {
            try await other.registerBroker(registration(1), keeper: EphemeralNodeKeeper(store: otherStore))
        }
        #expect(ClusterMetadataError.brokerAlreadyRegistered(BrokerID(1)).description.contains("broker.id 1 is already registered"))
        try await other.registerBroker(registration(2), keeper: EphemeralNodeKeeper(store: otherStore))
        let live = try await zk.liveBrokers()
        #expect(live.map(\.id) == [BrokerID(1), BrokerID(2)])
        #expect(live.first?.epoch == epoch)
        #expect(live.first?.endpoints.first?.host == "h1")
    }

    @Test("election: first controller gets epoch 1, a second one loses while the first holds /controller")
    func election() async throws {
        let (a, _) = await client()
        let (b, _) = await client()
        let fence = try await a.registerControllerAndIncrementEpoch(BrokerID(1), timestamp: 5)
        #expect(fence.epoch == ControllerEpoch(1))
        #expect(try await a.controllerEpoch() == fence)
        #expect(try await b.currentController() == BrokerID(1))
        await #expect(throws: ControllerMovedError.self) {
            try await b.registerControllerAndIncrementEpoch(BrokerID(2), timestamp: 6)
        }
        #expect(try await a.controllerEpoch()?.epoch == ControllerEpoch(1))
    }

    @Test("a superseded controller's fenced writes fail with ControllerMovedError and never land")
    func staleControllerIsFenced() async throws {
        let (a, storeA) = await client()
        let (b, _) = await client()
        let partition = TopicPartition("t", 0)
        try await b.createTopic("t", assignment: [0: [BrokerID(1), BrokerID(2)], 1: [BrokerID(2), BrokerID(1)]])
        let oldFence = try await a.registerControllerAndIncrementEpoch(BrokerID(1), timestamp: 1)
        let initial = LeaderIsrAndControllerEpoch(
            leader: BrokerID(1), leaderEpoch: LeaderEpoch(0), isr: [BrokerID(1), BrokerID(2)], controllerEpoch: oldFence.epoch)
        try await a.createPartitionState(partition, initial, fence: oldFence)

        await storeA.expireSession()  // /controller vanishes; b is elected with a new epoch
        let newFence = try await b.registerControllerAndIncrementEpoch(BrokerID(2), timestamp: 2)
        #expect(newFence.epoch == ControllerEpoch(2))

        var stale = initial
        stale.leader = BrokerID(2)
        stale.leaderEpoch = LeaderEpoch(1)
        await #expect(throws: ControllerMovedError.self) {
            try await a.updatePartitionState(partition, stale, expectedVersion: 0, fence: oldFence)
        }
        await #expect(throws: ControllerMovedError.self) {
            try await a.createPartitionState(TopicPartition("t", 1), initial, fence: oldFence)
        }
        #expect(try await b.partitionState(partition) == VersionedPartitionState(state: initial, zkVersion: 0))
        #expect(try await b.partitionState(TopicPartition("t", 1)) == nil)

        var fresh = initial
        fresh.controllerEpoch = newFence.epoch
        fresh.leaderEpoch = LeaderEpoch(1)
        #expect(try await b.updatePartitionState(partition, fresh, expectedVersion: 0, fence: newFence) == .updated(zkVersion: 1))
    }

    @Test("conditional update reports a version conflict with the current state")
    func versionConflict() async throws {
        let (zk, _) = await client()
        let fence = try await zk.registerControllerAndIncrementEpoch(BrokerID(1), timestamp: 1)
        try await zk.createTopic("t", assignment: [0: [BrokerID(1)]])
        let partition = TopicPartition("t", 0)
        let initial = LeaderIsrAndControllerEpoch(
            leader: BrokerID(1), leaderEpoch: LeaderEpoch(0), isr: [BrokerID(1)], controllerEpoch: fence.epoch)
        try await zk.createPartitionState(partition, initial, fence: fence)
        #expect(try await zk.updatePartitionState(partition, initial, expectedVersion: 0, fence: fence) == .updated(zkVersion: 1))
        var other = initial
        other.leaderEpoch = LeaderEpoch(5)
        let result = try await zk.updatePartitionState(partition, other, expectedVersion: 0, fence: fence)
        #expect(result == .versionConflict(current: VersionedPartitionState(state: initial, zkVersion: 1)))
    }

    @Test("createTopic writes the assignment and config like AdminZkClient; duplicates are TOPIC_ALREADY_EXISTS")
    func createTopic() async throws {
        let (zk, store) = await client()
        try await zk.ensurePersistentPaths()
        let id = try await zk.createTopic(
            "orders", assignment: [0: [BrokerID(1), BrokerID(2)], 1: [BrokerID(2), BrokerID(1)]],
            config: ["cleanup.policy": "compact"])
        #expect(id.count == 22)
        let assignment = try #require(try await zk.topicAssignment("orders"))
        #expect(assignment.topicID == id)
        #expect(assignment.partitions[1]?.replicas == [BrokerID(2), BrokerID(1)])
        #expect(try await zk.topicConfig("orders") == ["cleanup.policy": "compact"])
        #expect(String(decoding: try await store.getData("/config/topics/orders").data, as: UTF8.self)
            == #"{"version":1,"config":{"cleanup.policy":"compact"}}"#)

        await #expect(throws: ClusterMetadataError.topicAlreadyExists("orders")) {
            try await zk.createTopic("orders", assignment: [0: [BrokerID(1)]])
        }
        let collision = await #expect(throws: ClusterMetadataError.self) {
            try await zk.createTopic("a.b", assignment: [0: [BrokerID(1)]])
            try await zk.createTopic("a_b", assignment: [0: [BrokerID(1)]])
        }
        #expect(collision?.errorCode == .invalidTopicException)
        let invalid = await #expect(throws: ClusterMetadataError.self) {
            try await zk.createTopic("bad", assignment: [0: [BrokerID(1)], 2: [BrokerID(1)]])
        }
        #expect(invalid?.errorCode == .invalidReplicaAssignment)
        let badName = await #expect(throws: ClusterMetadataError.self) {
            try await zk.createTopic("no/slash", assignment: [0: [BrokerID(1)]])
        }
        #expect(badName?.errorCode == .invalidTopicException)
    }

    @Test("producer id blocks of 1000 are handed out in sequence to competing brokers")
    func producerIDBlocks() async throws {
        let (a, _) = await client()
        let (b, _) = await client()
        try await a.ensurePersistentPaths()
        let first = try await a.allocateProducerIDBlock(for: BrokerID(1))
        let second = try await b.allocateProducerIDBlock(for: BrokerID(2))
        let third = try await a.allocateProducerIDBlock(for: BrokerID(1))
        #expect(first.firstProducerID == ProducerID(0))
        #expect(first.lastProducerID == ProducerID(999))
        #expect(second.firstProducerID == ProducerID(1000))
        #expect(second.assignedBroker == BrokerID(2))
        #expect(third.firstProducerID == ProducerID(2000))
        let stored = try ProducerIDBlock(decoding: try await a.store.getData("/latest_producer_id_block").data)
        #expect(stored == third)
    }

    @Test("an update whose answer was lost is recognised as applied")
    func lostAnswerIsRecognised() async throws {
        let (zk, store) = await client()
        let fence = try await zk.registerControllerAndIncrementEpoch(BrokerID(1), timestamp: 1)
        try await zk.createTopic("t", assignment: [0: [BrokerID(1)]])
        let partition = TopicPartition("t", 0)
        var state = LeaderIsrAndControllerEpoch(
            leader: BrokerID(1), leaderEpoch: LeaderEpoch(0), isr: [BrokerID(1)], controllerEpoch: fence.epoch)
        try await zk.createPartitionState(partition, state, fence: fence)
        state.leaderEpoch = LeaderEpoch(1)
        await store.failNextOperation(with: .connectionLoss, afterApplying: true)
        #expect(try await zk.updatePartitionState(partition, state, expectedVersion: 0, fence: fence) == .updated(zkVersion: 1))
    }

    @Test("deletion requests and fenced topic deletion remove every znode of the topic")
    func topicDeletionZNodes() async throws {
        let (zk, _) = await client()
        try await zk.ensurePersistentPaths()
        let fence = try await zk.registerControllerAndIncrementEpoch(BrokerID(1), timestamp: 1)
        try await zk.createTopic("gone", assignment: [0: [BrokerID(1)]], config: ["retention.ms": "1"])
        try await zk.createPartitionState(
            TopicPartition("gone", 0),
            LeaderIsrAndControllerEpoch(leader: BrokerID(1), leaderEpoch: LeaderEpoch(0), isr: [BrokerID(1)], controllerEpoch: fence.epoch),
            fence: fence)
        await #expect(throws: ClusterMetadataError.unknownTopic("missing")) { try await zk.requestTopicDeletion("missing") }
        try await zk.requestTopicDeletion("gone")
        #expect(try await zk.topicDeletionRequests() == ["gone"])
        try await zk.deleteTopicZNodes("gone", fence: fence)
        let paths = await server.allPaths
        #expect(!paths.contains { $0.hasPrefix("/brokers/topics/gone") || $0 == "/config/topics/gone" || $0 == "/admin/delete_topics/gone" })
    }
}
