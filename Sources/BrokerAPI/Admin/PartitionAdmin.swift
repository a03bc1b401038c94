import BrokerCore

/// Adding partitions to existing topics, as the active controller performs it (Kafka's
/// `AdminZkClient.addPartitions`). Injected into `CreatePartitionsHandler` so this layer does not
/// depend on ZooKeeper or the controller.
public protocol PartitionAdmin: Sendable {
    /// Whether this broker is the active controller (elsewhere CreatePartitions answers
    /// NOT_CONTROLLER).
    func isActiveController() async -> Bool

    /// The registered brokers' ids.
    func liveBrokers() async throws -> [BrokerID]

    /// The topic's current replica assignment with the version it was read at (the version the
    /// write must match), nil if the topic does not exist.
    func partitionAssignment(topic: String) async throws -> VersionedReplicaAssignment?

    /// Writes the topic's assignment extended with `additions` (partition ids continuing the
    /// existing ones), conditional on `expectedVersion`; the controller then creates the new
    /// partitions. Throws ``TopicAdminError``.
    func addPartitions(topic: String, additions: [Int32: [BrokerID]], expectedVersion: Int32) async throws
}

/// A topic's replica assignment (partition id → replicas in assignment order) and the version of
/// the record it was read from.
public struct VersionedReplicaAssignment: Sendable, Equatable {
    public var replicas: [Int32: [BrokerID]]
    public var version: Int32
    public init(replicas: [Int32: [BrokerID]], version: Int32) {
        self.replicas = replicas
        self.version = version
    }
}
