import BrokerCore
import Coordination
import Testing

@testable import Controller

@Suite("ZooKeeperController: broker loss and return", .timeLimit(.minutes(1)))
struct ZooKeeperControllerBrokerFailureTests {
    /// Broker 1 runs the controller; brokers 2 and 3 only register. Creates `topic` and waits
    /// until its partitions have leaders.
    func cluster(
        _ h: ControllerHarness, topic: String, assignment: [Int32: [BrokerID]], config: [String: String] = [:],
        uncleanLeaderElection: Bool = false
    ) async throws -> [SimulatedBroker] {
        let b1 = try await h.startBroker(1, uncleanLeaderElection: uncleanLeaderElection)
        try await waitUntilActive(b1.controller)
        let b2 = try await h.startBroker(2, runController: false)
        let b3 = try await h.startBroker(3, runController: false)
        await h.channel.waitUntil { $0.lastLiveBrokers(to: BrokerID(1)) == b(1, 2, 3) }
        let admin = try await h.adminClient()
        try await admin.createTopic(topic, assignment: assignment, config: config)
        await h.channel.waitUntil { r in
            assignment.allSatisfy { partition, replicas in
                r.sentUpdateMetadata(to: BrokerID(1), tp(topic, partition), leader: replicas[0])
            }
        }
        return [b1, b2, b3]
    }

