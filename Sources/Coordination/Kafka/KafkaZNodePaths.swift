import BrokerCore

/// Kafka's znode layout in ZooKeeper mode (`kafka.zk.ZkData`, Kafka 3.9), relative to the chroot.
public enum KafkaZNodePaths {
    public static let brokers = "/brokers"
    /// Parent of the broker registrations (ephemeral children named by broker id).
    public static let brokerIDs = "/brokers/ids"
    public static let brokerTopics = "/brokers/topics"
    public static let brokerSequenceID = "/brokers/seqid"
    /// Ephemeral; the elected controller (`ControllerRegistration`).
    public static let controller = "/controller"
    /// Persistent; the controller epoch as a plain integer (`ControllerEpochZNode`).
    public static let controllerEpoch = "/controller_epoch"
    public static let cluster = "/cluster"
    /// Persistent; `{"version":"1","id":…}` (`ClusterIDZNode`).
    public static let clusterID = "/cluster/id"
    /// Persistent; the last allocated producer id block (`ProducerIDBlock`).
    public static let latestProducerIDBlock = "/latest_producer_id_block"
    public static let admin = "/admin"
    /// Parent of topic deletion requests (empty children named by topic).
    public static let deleteTopics = "/admin/delete_topics"
    public static let reassignPartitions = "/admin/reassign_partitions"
    public static let preferredReplicaElection = "/admin/preferred_replica_election"
    public static let config = "/config"
    /// Parent of config change notifications (persistent sequential `config_change_…`).
    public static let configChanges = "/config/changes"
    public static let configChangePrefix = "config_change_"
    /// Parent of ISR change notifications (persistent sequential `isr_change_…`).
    public static let isrChangeNotification = "/isr_change_notification"
    public static let isrChangePrefix = "isr_change_"
    public static let logDirEventNotification = "/log_dir_event_notification"
    public static let logDirEventPrefix = "log_dir_event_"
    /// The pre-0.9 consumer path Kafka still creates.
    public static let consumers = "/consumers"

    /// `/brokers/ids/<id>`.
    public static func broker(_ id: BrokerID) -> String { "\(brokerIDs)/\(id.rawValue)" }

    /// `/brokers/topics/<topic>`: the replica assignment (`TopicAssignment`).
    public static func topic(_ topic: String) -> String { "\(brokerTopics)/\(topic)" }

    /// `/brokers/topics/<topic>/partitions`.
    public static func topicPartitions(_ topic: String) -> String { "\(self.topic(topic))/partitions" }

    /// `/brokers/topics/<topic>/partitions/<partition>`.
    public static func partition(_ partition: TopicPartition) -> String {
        "\(topicPartitions(partition.topic))/\(partition.partition)"
    }

    /// `/brokers/topics/<topic>/partitions/<partition>/state` (`LeaderIsrAndControllerEpoch`).
    public static func partitionState(_ partition: TopicPartition) -> String { "\(self.partition(partition))/state" }

    /// `/admin/delete_topics/<topic>`.
    public static func deleteTopic(_ topic: String) -> String { "\(deleteTopics)/\(topic)" }

    /// `/config/<entity type>`.
    public static func configEntityType(_ type: ConfigEntityType) -> String { "\(config)/\(type.rawValue)" }

    /// `/config/<entity type>/<entity name>` (`EntityConfig`).
    public static func configEntity(_ type: ConfigEntityType, _ name: String) -> String {
        "\(configEntityType(type))/\(name)"
    }

    /// Path prefix for creating a config change notification (persistent sequential).
    public static let configChangeSequencePrefix = "\(configChanges)/\(configChangePrefix)"

    /// Path prefix for creating an ISR change notification (persistent sequential).
    public static let isrChangeSequencePrefix = "\(isrChangeNotification)/\(isrChangePrefix)"

    /// The persistent paths a broker makes sure exist at startup (`ZkData.PersistentZkPaths`).
    public static let persistentPaths: [String] =
        [
            consumers, brokerIDs, brokerTopics, configChanges, deleteTopics, brokerSequenceID,
            isrChangeNotification, latestProducerIDBlock, logDirEventNotification,
        ] + ConfigEntityType.allCases.map(configEntityType)

    /// The broker id named by a child of `/brokers/ids`, or nil if the name is not an id.
    public static func brokerID(fromChildName name: String) -> BrokerID? {
        Int32(name).map { BrokerID($0) }
    }

    /// The sequence number of a sequential child name such as `isr_change_0000000003`.
    public static func sequenceNumber(ofChildName name: String, prefix: String) -> Int64? {
        guard name.hasPrefix(prefix) else { return nil }
        return Int64(name.dropFirst(prefix.count))
    }
}

/// Kafka's config entity types under `/config` (`ConfigType.ALL`).
public enum ConfigEntityType: String, CaseIterable, Hashable, Sendable {
    case topics
    case clients
    case users
    case brokers
    case ips
}
