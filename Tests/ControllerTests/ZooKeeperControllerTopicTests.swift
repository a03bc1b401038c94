import BrokerCore
import Coordination
import Testing

@testable import Controller

@Suite("ZooKeeperController: topics", .timeLimit(.minutes(1)))
struct ZooKeeperControllerTopicTests {
    /// Broker 1 runs the controller; brokers 2 and 3 only register.
    func threeBrokers(_ h: ControllerHarness) async throws -> [SimulatedBroker] {
        let b1 = try await h.startBroker(1)
        try await waitUntilActive(b1.controller)
        let b2 = try await h.startBroker(2, runController: false)
        let b3 = try await h.startBroker(3, runController: false)
        await h.channel.waitUntil { $0.lastLiveBrokers(to: BrokerID(1)) == b(1, 2, 3) }
        return [b1, b2, b3]
    }

    @Test("a new topic's partitions get leader = first live replica, ISR = live replicas, epoch 0")
    func newTopicIsInitialised() async throws {
        let (harness, _) = ControllerHarness.inMemory()
        try await ControllerHarness.run(harness) { h in
            _ = try await threeBrokers(h)
            let admin = try await h.adminClient()
            try await admin.createTopic("t", assignment: [0: b(1, 2), 1: b(2, 3), 2: b(3, 1)])
            let requests = await h.channel.waitUntil { r in
                r.sentUpdateMetadata(to: BrokerID(1), tp("t", 0), leader: BrokerID(1), isr: b(1, 2))
                    && r.sentUpdateMetadata(to: BrokerID(1), tp("t", 1), leader: BrokerID(2), isr: b(2, 3))
                    && r.sentUpdateMetadata(to: BrokerID(1), tp("t", 2), leader: BrokerID(3), isr: b(3, 1))
                    && r.leaderAndIsrStates(to: BrokerID(2)).count == 2
            }
            for (partition, replicas) in [(Int32(0), b(1, 2)), (1, b(2, 3)), (2, b(3, 1))] {
                let state = try #require(try await admin.partitionState(tp("t", partition)))
                #expect(state.zkVersion == 0)
                #expect(state.state == LeaderIsrAndControllerEpoch(
                    leader: replicas[0], leaderEpoch: LeaderEpoch(0), isr: replicas, controllerEpoch: ControllerEpoch(1)))
            }
            let toBroker2 = requests.leaderAndIsrStates(to: BrokerID(2))
            #expect(toBroker2.map(\.topicPartition).sorted() == [tp("t", 0), tp("t", 1)])
            #expect(toBroker2.allSatisfy { $0.isNew && $0.topicID == toBroker2.first?.topicID && $0.topicID != nil })
            #expect(toBroker2.first { $0.topicPartition == tp("t", 0) }?.leader == BrokerID(1))
        }
    }

    @Test("a topic created while its replicas are down gets state once a replica registers")
    func topicWaitsForLiveReplica() async throws {
        let (harness, _) = ControllerHarness.inMemory()
        try await ControllerHarness.run(harness) { h in
            let b1 = try await h.startBroker(1)
            try await waitUntilActive(b1.controller)
            let admin = try await h.adminClient()
            try await admin.createTopic("later", assignment: [0: b(4)])
            try await h.startBroker(4, runController: false)
            await h.channel.waitUntil { $0.sentLeaderAndIsr(to: BrokerID(4), tp("later", 0), leader: BrokerID(4)) }
            #expect(try await admin.partitionState(tp("later", 0))?.state.leader == BrokerID(4))
        }
    }

    @Test("deletion: UpdateMetadata with leader -2, StopReplica(delete) to replicas, znodes removed")
    func topicDeletion() async throws {
        let (harness, _) = ControllerHarness.inMemory()
        try await ControllerHarness.run(harness) { h in
            _ = try await threeBrokers(h)
            let admin = try await h.adminClient()
            try await admin.createTopic("d", assignment: [0: b(1, 2), 1: b(2, 3)], config: ["retention.ms": "5"])
            await h.channel.waitUntil { $0.sentUpdateMetadata(to: BrokerID(3), tp("d", 1), leader: BrokerID(2)) }
            try await admin.requestTopicDeletion("d")
            try await waitUntilDeleted("/brokers/topics/d", in: admin.store)
            #expect(try await admin.store.exists("/admin/delete_topics/d") == nil)
            #expect(try await admin.store.exists("/config/topics/d") == nil)
            let requests = await h.channel.waitUntil { r in
                r.sentStopReplica(to: BrokerID(1), tp("d", 0), delete: true)
                    && r.sentStopReplica(to: BrokerID(2), tp("d", 0), delete: true)
                    && r.sentStopReplica(to: BrokerID(2), tp("d", 1), delete: true)
                    && r.sentStopReplica(to: BrokerID(3), tp("d", 1), delete: true)
                    && r.sentUpdateMetadata(to: BrokerID(3), tp("d", 0), leader: ControllerPartitionState.leaderDuringDelete)
            }
            #expect(!requests.sentStopReplica(to: BrokerID(3), tp("d", 0), delete: true))
        }
    }

    @Test("ISR change notifications: states re-read, UpdateMetadata sent, notifications deleted")
    func isrChangeNotification() async throws {
        let (harness, _) = ControllerHarness.inMemory()
        try await ControllerHarness.run(harness) { h in
            _ = try await threeBrokers(h)
            let admin = try await h.adminClient()
            try await admin.createTopic("i", assignment: [0: b(1, 2)])
            await h.channel.waitUntil { $0.sentUpdateMetadata(to: BrokerID(2), tp("i", 0), leader: BrokerID(1), isr: b(1, 2)) }
            // The leader shrinks the ISR itself (conditional on the partition epoch) and announces it.
            let shrunk = LeaderIsrAndControllerEpoch(
                leader: BrokerID(1), leaderEpoch: LeaderEpoch(0), isr: b(1), controllerEpoch: ControllerEpoch(1))
            try await admin.store.setData(
                "/brokers/topics/i/partitions/0/state", data: shrunk.encoded(), expectedVersion: .exactly(0))
            let notification = try await admin.createIsrChangeNotification([tp("i", 0)])
            let requests = await h.channel.waitUntil { $0.sentUpdateMetadata(to: BrokerID(3), tp("i", 0), leader: BrokerID(1), isr: b(1)) }
            #expect(requests.updateMetadataStates(to: BrokerID(3)).last { $0.topicPartition == tp("i", 0) }?.partitionEpoch == 1)
            try await waitUntilDeleted(notification, in: admin.store)
        }
    }
}
