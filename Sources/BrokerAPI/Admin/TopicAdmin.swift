import BrokerCore

/// Cluster-level topic administration, as the active controller performs it (Kafka's
/// AdminZkClient in ZooKeeper mode). Injected into admin handlers so this layer does not depend on
/// ZooKeeper or the controller.
public protocol TopicAdmin: Sendable {
    /// Whether this broker is the active controller (ZooKeeper-mode Kafka answers admin requests
    /// such as CreateTopics only there; elsewhere NOT_CONTROLLER).
    func isActiveController() async -> Bool

    /// The registered brokers' ids.
    func liveBrokers() async throws -> [BrokerID]

    /// Writes the topic's assignment and configuration; the controller then creates its partitions.
    /// Throws ``TopicAdminError``.
    func createTopic(name: String, assignment: [Int32: [BrokerID]], configs: [String: String]) async throws

    /// Asks the controller to delete the topic (Kafka's `AdminZkClient.deleteTopic`: writes
    /// `/admin/delete_topics/T`); a pending request is not an error. Throws ``TopicAdminError``
    /// (UNKNOWN_TOPIC_OR_PARTITION when the topic does not exist).
    func deleteTopic(name: String) async throws
}

/// Admin failures, each mapped to a Kafka error code.
public struct TopicAdminError: Error, Equatable, CustomStringConvertible {
    public var code: ErrorCode
    public var message: String
    public init(_ code: ErrorCode, _ message: String) {
        self.code = code
        self.message = message
    }
    public var description: String { "\(code.kafkaName): \(message)" }
}
