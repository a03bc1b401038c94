import BrokerCore
import Coordination
import Testing

@testable import Controller

@Suite("ZooKeeperController: controlled shutdown", .timeLimit(.minutes(1)))
struct ZooKeeperControllerControlledShutdownTests {
    @Test("leadership moves to another ISR member, followers leave the ISR, nothing remains")
    func movesLeadership() async throws {
        let (harness, _) = ControllerHarness.inMemory()
        try await ControllerHarness.run(harness) { h in
            let b1 = try await h.startBroker(1)
            try await waitUntilActive(b1.controller)
            let b2 = try await h.startBroker(2, runController: false)
            try await h.startBroker(3, runController: false)
            await h.channel.waitUntil { $0.lastLiveBrokers(to: BrokerID(1)) == b(1, 2, 3) }
            let admin = try await h.adminClient()
            try await admin.createTopic("c", assignment: [0: b(2, 3), 1: b(3, 2)])
            try await admin.createTopic("one", assignment: [0: b(2)])
            await h.channel.waitUntil { r in
                r.sentUpdateMetadata(to: BrokerID(1), tp("c", 1), leader: BrokerID(3))
                    && r.sentUpdateMetadata(to: BrokerID(1), tp("one", 0), leader: BrokerID(2))
            }

            let remaining = try await b1.controller.controlledShutdown(broker: BrokerID(2), brokerEpoch: b2.epoch)
            #expect(remaining.isEmpty)  // one-0 has one replica: Kafka does not report it
            #expect(try await admin.partitionState(tp("c", 0))?.state == LeaderIsrAndControllerEpoch(
                leader: BrokerID(3), leaderEpoch: LeaderEpoch(1), isr: b(3), controllerEpoch: ControllerEpoch(1)))
            #expect(try await admin.partitionState(tp("c", 1))?.state == LeaderIsrAndControllerEpoch(
                leader: BrokerID(3), leaderEpoch: LeaderEpoch(1), isr: b(3), controllerEpoch: ControllerEpoch(1)))
            #expect(try await admin.partitionState(tp("one", 0))?.state.leader == BrokerID(2))
            await h.channel.waitUntil { r in
                r.sentLeaderAndIsr(to: BrokerID(2), tp("c", 0), leader: BrokerID(3), isr: b(3))
                    && r.sentLeaderAndIsr(to: BrokerID(3), tp("c", 1), leader: BrokerID(3), isr: b(3))
                    && r.sentStopReplica(to: BrokerID(2), tp("c", 1), delete: false)
                    && r.sentUpdateMetadata(to: BrokerID(1), tp("c", 0), leader: BrokerID(3), isr: b(3))
            }
        }
    }

    @Test("a partition without another ISR member is returned as still led")
    func returnsPartitionsStillLed() async throws {
        let (harness, _) = ControllerHarness.inMemory()
        try await ControllerHarness.run(harness) { h in
            let b1 = try await h.startBroker(1)
            try await waitUntilActive(b1.controller)
            let b2 = try await h.startBroker(2, runController: false)
            let b3 = try await h.startBroker(3, runController: false)
            await h.channel.waitUntil { $0.lastLiveBrokers(to: BrokerID(1)) == b(1, 2, 3) }
            let admin = try await h.adminClient()
            try await admin.createTopic("s", assignment: [0: b(2, 3)])
            await h.channel.waitUntil { $0.sentUpdateMetadata(to: BrokerID(1), tp("s", 0), leader: BrokerID(2), isr: b(2, 3)) }
            await h.kill(b3)
            await h.channel.waitUntil { $0.sentUpdateMetadata(to: BrokerID(1), tp("s", 0), leader: BrokerID(2), isr: b(2)) }
            try await h.startBroker(3, runController: false)
            await h.channel.waitUntil { $0.lastLiveBrokers(to: BrokerID(1)) == b(1, 2, 3) }

            let remaining = try await b1.controller.controlledShutdown(broker: BrokerID(2), brokerEpoch: b2.epoch)
            #expect(remaining == [tp("s", 0)])
            #expect(try await admin.partitionState(tp("s", 0))?.state.leader == BrokerID(2))
        }
    }

    @Test("stale broker epoch, unknown broker and a non-controller are refused")
    func refusals() async throws {
        let (harness, _) = ControllerHarness.inMemory()
        try await ControllerHarness.run(harness) { h in
            let b1 = try await h.startBroker(1)
            try await waitUntilActive(b1.controller)
            let b2 = try await h.startBroker(2)
            try await waitForStatus(b2.controller) { $0.activeController == BrokerID(1) }
            await h.channel.waitUntil { $0.lastLiveBrokers(to: BrokerID(1)) == b(1, 2) }

            let stale = BrokerEpoch(b2.epoch.rawValue - 1)
            await #expect(throws: ClusterMetadataError.staleBrokerEpoch(BrokerID(2), requested: stale, current: b2.epoch)) {
                try await b1.controller.controlledShutdown(broker: BrokerID(2), brokerEpoch: stale)
            }
            await #expect(throws: ClusterMetadataError.brokerNotAvailable(BrokerID(9))) {
                try await b1.controller.controlledShutdown(broker: BrokerID(9), brokerEpoch: .unknown)
            }
            let notController = await #expect(throws: ClusterMetadataError.self) {
                try await b2.controller.controlledShutdown(broker: BrokerID(2), brokerEpoch: b2.epoch)
            }
            #expect(notController == .notController(activeController: BrokerID(1)))
            #expect(notController?.errorCode == .notController)
        }
    }
}
