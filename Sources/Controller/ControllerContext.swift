import BrokerCore
import Coordination

/// What an active controller knows about the cluster (Kafka's `ControllerContext`): its fence,
/// the live brokers with their epochs, topic assignments and partition states with their znode
/// versions. A plain value owned by the controller actor; empty while not active.
struct ControllerContext: Sendable {
    var fence: ControllerEpochFence
    var liveBrokers: [BrokerID: BrokerInfo] = [:]
    /// Brokers in controlled shutdown: live, but not eligible as leaders.
    var shuttingDownBrokers: Set<BrokerID> = []
    var topics: [String: TopicAssignment] = [:]
    var partitionStates: [TopicPartition: VersionedPartitionState] = [:]

    init(fence: ControllerEpochFence) {
        self.fence = fence
    }

    static let inactive = ControllerContext(fence: ControllerEpochFence(epoch: ControllerEpoch(-1), epochZkVersion: -1))

    var liveBrokerIDs: Set<BrokerID> { Set(liveBrokers.keys) }

    /// Live brokers that may lead: not shutting down.
    var leaderCandidates: Set<BrokerID> { liveBrokerIDs.subtracting(shuttingDownBrokers) }

    var sortedLiveBrokers: [BrokerInfo] { liveBrokers.values.sorted { $0.id < $1.id } }

    /// Every partition of every known topic, sorted.
    var allPartitions: [TopicPartition] {
        topics.flatMap { topic, assignment in assignment.partitions.keys.map { TopicPartition(topic, $0) } }.sorted()
    }

    func partitions(of topic: String) -> [TopicPartition] {
        (topics[topic]?.partitions.keys.sorted() ?? []).map { TopicPartition(topic, $0) }
    }

    /// The partition's replicas in assignment order (empty if unknown).
    func replicas(of partition: TopicPartition) -> [BrokerID] {
        topics[partition.topic]?.partitions[partition.partition]?.replicas ?? []
    }

    /// Partitions with a replica on `broker`, sorted.
    func partitions(onBroker broker: BrokerID) -> [TopicPartition] {
        allPartitions.filter { replicas(of: $0).contains(broker) }
    }

    /// The state to send for `partition`, nil if it has no state yet.
    func outgoingState(_ partition: TopicPartition, isNew: Bool = false) -> ControllerPartitionState? {
        guard let versioned = partitionStates[partition],
            let assignment = topics[partition.topic]?.partitions[partition.partition]
        else { return nil }
        let state = versioned.state
        return ControllerPartitionState(
            topicPartition: partition, topicID: topics[partition.topic]?.topicID, leader: state.leader,
            leaderEpoch: state.leaderEpoch, isr: state.isr, partitionEpoch: versioned.zkVersion,
            controllerEpoch: state.controllerEpoch, replicas: assignment.replicas,
            addingReplicas: assignment.addingReplicas, removingReplicas: assignment.removingReplicas,
            offlineReplicas: assignment.replicas.filter { liveBrokers[$0] == nil }, isNew: isNew,
            leaderRecoveryState: state.leaderRecoveryState)
    }

    /// The UpdateMetadata state announcing `partition`'s deletion (leader -2).
    func deletionState(_ partition: TopicPartition) -> ControllerPartitionState? {
        guard var state = outgoingState(partition) else { return nil }
        state.leader = ControllerPartitionState.leaderDuringDelete
        return state
    }
}
