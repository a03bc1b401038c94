import BrokerCore
import Coordination
import Foundation
import Testing
import ZooKeeperCoordination

@testable import Controller

/// The controller against a real ZooKeeper server (one namespace per test).
@Suite("ZooKeeperController against ZooKeeper", .controllerZooKeeperServer, .timeLimit(.minutes(2)))
struct ZooKeeperControllerRealZooKeeperTests {
    func harness() throws -> (ControllerHarness, ZooKeeperConnectString) {
        let server = try #require(ZooKeeperServerProcess.shared)
        let namespace = server.freshNamespace()
        let harness = ControllerHarness {
            try await ZooKeeperCoordinationStore.connect(
                ZooKeeperConfiguration(connectString: namespace, sessionTimeout: .seconds(6)))
        }
        return (harness, namespace)
    }

    @Test("election, then failover when the controller's session expires")
    func electionAndFailover() async throws {
        let (harness, namespace) = try harness()
        try await ControllerHarness.run(harness) { h in
            let b1 = try await h.startBroker(1)
            try await waitUntilActive(b1.controller)
            let b2 = try await h.startBroker(2)
            try await waitForStatus(b2.controller) { $0.activeController == BrokerID(1) }
            let admin = try await h.adminClient()
            #expect(try await admin.controllerEpoch()?.epoch == ControllerEpoch(1))
            let controllerJSON = String(decoding: try await admin.store.getData("/controller").data, as: UTF8.self)
            #expect(controllerJSON.hasPrefix(#"{"version":2,"brokerid":1,"timestamp":""#))

            let store1 = try #require(b1.store as? ZooKeeperCoordinationStore)
            let credentials = try #require(await store1.sessionCredentials)
            try await ZooKeeperCoordinationStore.expireSession(credentials, connectString: namespace)

            // Whoever wins the new election holds epoch 2 and the other one knows it.
            await h.channel.waitUntil { requests in
                requests.contains {
                    if case .updateMetadata(_, let epoch, _, _, _) = $0 { return epoch == ControllerEpoch(2) }
                    return false
                }
            }
            let winner = try #require(try await admin.currentController())
            let (active, standby) = winner == BrokerID(1) ? (b1, b2) : (b2, b1)
            let status = try await waitUntilActive(active.controller)
            #expect(status.epoch == ControllerEpoch(2))
            try await waitForStatus(standby.controller) { !$0.isActive && $0.activeController == winner }
            #expect(try await admin.controllerEpoch()?.epoch == ControllerEpoch(2))
        }
    }

    @Test("a superseded controller epoch fences partition state writes")
    func epochFencing() async throws {
        let (harness, namespace) = try harness()
        try await ControllerHarness.run(harness) { h in
            let first = try await h.adminClient()
            let second = try await h.adminClient()
            try await first.ensurePersistentPaths()
            let partition = TopicPartition("fenced", 0)
            try await first.createTopic("fenced", assignment: [0: b(1, 2)])
            let oldFence = try await first.registerControllerAndIncrementEpoch(BrokerID(1), timestamp: 1)
            let state = LeaderIsrAndControllerEpoch(
                leader: BrokerID(1), leaderEpoch: LeaderEpoch(0), isr: b(1, 2), controllerEpoch: oldFence.epoch)
            try await first.createPartitionState(partition, state, fence: oldFence)
            await #expect(throws: ControllerMovedError.self) {
                try await second.registerControllerAndIncrementEpoch(BrokerID(2), timestamp: 2)
            }

            let store = try #require(first.store as? ZooKeeperCoordinationStore)
            let credentials = try #require(await store.sessionCredentials)
            try await ZooKeeperCoordinationStore.expireSession(credentials, connectString: namespace)
            try await waitUntilDeleted("/controller", in: second.store)
            let newFence = try await second.registerControllerAndIncrementEpoch(BrokerID(2), timestamp: 3)
            #expect(newFence.epoch == ControllerEpoch(2))

            var stale = state
            stale.leader = BrokerID(2)
            stale.leaderEpoch = LeaderEpoch(1)
            await #expect(throws: ControllerMovedError.self) {
                try await first.updatePartitionState(partition, stale, expectedVersion: 0, fence: oldFence)
            }
            #expect(try await second.partitionState(partition) == VersionedPartitionState(state: state, zkVersion: 0))
        }
    }

    @Test("broker loss: the next live ISR replica in assignment order leads")
    func brokerLossElection() async throws {
        let (harness, _) = try harness()
        try await ControllerHarness.run(harness) { h in
            let b1 = try await h.startBroker(1)
            try await waitUntilActive(b1.controller)
            let b2 = try await h.startBroker(2, runController: false)
            try await h.startBroker(3, runController: false)
            await h.channel.waitUntil { $0.lastLiveBrokers(to: BrokerID(1)) == b(1, 2, 3) }
            let admin = try await h.adminClient()
            try await admin.createTopic("loss", assignment: [0: b(2, 3, 1)])
            await h.channel.waitUntil { $0.sentUpdateMetadata(to: BrokerID(3), tp("loss", 0), leader: BrokerID(2), isr: b(2, 3, 1)) }

            await h.kill(b2)
            await h.channel.waitUntil { r in
                r.sentLeaderAndIsr(to: BrokerID(3), tp("loss", 0), leader: BrokerID(3), isr: b(3, 1))
                    && r.sentUpdateMetadata(to: BrokerID(1), tp("loss", 0), leader: BrokerID(3), isr: b(3, 1))
            }
            let state = try #require(try await admin.partitionState(tp("loss", 0)))
            #expect(state.zkVersion == 1)
            #expect(state.state.leaderEpoch == LeaderEpoch(1))
            let json = String(decoding: try await admin.store.getData("/brokers/topics/loss/partitions/0/state").data, as: UTF8.self)
            #expect(json == #"{"version":1,"leader":3,"leader_epoch":1,"controller_epoch":1,"isr":[3,1]}"#)
        }
    }
}
