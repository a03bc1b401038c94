import BrokerCore
import NIOCore

/// An OffsetForLeaderEpoch answer for one partition (Kafka's `EpochEndOffset`).
public struct EpochEndOffsetResult: Sendable, Hashable {
    public var errorCode: ErrorCode
    /// The largest epoch ≤ the requested one that this log has, or -1.
    public var leaderEpoch: LeaderEpoch
    /// Where that epoch ended (the next epoch's start offset, or the log end offset for the
    /// latest epoch), or -1 when the requested epoch is unknown or above every known epoch.
    public var endOffset: Offset

    public init(errorCode: ErrorCode, leaderEpoch: LeaderEpoch = .unknown, endOffset: Offset = .unknown) {
        self.errorCode = errorCode
        self.leaderEpoch = leaderEpoch
        self.endOffset = endOffset
    }
}

extension ReplicaManager {
    /// OffsetForLeaderEpoch for one partition (Kafka `ReplicaManager.lastOffsetForLeaderEpoch` →
    /// `Partition.lastOffsetForLeaderEpoch` with `fetchOnlyFromLeader = true`).
    ///
    /// Checks, in Kafka's order: the KIP-320 `currentLeaderEpoch` (-1 = none; FENCED_LEADER_EPOCH
    /// if older, UNKNOWN_LEADER_EPOCH if newer than this broker's), then leadership
    /// (NOT_LEADER_OR_FOLLOWER). UNKNOWN_TOPIC_OR_PARTITION if the partition is not hosted here.
    /// Otherwise NONE with the epoch cache's answer (`PartitionLog.endOffset(forEpoch:)`), which is
    /// -1/-1 when `leaderEpoch` is unknown or newer than every epoch in the log.
    ///
    /// Runs on the partition's loop; the future may complete on any loop.
    public func lastOffsetForLeaderEpoch(
        _ topicPartition: TopicPartition, leaderEpoch: LeaderEpoch, currentLeaderEpoch: LeaderEpoch = .unknown
    ) -> EventLoopFuture<EpochEndOffsetResult> {
        guard let partition = partition(topicPartition) else {
            return eventLoop(for: topicPartition).makeSucceededFuture(EpochEndOffsetResult(errorCode: .unknownTopicOrPartition))
        }
        return partition.eventLoop.submit {
            partition.lastOffsetForLeaderEpoch(leaderEpoch, currentLeaderEpoch: currentLeaderEpoch)
        }
    }
}

extension Partition {
    /// See ``ReplicaManager/lastOffsetForLeaderEpoch(_:leaderEpoch:currentLeaderEpoch:)``. On the loop.
    func lastOffsetForLeaderEpoch(_ leaderEpoch: LeaderEpoch, currentLeaderEpoch: LeaderEpoch) -> EpochEndOffsetResult {
        eventLoop.assertInEventLoop()
        if let error = state.checkLeaderEpoch(currentLeaderEpoch) { return EpochEndOffsetResult(errorCode: error) }
        guard state.isLeader, let log else { return EpochEndOffsetResult(errorCode: .notLeaderOrFollower) }
        let found = log.endOffset(forEpoch: leaderEpoch)
        return EpochEndOffsetResult(errorCode: .none, leaderEpoch: found.epoch, endOffset: found.endOffset)
    }
}
