import BrokerCore
import Coordination

/// The controller's leader and ISR decisions as pure functions over a partition's state (Kafka's
/// `PartitionLeaderElectionAlgorithms` and `ReplicaStateMachine.removeReplicasFromIsr`). Each
/// returns the new state (leader epoch + 1, written by `controllerEpoch`) or nil when nothing
/// changes. No I/O; the controller writes the result conditionally.
enum PartitionStateTransitions {
    /// The first state of a new partition: leader = first live replica in assignment order,
    /// ISR = the live replicas, leader epoch 0. Nil if no replica is live.
    static func initialState(
        replicas: [BrokerID], live: Set<BrokerID>, controllerEpoch: ControllerEpoch
    ) -> LeaderIsrAndControllerEpoch? {
        let liveReplicas = replicas.filter(live.contains)
        guard let leader = liveReplicas.first else { return nil }
        return LeaderIsrAndControllerEpoch(
            leader: leader, leaderEpoch: LeaderEpoch(0), isr: liveReplicas, controllerEpoch: controllerEpoch)
    }

    /// Offline election (Kafka's `offlinePartitionLeaderElection`): the first replica in
    /// assignment order that is a leader candidate and in the ISR; ISR = ISR ∩ live. With
    /// `unclean`, if there is none, the first candidate replica with ISR = [it]. Nil if nobody
    /// can lead.
    static func offlineElection(
        _ current: LeaderIsrAndControllerEpoch, replicas: [BrokerID], candidates: Set<BrokerID>,
        live: Set<BrokerID>, unclean: Bool, controllerEpoch: ControllerEpoch
    ) -> LeaderIsrAndControllerEpoch? {
        if let leader = replicas.first(where: { candidates.contains($0) && current.isr.contains($0) }) {
            return bumped(current, leader: leader, isr: current.isr.filter(live.contains), controllerEpoch)
        }
        if unclean, let leader = replicas.first(where: candidates.contains) {
            return bumped(current, leader: leader, isr: [leader], controllerEpoch)
        }
        return nil
    }

    /// Whether a clean offline election finds nobody although some replica could lead uncleanly.
    static func needsUncleanElection(
        _ current: LeaderIsrAndControllerEpoch, replicas: [BrokerID], candidates: Set<BrokerID>
    ) -> Bool {
        !replicas.contains { candidates.contains($0) && current.isr.contains($0) }
            && replicas.contains(where: candidates.contains)
    }

    /// After `dead` brokers left: if the leader died, an offline election; then each dead broker
    /// leaves the ISR, except that the last ISR member stays, and a dead leader nobody replaced
    /// becomes -1 (Kafka's rule: the partition goes offline with its ISR as it was). One write,
    /// one leader epoch bump. Nil if the partition is unaffected.
    static func afterBrokerFailure(
        _ current: LeaderIsrAndControllerEpoch, replicas: [BrokerID], dead: Set<BrokerID>,
        candidates: Set<BrokerID>, live: Set<BrokerID>, unclean: Bool, controllerEpoch: ControllerEpoch
    ) -> LeaderIsrAndControllerEpoch? {
        var next = current
        if dead.contains(current.leader),
            let elected = offlineElection(
                current, replicas: replicas, candidates: candidates, live: live, unclean: unclean,
                controllerEpoch: controllerEpoch)
        {
            next = elected
        }
        for broker in dead.sorted() {
            if next.leader == broker { next.leader = .none }
            if next.isr.contains(broker) && next.isr.count > 1 { next.isr.removeAll { $0 == broker } }
        }
        guard next.leader != current.leader || next.isr != current.isr else { return nil }
        return bumped(current, leader: next.leader, isr: next.isr, controllerEpoch)
    }

    /// Removes `replica` from the ISR (a follower in controlled shutdown); nil if not in it.
    /// Kafka's rule: a removed leader becomes -1; the last ISR member stays.
    static func removingFromIsr(
        _ current: LeaderIsrAndControllerEpoch, replica: BrokerID, controllerEpoch: ControllerEpoch
    ) -> LeaderIsrAndControllerEpoch? {
        guard current.isr.contains(replica) else { return nil }
        let leader = current.leader == replica ? BrokerID.none : current.leader
        let isr = current.isr.count == 1 ? current.isr : current.isr.filter { $0 != replica }
        return bumped(current, leader: leader, isr: isr, controllerEpoch)
    }

    /// Controlled-shutdown election (Kafka's `controlledShutdownPartitionLeaderElection`): the
    /// first replica in assignment order that is live, in the ISR and not shutting down; ISR
    /// without the shutting-down brokers. Nil if there is none (the broker keeps leading).
    static func controlledShutdownElection(
        _ current: LeaderIsrAndControllerEpoch, replicas: [BrokerID], live: Set<BrokerID>,
        shuttingDown: Set<BrokerID>, controllerEpoch: ControllerEpoch
    ) -> LeaderIsrAndControllerEpoch? {
        guard
            let leader = replicas.first(where: {
                live.contains($0) && current.isr.contains($0) && !shuttingDown.contains($0)
            })
        else { return nil }
        return bumped(current, leader: leader, isr: current.isr.filter { !shuttingDown.contains($0) }, controllerEpoch)
    }

    private static func bumped(
        _ current: LeaderIsrAndControllerEpoch, leader: BrokerID, isr: [BrokerID], _ controllerEpoch: ControllerEpoch
    ) -> LeaderIsrAndControllerEpoch {
        LeaderIsrAndControllerEpoch(
            leader: leader, leaderEpoch: LeaderEpoch(current.leaderEpoch.rawValue &+ 1), isr: isr,
            leaderRecoveryState: current.leaderRecoveryState, controllerEpoch: controllerEpoch)
    }
}
