/// Settings of the group coordinator, named after Kafka's broker properties.
///
/// The composition root fills these from `offsets.*` / `group.*` properties; the defaults are
/// Kafka 3.9's. Value type.
public struct GroupCoordinatorConfig: Sendable, Hashable {
    /// `offsets.topic.num.partitions`: partitions of `__consumer_offsets` (50).
    public var offsetsTopicPartitionCount: Int32
    /// `group.min.session.timeout.ms` (6000).
    public var groupMinSessionTimeoutMs: Int32
    /// `group.max.session.timeout.ms` (1800000).
    public var groupMaxSessionTimeoutMs: Int32
    /// `group.initial.rebalance.delay.ms` (3000): how long the first rebalance of an empty group
    /// waits for more members (extended by each new member, up to the rebalance timeout).
    public var groupInitialRebalanceDelayMs: Int32
    /// `group.max.size` (unbounded).
    public var groupMaxSize: Int
    /// `offsets.retention.minutes` in milliseconds (7 days).
    public var offsetsRetentionMs: Int64
    /// `offsets.retention.check.interval.ms` (600000).
    public var offsetsRetentionCheckIntervalMs: Int64
    /// `offsets.commit.timeout.ms` (5000): the acks=all timeout of every append to `__consumer_offsets`.
    public var offsetCommitTimeoutMs: Int32
    /// `offset.metadata.max.bytes` (4096). Like Kafka, compared with the metadata string's length
    /// in UTF-16 code units.
    public var offsetMetadataMaxBytes: Int
    /// How often the coordinator's own background task checks timers (session, rebalance, sync,
    /// retention). Martlet-specific; 0 disables the task, and the owner (tests) calls
    /// ``GroupCoordinator/tick()`` instead.
    public var timerTickIntervalMs: Int64

    public init(
        offsetsTopicPartitionCount: Int32 = 50,
        groupMinSessionTimeoutMs: Int32 = 6000,
        groupMaxSessionTimeoutMs: Int32 = 1_800_000,
        groupInitialRebalanceDelayMs: Int32 = 3000,
        groupMaxSize: Int = Int.max,
        offsetsRetentionMs: Int64 = 7 * 24 * 60 * 60 * 1000,
        offsetsRetentionCheckIntervalMs: Int64 = 600_000,
        offsetCommitTimeoutMs: Int32 = 5000,
        offsetMetadataMaxBytes: Int = 4096,
        timerTickIntervalMs: Int64 = 100
    ) {
        self.offsetsTopicPartitionCount = offsetsTopicPartitionCount
        self.groupMinSessionTimeoutMs = groupMinSessionTimeoutMs
        self.groupMaxSessionTimeoutMs = groupMaxSessionTimeoutMs
        self.groupInitialRebalanceDelayMs = groupInitialRebalanceDelayMs
        self.groupMaxSize = groupMaxSize
        self.offsetsRetentionMs = offsetsRetentionMs
        self.offsetsRetentionCheckIntervalMs = offsetsRetentionCheckIntervalMs
        self.offsetCommitTimeoutMs = offsetCommitTimeoutMs
        self.offsetMetadataMaxBytes = offsetMetadataMaxBytes
        self.timerTickIntervalMs = timerTickIntervalMs
    }
}
