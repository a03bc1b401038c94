import BrokerCore
import KafkaProtocol

/// A broker as Metadata (or FindCoordinator) describes it.
public struct BrokerInfo: Hashable, Sendable {
    public var id: BrokerID
    public var address: BrokerAddress
    public var rack: String?

    public init(id: BrokerID, address: BrokerAddress, rack: String? = nil) {
        self.id = id
        self.address = address
        self.rack = rack
    }
}

/// One partition of a topic as Metadata reports it.
public struct PartitionDescription: Hashable, Sendable {
    public var partition: Int32
    /// `BrokerID.none` when the partition has no leader.
    public var leader: BrokerID
    public var leaderEpoch: LeaderEpoch
    public var replicas: [BrokerID]
    public var isr: [BrokerID]
    public var offlineReplicas: [BrokerID]
    /// The partition's Metadata error code (0 = none; LEADER_NOT_AVAILABLE when leaderless).
    public var errorCode: Int16

    public init(
        partition: Int32, leader: BrokerID, leaderEpoch: LeaderEpoch = .unknown, replicas: [BrokerID],
        isr: [BrokerID], offlineReplicas: [BrokerID] = [], errorCode: Int16 = 0
    ) {
        self.partition = partition
        self.leader = leader
        self.leaderEpoch = leaderEpoch
        self.replicas = replicas
        self.isr = isr
        self.offlineReplicas = offlineReplicas
        self.errorCode = errorCode
    }
}

/// A topic as Metadata reports it; `partitions` sorted by index.
public struct TopicDescription: Hashable, Sendable {
    public var name: String
    public var topicID: KafkaUUID
    public var isInternal: Bool
    public var partitions: [PartitionDescription]
    /// The topic's Metadata error code (0 = none, UNKNOWN_TOPIC_OR_PARTITION when absent).
    public var errorCode: Int16

    public init(
        name: String, topicID: KafkaUUID = .zero, isInternal: Bool = false, partitions: [PartitionDescription],
        errorCode: Int16 = 0
    ) {
        self.name = name
        self.topicID = topicID
        self.isInternal = isInternal
        self.partitions = partitions
        self.errorCode = errorCode
    }

    /// The replication factor Kafka's tools print: the replica count of the first partition.
    public var replicationFactor: Int { partitions.first?.replicas.count ?? 0 }
}

/// The cluster as one Metadata response describes it.
public struct ClusterDescription: Sendable {
    public var clusterID: String?
    /// `BrokerID.none` when there is no controller.
    public var controller: BrokerID
    public var brokers: [BrokerInfo]
    public var topics: [TopicDescription]

    public init(clusterID: String?, controller: BrokerID, brokers: [BrokerInfo], topics: [TopicDescription]) {
        self.clusterID = clusterID
        self.controller = controller
        self.brokers = brokers
        self.topics = topics
    }

    init(_ response: MetadataResponse) {
        clusterID = response.clusterId
        controller = BrokerID(response.controllerId)
        brokers = response.brokers.map(Self.broker).sorted { $0.id < $1.id }
        topics = response.topics.map(Self.topic)
    }

    private static func broker(_ b: MetadataResponse.MetadataResponseBroker) -> BrokerInfo {
        BrokerInfo(id: BrokerID(b.nodeId), address: BrokerAddress(host: b.host, port: Int(b.port)), rack: b.rack)
    }

    private static func topic(_ t: MetadataResponse.MetadataResponseTopic) -> TopicDescription {
        let partitions: [PartitionDescription] = t.partitions.map(partition).sorted { $0.partition < $1.partition }
        return TopicDescription(
            name: t.name ?? "", topicID: t.topicId, isInternal: t.isInternal, partitions: partitions,
            errorCode: t.errorCode)
    }

    private static func partition(_ p: MetadataResponse.MetadataResponsePartition) -> PartitionDescription {
        PartitionDescription(
            partition: p.partitionIndex, leader: BrokerID(p.leaderId), leaderEpoch: LeaderEpoch(p.leaderEpoch),
            replicas: p.replicaNodes.map { BrokerID($0) }, isr: p.isrNodes.map { BrokerID($0) },
            offlineReplicas: p.offlineReplicas.map { BrokerID($0) }, errorCode: p.errorCode)
    }
}

/// A topic config entry (DescribeConfigs).
public struct ConfigEntry: Hashable, Sendable {
    public var name: String
    public var value: String?
    /// Kafka's `ConfigSource` id: 1 = DYNAMIC_TOPIC_CONFIG, 4 = STATIC_BROKER_CONFIG, 5 = DEFAULT_CONFIG, ...
    public var source: Int8
    public var isSensitive: Bool

    public init(name: String, value: String?, source: Int8, isSensitive: Bool = false) {
        self.name = name
        self.value = value
        self.source = source
        self.isSensitive = isSensitive
    }

    /// Kafka's `ConfigSource.DYNAMIC_TOPIC_CONFIG`: set on the topic itself.
    public static let dynamicTopicConfig: Int8 = 1
}

/// A topic to create.
public struct NewTopic: Hashable, Sendable {
    public var name: String
    public var partitions: Int32
    public var replicationFactor: Int16
    public var configs: [ConfigPair]

    public init(name: String, partitions: Int32, replicationFactor: Int16, configs: [ConfigPair] = []) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.configs = configs
    }
}

/// A `key=value` config given on the command line.
public struct ConfigPair: Hashable, Sendable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    /// Parses `key=value` (the value may contain `=`; the key must not be empty).
    public static func parse(_ text: String) throws(AdminError) -> ConfigPair {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
            throw .invalidArgument("Invalid config \"\(text)\": expected key=value")
        }
        let key = text[..<eq].trimmingWhitespace()
        guard !key.isEmpty else { throw .invalidArgument("Invalid config \"\(text)\": expected key=value") }
        return ConfigPair(key: String(key), value: String(text[text.index(after: eq)...]))
    }
}