    @Test("leader loss: the first live ISR replica in assignment order leads, epoch + 1")
    func leaderLossElectsByAssignmentOrder() async throws {
        let (harness, _) = ControllerHarness.inMemory()
        try await ControllerHarness.run(harness) { h in
            let brokers = try await cluster(h, topic: "t", assignment: [0: b(2, 3, 1), 1: b(1, 2, 3)])
            await h.kill(brokers[1])
            let requests = await h.channel.waitUntil { r in
                r.sentUpdateMetadata(to: BrokerID(1), tp("t", 0), leader: BrokerID(3), isr: b(3, 1))
                    && r.sentUpdateMetadata(to: BrokerID(1), tp("t", 1), leader: BrokerID(1), isr: b(1, 3))
                    && r.sentLeaderAndIsr(to: BrokerID(3), tp("t", 0), leader: BrokerID(3), isr: b(3, 1))
                    && r.sentLeaderAndIsr(to: BrokerID(1), tp("t", 0), leader: BrokerID(3), isr: b(3, 1))
                    && r.lastLiveBrokers(to: BrokerID(3)) == b(1, 3)
            }
            let admin = try await h.adminClient()
            let state = try #require(try await admin.partitionState(tp("t", 0)))
            #expect(state.zkVersion == 1)
            #expect(state.state == LeaderIsrAndControllerEpoch(
                leader: BrokerID(3), leaderEpoch: LeaderEpoch(1), isr: b(3, 1), controllerEpoch: ControllerEpoch(1)))
            // The follower partition kept its leader but lost broker 2 from its ISR.
            #expect(try await admin.partitionState(tp("t", 1))?.state.leaderEpoch == LeaderEpoch(1))
            #expect(requests.sentLeaderAndIsr(to: BrokerID(3), tp("t", 0), leader: BrokerID(3), isr: b(3, 1)))
            #expect(requests.sentLeaderAndIsr(to: BrokerID(1), tp("t", 0), leader: BrokerID(3), isr: b(3, 1)))
            #expect(requests.lastLiveBrokers(to: BrokerID(3)) == b(1, 3))
        }
    }

    @Test("last ISR member lost: leader -1 with the ISR as it was; it leads again when it returns")
    func offlineThenReturn() async throws {
        let (harness, _) = ControllerHarness.inMemory()
        try await ControllerHarness.run(harness) { h in
            let brokers = try await cluster(h, topic: "solo", assignment: [0: b(2)])
            await h.kill(brokers[1])
            await h.channel.waitUntil { $0.sentUpdateMetadata(to: BrokerID(3), tp("solo", 0), leader: BrokerID.none, isr: b(2)) }
            let admin = try await h.adminClient()
            #expect(try await admin.partitionState(tp("solo", 0))?.state == LeaderIsrAndControllerEpoch(
                leader: BrokerID.none, leaderEpoch: LeaderEpoch(1), isr: b(2), controllerEpoch: ControllerEpoch(1)))

            try await h.startBroker(2, runController: false)
            await h.channel.waitUntil {
                $0.sentLeaderAndIsr(to: BrokerID(2), tp("solo", 0), leader: BrokerID(2), isr: b(2), leaderEpoch: 2)
            }
            #expect(try await admin.partitionState(tp("solo", 0))?.state.leaderEpoch == LeaderEpoch(2))
        }
    }

    @Test("no live ISR member and unclean election disabled: the partition stays offline")
    func cleanElectionLeavesPartitionOffline() async throws {
        let (harness, _) = ControllerHarness.inMemory()
        try await ControllerHarness.run(harness) { h in
            let brokers = try await cluster(h, topic: "c", assignment: [0: b(2, 3)])
            await h.kill(brokers[2])  // ISR [2]
            await h.channel.waitUntil { $0.sentUpdateMetadata(to: BrokerID(1), tp("c", 0), leader: BrokerID(2), isr: b(2)) }
            try await h.startBroker(3, runController: false)  // back, but not in the ISR
            await h.channel.waitUntil {
                $0.sentLeaderAndIsr(to: BrokerID(3), tp("c", 0), leader: BrokerID(2), isr: b(2))
                    && $0.lastLiveBrokers(to: BrokerID(1)) == b(1, 2, 3)
            }
            await h.kill(brokers[1])
            await h.channel.waitUntil { $0.sentUpdateMetadata(to: BrokerID(3), tp("c", 0), leader: BrokerID.none, isr: b(2)) }
            let admin = try await h.adminClient()
            #expect(try await admin.partitionState(tp("c", 0))?.state.leader == BrokerID.none)
        }
    }

    @Test(
        "unclean.leader.election.enable (topic or broker level) elects the first live replica",
        arguments: [true, false])
    func uncleanElection(topicLevel: Bool) async throws {
        let (harness, _) = ControllerHarness.inMemory()
        try await ControllerHarness.run(harness) { h in
            let brokers = try await cluster(
                h, topic: "u", assignment: [0: b(2, 3)],
                config: topicLevel ? ["unclean.leader.election.enable": "true"] : [:],
                uncleanLeaderElection: !topicLevel)
            await h.kill(brokers[2])
            await h.channel.waitUntil { $0.sentUpdateMetadata(to: BrokerID(1), tp("u", 0), leader: BrokerID(2), isr: b(2)) }
            try await h.startBroker(3, runController: false)
            await h.channel.waitUntil {
                $0.sentLeaderAndIsr(to: BrokerID(3), tp("u", 0), leader: BrokerID(2), isr: b(2))
                    && $0.lastLiveBrokers(to: BrokerID(1)) == b(1, 2, 3)
            }
            await h.kill(brokers[1])
            await h.channel.waitUntil { $0.sentUpdateMetadata(to: BrokerID(1), tp("u", 0), leader: BrokerID(3), isr: b(3)) }
            let admin = try await h.adminClient()
            #expect(try await admin.partitionState(tp("u", 0))?.state == LeaderIsrAndControllerEpoch(
                leader: BrokerID(3), leaderEpoch: LeaderEpoch(2), isr: b(3), controllerEpoch: ControllerEpoch(1)))
        }
    }

    @Test("a returning broker gets LeaderAndIsr as follower and full UpdateMetadata; others learn it is back")
    func returningBrokerIsFollower() async throws {
        let (harness, _) = ControllerHarness.inMemory()
        try await ControllerHarness.run(harness) { h in
            let brokers = try await cluster(h, topic: "r", assignment: [0: b(2, 3), 1: b(3, 1)])
            await h.kill(brokers[1])
            await h.channel.waitUntil { $0.sentUpdateMetadata(to: BrokerID(1), tp("r", 0), leader: BrokerID(3), isr: b(3)) }
            let returned = try await h.startBroker(2, runController: false)
            let requests = await h.channel.waitUntil { r in
                r.sentLeaderAndIsr(to: BrokerID(2), tp("r", 0), leader: BrokerID(3), isr: b(3))
                    && r.lastLiveBrokers(to: BrokerID(3)) == b(1, 2, 3)
                    && r.contains {
                        guard case .updateMetadata(let to, _, let epoch, let partitions, _) = $0 else { return false }
                        return to == BrokerID(2) && epoch == returned.epoch
                            && partitions.map(\.topicPartition).sorted() == [tp("r", 0), tp("r", 1)]
                    }
            }
            let leaderAndIsr = requests.last {
                if case .leaderAndIsr(let to, _, _, _, _) = $0 { return to == BrokerID(2) }
                return false
            }
            guard case .leaderAndIsr(_, _, let brokerEpoch, let partitions, let leaders)? = leaderAndIsr else {
                Issue.record("no LeaderAndIsr to broker 2")
                return
            }
            #expect(brokerEpoch == returned.epoch)
            #expect(brokerEpoch != brokers[1].epoch)
            #expect(partitions.map(\.topicPartition) == [tp("r", 0)])
            #expect(leaders.map(\.id) == b(3))
            #expect(leaders.first?.endpoints.first?.port == 9003)
        }
    }

    @Test("a failing broker channel does not stop the controller")
    func failingSendsAreSkipped() async throws {
        let (harness, _) = ControllerHarness.inMemory()
        try await ControllerHarness.run(harness) { h in
            h.channel.failSends(to: [BrokerID(3)])
            let brokers = try await cluster(h, topic: "f", assignment: [0: b(2, 3)])
            await h.kill(brokers[1])
            await h.channel.waitUntil { $0.sentLeaderAndIsr(to: BrokerID(3), tp("f", 0), leader: BrokerID(3), isr: b(3)) }
            await h.channel.waitUntil { $0.sentUpdateMetadata(to: BrokerID(1), tp("f", 0), leader: BrokerID(3), isr: b(3)) }
        }
    }
}
