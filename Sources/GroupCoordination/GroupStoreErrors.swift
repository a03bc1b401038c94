import BrokerCore

/// How append errors of `__consumer_offsets` reach clients.
enum GroupStoreErrors {
    /// For an OffsetCommit (Kafka's `maybeConvertOffsetCommitError`, with every other error
    /// reported as UNKNOWN_SERVER_ERROR).
    static func forOffsetCommit(_ error: ErrorCode) -> ErrorCode {
        switch error {
        case .none: .none
        case .unknownTopicOrPartition, .notEnoughReplicas, .notEnoughReplicasAfterAppend, .requestTimedOut:
            .coordinatorNotAvailable
        case .notLeaderOrFollower, .kafkaStorageError: .notCoordinator
        case .messageTooLarge, .recordListTooLarge, .invalidFetchSize: .invalidCommitOffsetSize
        default: .unknownServerError
        }
    }

    /// For a group metadata write answered to SyncGroup/JoinGroup (Kafka's `storeGroup` mapping).
    static func forGroupMetadata(_ error: ErrorCode) -> ErrorCode {
        switch error {
        case .unknownTopicOrPartition, .notEnoughReplicas, .notEnoughReplicasAfterAppend: .coordinatorNotAvailable
        case .notLeaderOrFollower, .kafkaStorageError: .notCoordinator
        case .requestTimedOut: .rebalanceInProgress
        case .messageTooLarge, .recordListTooLarge, .invalidFetchSize: .unknownServerError
        default: error
        }
    }
}
