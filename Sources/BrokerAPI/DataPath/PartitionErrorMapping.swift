import BrokerCore

/// The error a data-path API answers for a partition this broker does not host.
///
/// ``Replication/ReplicaManager`` knows only the partitions it hosts and answers
/// UNKNOWN_TOPIC_OR_PARTITION for every other one. Kafka (`ReplicaManager.getPartitionOrException`)
/// distinguishes: a partition the cluster has (it is in the metadata cache) but this broker does
/// not host is NOT_LEADER_OR_FOLLOWER, so the client refreshes its metadata and goes to the
/// leader; only a partition the cluster does not know is UNKNOWN_TOPIC_OR_PARTITION.
///
/// Value type; built once per request from a snapshot of the metadata cache (or without one,
/// when the handler has no cache: then UNKNOWN_TOPIC_OR_PARTITION stays as it is).
struct PartitionErrorMapping: Sendable {
    private let image: ClusterMetadataImage?

    init(cache: MetadataCache?) {
        self.image = cache?.snapshot
    }

    /// Whether the cluster metadata lists `partition`.
    func clusterHas(_ partition: TopicPartition) -> Bool {
        image?.topics[partition.topic]?.partitions.contains { $0.index == partition.partition } ?? false
    }

    /// `code`, with UNKNOWN_TOPIC_OR_PARTITION turned into NOT_LEADER_OR_FOLLOWER when the cluster
    /// has the partition.
    func map(_ code: ErrorCode, for partition: TopicPartition) -> ErrorCode {
        guard code == .unknownTopicOrPartition, clusterHas(partition) else { return code }
        return .notLeaderOrFollower
    }

    /// The partition's current leader and epoch as the cluster metadata has them, with the
    /// leader's endpoint on `listener` (KIP-951 hints for clients told NOT_LEADER_OR_FOLLOWER);
    /// nil when the leader or its endpoint on that listener is unknown.
    func currentLeader(of partition: TopicPartition, listener: String)
        -> (leader: BrokerID, epoch: LeaderEpoch, node: BrokerNode, endpoint: HostPort)?
    {
        guard let image,
            let state = image.topics[partition.topic]?.partitions.first(where: { $0.index == partition.partition }),
            state.leader.rawValue >= 0, let node = image.brokers[state.leader], let endpoint = node.endpoints[listener]
        else { return nil }
        return (state.leader, state.leaderEpoch, node, endpoint)
    }
}
