import BrokerCore
import Coordination
import Testing

@testable import Controller

@Suite("ZooKeeperController: election", .timeLimit(.minutes(1)))
struct ZooKeeperControllerElectionTests {
    @Test("the first broker becomes controller with epoch 1; the second learns who it is")
    func firstBrokerIsElected() async throws {
        let (harness, _) = ControllerHarness.inMemory()
        try await ControllerHarness.run(harness) { h in
            let b1 = try await h.startBroker(1)
            let active = try await waitUntilActive(b1.controller)
            #expect(active == ControllerStatus(isActive: true, activeController: BrokerID(1), epoch: ControllerEpoch(1)))
            let b2 = try await h.startBroker(2)
            try await waitForStatus(b2.controller) { $0.activeController == BrokerID(1) }
            #expect(await b2.controller.status.isActive == false)
            #expect(try await b2.controller.currentController() == BrokerID(1))
            #expect(try await b2.zk.controllerEpoch()?.epoch == ControllerEpoch(1))
            // The controller tells every broker about broker 2, with its epoch.
            let requests = await h.channel.waitUntil { $0.lastLiveBrokers(to: BrokerID(2)) == b(1, 2) }
            #expect(requests.contains {
                if case .updateMetadata(let to, let epoch, let brokerEpoch, _, _) = $0 {
                    return to == BrokerID(2) && epoch == ControllerEpoch(1) && brokerEpoch == b2.epoch
                }
                return false
            })
        }
    }

    @Test("when the controller's session expires a second controller takes over with a new epoch")
    func failoverOnSessionExpiry() async throws {
        let (harness, server) = ControllerHarness.inMemory()
        try await ControllerHarness.run(harness) { h in
            let b1 = try await h.startBroker(1)
            try await waitUntilActive(b1.controller)
            let b2 = try await h.startBroker(2)
            try await waitForStatus(b2.controller) { $0.activeController == BrokerID(1) }

            // Broker 1 is cut off and its session expires before it can notice.
            let store1 = try #require(b1.store as? InMemoryCoordinationStore)
            await store1.disconnect()
            await server.expire(try #require(await store1.sessionID))
            let taken = try await waitUntilActive(b2.controller)
            #expect(taken.epoch == ControllerEpoch(2))
            #expect(try await b2.controller.currentController() == BrokerID(2))

            // Broker 1 comes back in a new session: it resigns, re-registers, and sees broker 2.
            await store1.reconnect()
            let resigned = try await waitForStatus(b1.controller) { $0.activeController == BrokerID(2) }
            #expect(!resigned.isActive)
            await h.channel.waitUntil { $0.sentUpdateMetadata(to: BrokerID(1), controllerEpoch: 2, liveBrokers: b(1, 2)) }
        }
    }

    @Test("a stale controller (epoch superseded) cannot change partition state and resigns")
    func staleControllerCannotWrite() async throws {
        let (harness, _) = ControllerHarness.inMemory()
        try await ControllerHarness.run(harness) { h in
            let b1 = try await h.startBroker(1)
            try await waitUntilActive(b1.controller)
            let b2 = try await h.startBroker(2, runController: false)
            await h.channel.waitUntil { $0.lastLiveBrokers(to: BrokerID(1)) == b(1, 2) }
            let admin = try await h.adminClient()
            try await admin.createTopic("t", assignment: [0: b(2, 1)])
            await h.channel.waitUntil { $0.sentUpdateMetadata(to: BrokerID(1), tp("t", 0), leader: BrokerID(2)) }
            let before = try #require(try await admin.partitionState(tp("t", 0)))

            // Another controller's election bumped /controller_epoch behind broker 1's back.
            let epochNode = try await admin.store.getData("/controller_epoch")
            try await admin.store.setData(
                "/controller_epoch", data: Array("2".utf8), expectedVersion: .exactly(epochNode.stat.version))

            await h.kill(b2)  // broker 1 now tries to elect a new leader for t-0
            let status = try await waitForStatus(b1.controller) { !$0.isActive }
            #expect(status.epoch == nil)
            #expect(try await admin.partitionState(tp("t", 0)) == before)
            #expect(!h.channel.requests.contains { $0.recipient == BrokerID(1) && isLeaderAndIsr($0, leader: BrokerID(1)) })
        }
    }

    private func isLeaderAndIsr(_ request: RecordingControllerChannel.Request, leader: BrokerID) -> Bool {
        if case .leaderAndIsr(_, _, _, let partitions, _) = request { return partitions.contains { $0.leader == leader } }
        return false
    }

    @Test("shutdown resigns and deletes /controller so another broker takes over")
    func shutdownHandsOver() async throws {
        let (harness, _) = ControllerHarness.inMemory()
        try await ControllerHarness.run(harness) { h in
            let b1 = try await h.startBroker(1)
            try await waitUntilActive(b1.controller)
            let b2 = try await h.startBroker(2)
            try await waitForStatus(b2.controller) { $0.activeController == BrokerID(1) }
            b1.controller.shutdown()
            let status = try await waitUntilActive(b2.controller)
            #expect(status.epoch == ControllerEpoch(2))
            await #expect(throws: ClusterMetadataError.controllerStopped) {
                try await b1.controller.controlledShutdown(broker: BrokerID(2), brokerEpoch: b2.epoch)
            }
        }
    }
}
