import BrokerCore

/// Why an admin operation failed. `description` is the message the CLI prints.
public enum AdminError: Error, Equatable, CustomStringConvertible {
    /// A command-line value that cannot be used (bad `--bootstrap-server`, `--config` without `=`, ...).
    case invalidArgument(String)
    /// None of the bootstrap servers could be reached (each address with why).
    case noBrokerReachable([String])
    /// The broker does not serve an API (or no version this client speaks).
    case unsupportedAPI(name: String, apiKey: Int16)
    /// The broker answered `operation` with a Kafka error.
    case kafka(operation: String, code: Int16, message: String?)
    /// The topic is not in the cluster's metadata.
    case topicDoesNotExist(String)
    /// The consumer group does not exist (DescribeGroups answered Dead / GROUP_ID_NOT_FOUND).
    case groupDoesNotExist(String)
    /// Retriable errors went on until the operation's deadline (the last one is included).
    case timedOut(operation: String, lastError: String)

    public var description: String {
        switch self {
        case .invalidArgument(let message): return message
        case .noBrokerReachable(let tried):
            return "Could not connect to any bootstrap server: " + tried.joined(separator: "; ")
        case .unsupportedAPI(let name, let key):
            return "The broker does not support \(name) (API key \(key)) at a version this client speaks."
        case .kafka(let operation, let code, let message):
            let name = ErrorCode(rawValue: code)?.kafkaName ?? "UNKNOWN_ERROR_CODE_\(code)"
            let text = message ?? ErrorCode(rawValue: code)?.defaultMessage
            return "\(operation) failed with \(name)" + (text.map { ": \($0)" } ?? "")
        case .topicDoesNotExist(let topic): return "Topic '\(topic)' does not exist as expected"
        case .groupDoesNotExist(let group): return "Consumer group '\(group)' does not exist."
        case .timedOut(let operation, let last): return "\(operation) timed out; last error: \(last)"
        }
    }

    /// Whether a Kafka error code means "retry after refreshing metadata or the coordinator".
    /// REQUEST_TIMED_OUT is not among them: a CreateTopics that timed out may still complete, and
    /// a retry would then report TOPIC_ALREADY_EXISTS.
    static func isRetriable(_ code: Int16) -> Bool {
        switch ErrorCode(rawValue: code) {
        case .leaderNotAvailable, .notLeaderOrFollower, .coordinatorLoadInProgress,
            .coordinatorNotAvailable, .notCoordinator, .notController, .fencedLeaderEpoch, .unknownLeaderEpoch,
            .notEnoughReplicas:
            return true
        default:
            return false
        }
    }
}
