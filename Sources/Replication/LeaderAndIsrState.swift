import BrokerCore
import LogStorage

/// One partition's state from a LeaderAndIsr request (what the controller decided).
public struct LeaderAndIsrState: Sendable, Hashable {
    public var topicPartition: TopicPartition
    public var leader: BrokerID
    public var leaderEpoch: LeaderEpoch
    /// In-sync replicas, as the controller knows them.
    public var isr: [BrokerID]
    /// The partition epoch (the state znode's version in ZooKeeper mode).
    public var partitionEpoch: Int32
    /// Assigned replicas, in assignment order.
    public var replicas: [BrokerID]
    /// The topic's `min.insync.replicas`.
    public var minInSyncReplicas: Int
    /// Effective log config for creating (or updating) the log; nil uses the LogManager default.
    public var logConfig: LogConfig?

    public init(
        topicPartition: TopicPartition, leader: BrokerID, leaderEpoch: LeaderEpoch, isr: [BrokerID],
        partitionEpoch: Int32, replicas: [BrokerID], minInSyncReplicas: Int = 1, logConfig: LogConfig? = nil
    ) {
        self.topicPartition = topicPartition
        self.leader = leader
        self.leaderEpoch = leaderEpoch
        self.isr = isr
        self.partitionEpoch = partitionEpoch
        self.replicas = replicas
        self.minInSyncReplicas = minInSyncReplicas
        self.logConfig = logConfig
    }
}

/// A read-only copy of a partition's replication state (for Metadata-like answers and tests).
public struct PartitionInfo: Sendable, Hashable {
    public var topicPartition: TopicPartition
    public var isLeader: Bool
    public var leader: BrokerID
    public var leaderEpoch: LeaderEpoch
    public var partitionEpoch: Int32
    public var replicas: [BrokerID]
    public var isr: [BrokerID]
    public var minInSyncReplicas: Int
    public var highWatermark: Offset
    public var logStartOffset: Offset
    public var logEndOffset: Offset
}
