import BrokerCore

/// An immutable picture of the cluster as this broker knows it: what Metadata answers from.
///
/// Until the ZooKeeper controller pushes UpdateMetadata, a broker's image holds itself only.
public struct ClusterMetadataImage: Sendable, Equatable {
    public var clusterID: String
    public var controllerID: BrokerID
    public var brokers: [BrokerID: BrokerNode]
    public var topics: [String: TopicImage]

    public init(
        clusterID: String, controllerID: BrokerID, brokers: [BrokerID: BrokerNode],
        topics: [String: TopicImage] = [:]
    ) {
        self.clusterID = clusterID
        self.controllerID = controllerID
        self.brokers = brokers
        self.topics = topics
    }
}

/// A live broker and the endpoints it advertises, by listener name.
public struct BrokerNode: Sendable, Equatable {
    public var id: BrokerID
    public var endpoints: [String: HostPort]
    public var rack: String?
    public init(id: BrokerID, endpoints: [String: HostPort], rack: String? = nil) {
        self.id = id
        self.endpoints = endpoints
        self.rack = rack
    }
}

public struct HostPort: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }
    public var description: String { "\(host):\(port)" }
}

/// A topic and its partitions' leadership.
public struct TopicImage: Sendable, Equatable {
    public var name: String
    public var isInternal: Bool
    public var partitions: [PartitionImage]
    public init(name: String, isInternal: Bool = false, partitions: [PartitionImage]) {
        self.name = name
        self.isInternal = isInternal
        self.partitions = partitions
    }
}

/// One partition's leader, epoch, replicas and in-sync replicas.
public struct PartitionImage: Sendable, Equatable {
    public var index: Int32
    public var leader: BrokerID
    public var leaderEpoch: LeaderEpoch
    public var replicas: [BrokerID]
    public var isr: [BrokerID]
    public init(index: Int32, leader: BrokerID, leaderEpoch: LeaderEpoch, replicas: [BrokerID], isr: [BrokerID]) {
        self.index = index
        self.leader = leader
        self.leaderEpoch = leaderEpoch
        self.replicas = replicas
        self.isr = isr
    }
}
