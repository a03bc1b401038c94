import BrokerCore
import Coordination
import Testing

@testable import Controller

@Suite("ZooKeeperController: partition additions (CreatePartitions)", .timeLimit(.minutes(1)))
struct ZooKeeperControllerPartitionAdditionTests {
    /// Broker 1 runs the controller; brokers 2 and 3 only register.
    func threeBrokers(_ h: ControllerHarness) async throws {
        let b1 = try await h.startBroker(1)
        try await waitUntilActive(b1.controller)
        try await h.startBroker(2, runController: false)
        try await h.startBroker(3, runController: false)
        await h.channel.waitUntil { $0.lastLiveBrokers(to: BrokerID(1)) == b(1, 2, 3) }
    }

    func addPartitions(_ admin: KafkaZooKeeperClient, _ topic: String, _ additions: [Int32: [BrokerID]]) async throws {
        let current = try #require(try await admin.versionedTopicAssignment(topic))
        try await admin.addPartitions(topic, additions: additions, expectedVersion: current.version)
    }

    @Test("added partitions are initialised like a new topic's: state, LeaderAndIsr isNew, UpdateMetadata")
    func addedPartitionsAreInitialised() async throws {
        let (harness, _) = ControllerHarness.inMemory()
        try await ControllerHarness.run(harness) { h in
            try await threeBrokers(h)
            let admin = try await h.adminClient()
            try await admin.createTopic("p", assignment: [0: b(1, 2)])
            await h.channel.waitUntil { $0.sentUpdateMetadata(to: BrokerID(3), tp("p", 0), leader: BrokerID(1)) }
            try await addPartitions(admin, "p", [1: b(2, 3), 2: b(3, 1)])
            let requests = await h.channel.waitUntil { r in
                r.sentUpdateMetadata(to: BrokerID(1), tp("p", 1), leader: BrokerID(2), isr: b(2, 3))
                    && r.sentUpdateMetadata(to: BrokerID(2), tp("p", 2), leader: BrokerID(3), isr: b(3, 1))
                    && r.sentLeaderAndIsr(to: BrokerID(3), tp("p", 1), leader: BrokerID(2))
                    && r.sentLeaderAndIsr(to: BrokerID(3), tp("p", 2), leader: BrokerID(3))
            }
            for (partition, replicas) in [(Int32(1), b(2, 3)), (2, b(3, 1))] {
                let state = try #require(try await admin.partitionState(tp("p", partition)))
                #expect(state.state.leader == replicas[0])
                #expect(state.state.isr == replicas)
                #expect(state.state.leaderEpoch == LeaderEpoch(0))
            }
            let toBroker3 = requests.leaderAndIsrStates(to: BrokerID(3))
            #expect(toBroker3.map(\.topicPartition).sorted() == [tp("p", 1), tp("p", 2)])
            #expect(toBroker3.allSatisfy { $0.isNew && $0.topicID != nil })
            // The existing partition keeps its state.
            #expect(try await admin.partitionState(tp("p", 0))?.zkVersion == 0)
        }
    }

    @Test("the topic watch is re-armed: a second addition is initialised too")
    func secondAdditionIsInitialised() async throws {
        let (harness, _) = ControllerHarness.inMemory()
        try await ControllerHarness.run(harness) { h in
            try await threeBrokers(h)
            let admin = try await h.adminClient()
            try await admin.createTopic("q", assignment: [0: b(1)])
            await h.channel.waitUntil { $0.sentUpdateMetadata(to: BrokerID(1), tp("q", 0), leader: BrokerID(1)) }
            try await addPartitions(admin, "q", [1: b(2)])
            await h.channel.waitUntil { $0.sentLeaderAndIsr(to: BrokerID(2), tp("q", 1), leader: BrokerID(2)) }
            try await addPartitions(admin, "q", [2: b(3)])
            await h.channel.waitUntil { $0.sentLeaderAndIsr(to: BrokerID(3), tp("q", 2), leader: BrokerID(3)) }
            #expect(try await admin.partitionState(tp("q", 2))?.state.leader == BrokerID(3))
        }
    }

    @Test("topics loaded at failover are watched too")
    func topicsLoadedAtFailoverAreWatched() async throws {
        let (harness, _) = ControllerHarness.inMemory()
        try await ControllerHarness.run(harness) { h in
            let admin = try await h.adminClient()
            try await admin.createTopic("f", assignment: [0: b(1)])
            let b1 = try await h.startBroker(1)
            try await waitUntilActive(b1.controller)
            await h.channel.waitUntil { $0.sentLeaderAndIsr(to: BrokerID(1), tp("f", 0), leader: BrokerID(1)) }
            try await addPartitions(admin, "f", [1: b(1)])
            await h.channel.waitUntil { $0.sentLeaderAndIsr(to: BrokerID(1), tp("f", 1), leader: BrokerID(1)) }
            #expect(try await admin.partitionState(tp("f", 1))?.state.leader == BrokerID(1))
        }
    }

    @Test("addPartitions rejects a stale version, unknown topics and invalid assignments")
    func addPartitionsErrors() async throws {
        let (harness, _) = ControllerHarness.inMemory()
        try await ControllerHarness.run(harness) { h in
            let admin = try await h.adminClient()
            try await admin.createTopic("e", assignment: [0: b(1, 2)])
            let version = try #require(try await admin.versionedTopicAssignment("e")).version
            let unknown = await #expect(throws: ClusterMetadataError.self) {
                try await admin.addPartitions("nope", additions: [1: b(1, 2)], expectedVersion: 0)
            }
            #expect(unknown?.errorCode == .unknownTopicOrPartition)
            await #expect(throws: ClusterMetadataError.self) {  // gap: partition 2 without 1
                try await admin.addPartitions("e", additions: [2: b(1, 2)], expectedVersion: version)
            }
            await #expect(throws: ClusterMetadataError.self) {  // replication factor differs
                try await admin.addPartitions("e", additions: [1: b(1)], expectedVersion: version)
            }
            await #expect(throws: ClusterMetadataError.self) {  // existing partition
                try await admin.addPartitions("e", additions: [0: b(2, 1)], expectedVersion: version)
            }
            let stale = await #expect(throws: ClusterMetadataError.self) {  // stale version
                try await admin.addPartitions("e", additions: [1: b(2, 1)], expectedVersion: version + 1)
            }
            #expect(stale?.errorCode == .invalidPartitions)
            try await admin.addPartitions("e", additions: [1: b(2, 1)], expectedVersion: version)
            let written = try #require(try await admin.versionedTopicAssignment("e"))
            #expect(written.assignment.partitions.mapValues(\.replicas) == [0: b(1, 2), 1: b(2, 1)])
            #expect(written.version == version + 1)
        }
    }
}
