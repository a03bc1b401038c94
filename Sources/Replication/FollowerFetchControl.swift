import BrokerCore

/// Where a follower starts (or resumes) fetching a partition from its leader (Kafka's
/// `InitialFetchState` / the position part of `PartitionFetchState`).
public struct FollowerFetchPosition: Sendable, Hashable {
    public var topicPartition: TopicPartition
    /// The leader to fetch from and the leader epoch it leads in (sent as `currentLeaderEpoch`).
    public var leader: BrokerID
    public var leaderEpoch: LeaderEpoch
    /// The next offset to fetch: the follower's log end offset.
    public var fetchOffset: Offset
    /// The epoch of the last batch in the follower's log (sent as `lastFetchedEpoch`); nil when
    /// the log has no epochs (empty), and the leader then skips the divergence check.
    public var lastFetchedEpoch: LeaderEpoch?
    /// The follower's log start offset (sent to the leader).
    public var logStartOffset: Offset

    public init(
        topicPartition: TopicPartition, leader: BrokerID, leaderEpoch: LeaderEpoch, fetchOffset: Offset,
        lastFetchedEpoch: LeaderEpoch?, logStartOffset: Offset
    ) {
        self.topicPartition = topicPartition
        self.leader = leader
        self.leaderEpoch = leaderEpoch
        self.fetchOffset = fetchOffset
        self.lastFetchedEpoch = lastFetchedEpoch
        self.logStartOffset = logStartOffset
    }
}

/// The replica fetchers as the replica manager drives them (Kafka's `ReplicaFetcherManager`
/// calls in `ReplicaManager.makeFollowers` / `makeLeaders` / `stopReplicas`).
///
/// Called on the partition's event loop right after its role changed, so calls for one partition
/// arrive in the order of its role changes; implementations must apply them in call order
/// (synchronously record them) and must not block.
public protocol FollowerFetchControl: Sendable {
    /// Starts fetching these partitions from their leaders (replacing any earlier fetch state
    /// of the same partitions, also from another leader).
    func addPartitions(_ positions: [FollowerFetchPosition])
    /// Stops fetching these partitions (they are led here now, or no longer hosted).
    func removePartitions(_ partitions: [TopicPartition])
}
