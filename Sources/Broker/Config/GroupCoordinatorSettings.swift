import BrokerAPI
import GroupCoordination

/// The consumer-group settings, read from Kafka's `offsets.*` and `group.*` keys in
/// ``BrokerConfig/rawProperties`` with Kafka 3.9's defaults and validators
/// (`GroupCoordinatorConfig`); an invalid value is a ``ConfigError`` at start-up.
public struct GroupCoordinatorSettings: Sendable {
    /// How `__consumer_offsets` is created (partitions, replication factor, segment size).
    public var offsetsTopic: OffsetsTopicSettings
    /// The coordinator's configuration (its partition count is the offsets topic's).
    public var coordinator: GroupCoordinatorConfig

    public init(_ config: BrokerConfig) throws(ConfigError) {
        var reader = PropertyReader(config.rawProperties.map { ($0.key, $0.value) })
        let partitions = try reader.int32("offsets.topic.num.partitions", default: 50, range: 1...Int32.max)
        let replicationFactor = Int16(
            try reader.int32("offsets.topic.replication.factor", default: 3, range: 1...Int32(Int16.max)))
        let segmentBytes = try reader.int32("offsets.topic.segment.bytes", default: 104_857_600, range: 1...Int32.max)
        offsetsTopic = OffsetsTopicSettings(
            partitionCount: partitions, replicationFactor: replicationFactor, segmentBytes: segmentBytes)
        let retentionMinutes = try reader.int32("offsets.retention.minutes", default: 7 * 24 * 60, range: 1...Int32.max)
        let minSession = try reader.int32("group.min.session.timeout.ms", default: 6000, range: Int32.min...Int32.max)
        let maxSession = try reader.int32("group.max.session.timeout.ms", default: 1_800_000, range: Int32.min...Int32.max)
        coordinator = GroupCoordinatorConfig(
            offsetsTopicPartitionCount: partitions,
            groupMinSessionTimeoutMs: minSession,
            groupMaxSessionTimeoutMs: maxSession,
            groupInitialRebalanceDelayMs: try reader.int32(
                "group.initial.rebalance.delay.ms", default: 3000, range: Int32.min...Int32.max),
            groupMaxSize: Int(try reader.int32("group.max.size", default: Int32.max, range: 1...Int32.max)),
            offsetsRetentionMs: Int64(retentionMinutes) * 60_000,
            offsetsRetentionCheckIntervalMs: try reader.int64(
                "offsets.retention.check.interval.ms", default: 600_000, range: 1...Int64.max),
            offsetCommitTimeoutMs: try reader.int32("offsets.commit.timeout.ms", default: 5000, range: 1...Int32.max),
            offsetMetadataMaxBytes: Int(
                try reader.int32("offset.metadata.max.bytes", default: 4096, range: Int32.min...Int32.max)))
    }
}
