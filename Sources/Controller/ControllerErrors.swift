import BrokerCore

/// A controller write was fenced: `/controller_epoch` no longer has the version the writer was
/// elected with (another controller was elected), or the writer lost the election. Nothing was
/// written. Kafka's `ControllerMovedException`.
public struct ControllerMovedError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "controller moved: \(message)" }
}

/// Errors of cluster-metadata operations that Kafka reports with an error code (CreateTopics,
/// ControlledShutdown, broker start-up). `errorCode` is what a request handler answers with.
public enum ClusterMetadataError: Error, Hashable, Sendable, CustomStringConvertible {
    /// `/brokers/ids/N` is held by another live session (a second broker with the same id).
    case brokerAlreadyRegistered(BrokerID)
    case topicAlreadyExists(String)
    case unknownTopic(String)
    case invalidTopicName(String, reason: String)
    case invalidPartitions(String)
    case invalidReplicationFactor(String)
    case invalidReplicaAssignment(String)
    /// This broker is not the active controller (the active one, if known).
    case notController(activeController: BrokerID?)
    /// The broker is not registered (not live).
    case brokerNotAvailable(BrokerID)
    /// The request carries an older broker epoch than the broker's current registration.
    case staleBrokerEpoch(BrokerID, requested: BrokerEpoch, current: BrokerEpoch)
    /// The controller stopped before it could answer.
    case controllerStopped
    /// `/latest_producer_id_block` reached the end of the producer id space.
    case producerIDSpaceExhausted

    /// Kafka's error code for a response.
    public var errorCode: ErrorCode {
        switch self {
        case .brokerAlreadyRegistered: .unknownServerError
        case .topicAlreadyExists: .topicAlreadyExists
        case .unknownTopic: .unknownTopicOrPartition
        case .invalidTopicName: .invalidTopicException
        case .invalidPartitions: .invalidPartitions
        case .invalidReplicationFactor: .invalidReplicationFactor
        case .invalidReplicaAssignment: .invalidReplicaAssignment
        case .notController, .controllerStopped: .notController
        case .brokerNotAvailable: .brokerNotAvailable
        case .staleBrokerEpoch: .staleBrokerEpoch
        case .producerIDSpaceExhausted: .unknownServerError
        }
    }

    /// A human-readable message (Kafka's wording where it has one).
    public var description: String {
        switch self {
        case .brokerAlreadyRegistered(let id):
            "broker.id \(id) is already registered: another broker holds /brokers/ids/\(id)"
        case .topicAlreadyExists(let topic): "Topic '\(topic)' already exists."
        case .unknownTopic(let topic): "Topic '\(topic)' does not exist."
        case .invalidTopicName(_, let reason): reason
        case .invalidPartitions(let message), .invalidReplicationFactor(let message),
            .invalidReplicaAssignment(let message):
            message
        case .notController(let active):
            "This is not the correct controller for this cluster (active: \(active.map(String.init(describing:)) ?? "none"))."
        case .brokerNotAvailable(let id): "Broker id \(id) does not exist."
        case .staleBrokerEpoch(let id, let requested, let current):
            "Received a request from broker \(id) with stale broker epoch \(requested), current broker epoch \(current)."
        case .controllerStopped: "The controller stopped."
        case .producerIDSpaceExhausted: "Exhausted all producerIds as the next block's end producerId has exceeded the int64 type limit."
        }
    }
}
