import BrokerCore

/// How `__consumer_offsets` is created: Kafka's `offsets.topic.num.partitions`,
/// `offsets.topic.replication.factor` and `offsets.topic.segment.bytes`, with the topic configs
/// of Kafka 3.9's `GroupCoordinator.groupMetadataTopicConfigs` (compacted, producer compression).
public struct OffsetsTopicSettings: Sendable, Hashable {
    /// `offsets.topic.num.partitions` (50).
    public var partitionCount: Int32
    /// `offsets.topic.replication.factor` (3). As in Kafka 3.9 the topic is not created while
    /// fewer brokers are alive (no silent lowering to the cluster size).
    public var replicationFactor: Int16
    /// `offsets.topic.segment.bytes` (100 MiB).
    public var segmentBytes: Int32

    public init(partitionCount: Int32 = 50, replicationFactor: Int16 = 3, segmentBytes: Int32 = 104_857_600) {
        self.partitionCount = partitionCount
        self.replicationFactor = replicationFactor
        self.segmentBytes = segmentBytes
    }

    /// The topic-level configs written with the topic (`/config/topics/__consumer_offsets`).
    public var topicConfigs: [String: String] {
        ["cleanup.policy": "compact", "compression.type": "producer", "segment.bytes": "\(segmentBytes)"]
    }

    /// Whether the topic may be created with `liveBrokers` brokers alive.
    public func canCreate(liveBrokers: Int) -> Bool { liveBrokers >= Int(replicationFactor) }
}
