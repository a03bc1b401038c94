import BrokerCore

/// An ISR change a leader wants persisted (Kafka's `LeaderAndIsr` handed to the
/// `AlterPartitionManager`): the partition's new ISR with its unchanged leader and leader epoch,
/// to be written only if the partition epoch is still `partitionEpoch`.
public struct IsrUpdate: Sendable, Hashable {
    public var topicPartition: TopicPartition
    public var leader: BrokerID
    public var leaderEpoch: LeaderEpoch
    public var isr: [BrokerID]
    /// The partition epoch the change is based on (the state znode's version in ZooKeeper mode).
    public var partitionEpoch: Int32

    public init(topicPartition: TopicPartition, leader: BrokerID, leaderEpoch: LeaderEpoch, isr: [BrokerID], partitionEpoch: Int32) {
        self.topicPartition = topicPartition
        self.leader = leader
        self.leaderEpoch = leaderEpoch
        self.isr = isr
        self.partitionEpoch = partitionEpoch
    }
}

/// What became of an ``IsrUpdate``.
public enum IsrUpdateOutcome: Sendable, Hashable {
    /// Written; the partition's new epoch. The leader now uses the ISR.
    case committed(partitionEpoch: Int32)
    /// Not written because the partition moved on (new leader epoch, other leader, state gone):
    /// the leader keeps the change pending (no further ISR changes) until LeaderAndIsr brings
    /// the current state, as Kafka does after INVALID_UPDATE_VERSION.
    case rejected
    /// Not written for a transient reason (coordination service unavailable): the change is
    /// dropped and may be proposed again by a later check.
    case failed
}

/// Persists leaders' ISR changes (Kafka's `AlterPartitionManager`; in ZooKeeper mode
/// `ZkAlterPartitionManager`). The ISR is used for acknowledgements and the high watermark only
/// after ``write(_:)`` answers ``IsrUpdateOutcome/committed(partitionEpoch:)``.
///
/// Thread-safety: called from partitions' event loops, concurrently for different partitions;
/// implementations must be `Sendable` and must not block the caller (do the I/O elsewhere).
/// At most one update per partition is in flight.
public protocol IsrUpdateWriter: Sendable {
    /// Starts writing `update`; calls `completion` exactly once, from any thread (also
    /// synchronously, before returning).
    func write(_ update: IsrUpdate, completion: @escaping @Sendable (IsrUpdateOutcome) -> Void)
}
