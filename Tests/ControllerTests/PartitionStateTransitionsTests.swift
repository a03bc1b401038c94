import BrokerCore
import Coordination
import Testing

@testable import Controller

@Suite("PartitionStateTransitions")
struct PartitionStateTransitionsTests {
    let epoch = ControllerEpoch(7)

    func state(leader: Int32, epoch: Int32 = 3, isr: [Int32]) -> LeaderIsrAndControllerEpoch {
        LeaderIsrAndControllerEpoch(
            leader: BrokerID(leader), leaderEpoch: LeaderEpoch(epoch), isr: isr.map { BrokerID($0) },
            controllerEpoch: ControllerEpoch(1))
    }

    func ids(_ values: Int32...) -> Set<BrokerID> { Set(values.map { BrokerID($0) }) }
    func list(_ values: Int32...) -> [BrokerID] { values.map { BrokerID($0) } }

    @Test("initial state: first live replica leads, live replicas form the ISR, epoch 0")
    func initialState() {
        let initial = PartitionStateTransitions.initialState(replicas: list(3, 1, 2), live: ids(1, 2), controllerEpoch: epoch)
        #expect(initial == LeaderIsrAndControllerEpoch(leader: BrokerID(1), leaderEpoch: LeaderEpoch(0), isr: list(1, 2), controllerEpoch: epoch))
        #expect(PartitionStateTransitions.initialState(replicas: list(3), live: ids(1), controllerEpoch: epoch) == nil)
    }

    @Test("leader loss: first live ISR member in assignment order, ISR without the dead, epoch + 1")
    func leaderLossElectsByAssignmentOrder() {
        let next = PartitionStateTransitions.afterBrokerFailure(
            state(leader: 2, isr: [1, 2, 3]), replicas: list(2, 3, 1), dead: ids(2), candidates: ids(1, 3),
            live: ids(1, 3), unclean: false, controllerEpoch: epoch)
        #expect(next == LeaderIsrAndControllerEpoch(leader: BrokerID(3), leaderEpoch: LeaderEpoch(4), isr: list(1, 3), controllerEpoch: epoch))
    }

    @Test("last ISR member dies: leader -1, ISR left as it was")
    func lastIsrMemberDies() {
        let next = PartitionStateTransitions.afterBrokerFailure(
            state(leader: 2, isr: [2]), replicas: list(2, 3), dead: ids(2), candidates: ids(3), live: ids(3),
            unclean: false, controllerEpoch: epoch)
        #expect(next?.leader == BrokerID.none)
        #expect(next?.isr == list(2))
        #expect(next?.leaderEpoch == LeaderEpoch(4))
    }

    @Test("unclean election: first live replica leads alone")
    func uncleanElection() {
        let current = state(leader: 2, isr: [2])
        #expect(PartitionStateTransitions.needsUncleanElection(current, replicas: list(2, 3), candidates: ids(3)))
        let next = PartitionStateTransitions.afterBrokerFailure(
            current, replicas: list(2, 3), dead: ids(2), candidates: ids(3), live: ids(3), unclean: true,
            controllerEpoch: epoch)
        #expect(next?.leader == BrokerID(3))
        #expect(next?.isr == list(3))
    }

    @Test("follower loss: removed from the ISR, leader kept")
    func followerLoss() {
        let next = PartitionStateTransitions.afterBrokerFailure(
            state(leader: 1, isr: [1, 2]), replicas: list(1, 2), dead: ids(2), candidates: ids(1), live: ids(1),
            unclean: false, controllerEpoch: epoch)
        #expect(next?.leader == BrokerID(1))
        #expect(next?.isr == list(1))
        #expect(PartitionStateTransitions.afterBrokerFailure(
            state(leader: 1, isr: [1]), replicas: list(1, 2), dead: ids(2), candidates: ids(1), live: ids(1),
            unclean: false, controllerEpoch: epoch) == nil)
    }

    @Test("offline partition: a returning ISR member leads again")
    func offlineElection() {
        let offline = state(leader: -1, isr: [2])
        let next = PartitionStateTransitions.offlineElection(
            offline, replicas: list(3, 2), candidates: ids(2, 3), live: ids(2, 3), unclean: false, controllerEpoch: epoch)
        #expect(next?.leader == BrokerID(2))
        #expect(next?.isr == list(2))
        #expect(PartitionStateTransitions.offlineElection(
            offline, replicas: list(3, 2), candidates: ids(3), live: ids(3), unclean: false, controllerEpoch: epoch) == nil)
    }

    @Test("controlled shutdown: leadership moves to a live ISR member not shutting down")
    func controlledShutdownElection() {
        let next = PartitionStateTransitions.controlledShutdownElection(
            state(leader: 1, isr: [1, 2, 3]), replicas: list(1, 2, 3), live: ids(1, 2, 3), shuttingDown: ids(1, 2),
            controllerEpoch: epoch)
        #expect(next?.leader == BrokerID(3))
        #expect(next?.isr == list(3))
        #expect(PartitionStateTransitions.controlledShutdownElection(
            state(leader: 1, isr: [1]), replicas: list(1, 2), live: ids(1, 2), shuttingDown: ids(1),
            controllerEpoch: epoch) == nil)
    }

    @Test("removing a follower from the ISR keeps the last member")
    func removingFromIsr() {
        #expect(PartitionStateTransitions.removingFromIsr(state(leader: 1, isr: [1, 2]), replica: BrokerID(2), controllerEpoch: epoch)?.isr == list(1))
        #expect(PartitionStateTransitions.removingFromIsr(state(leader: 1, isr: [1]), replica: BrokerID(2), controllerEpoch: epoch) == nil)
    }
}
