import BrokerCore
import LogStorage

extension LogError {
    /// The Kafka error code a produce, fetch or list-offsets response carries for this storage
    /// error (the mapping documented on each ``LogError`` case).
    public var errorCode: ErrorCode {
        switch self {
        case .corruptMessage: .corruptMessage
        case .invalidRecord: .invalidRecord
        case .messageTooLarge: .messageTooLarge
        case .recordListTooLarge: .recordListTooLarge
        case .offsetOutOfRange: .offsetOutOfRange
        // A leader never appends as a follower; if it surfaces, the partition moved under us.
        case .unexpectedAppendOffset: .notLeaderOrFollower
        case .corruptLog, .io, .invalidLayout: .kafkaStorageError
        // The log was closed or deleted (StopReplica, shutdown) while the request was in flight.
        case .closed: .notLeaderOrFollower
        }
    }
}
