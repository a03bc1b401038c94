import BrokerCore
import NIOCore

/// The follower data path the replica fetchers call (Kafka's `ReplicaFetcherThread` hooks into
/// `ReplicaManager` / `Partition`). Each call hops to the partition's loop, checks that the
/// partition is still a follower in the fetch's leader epoch (``FollowerFetchOutcome/notFollower``
/// otherwise: the fetcher drops its state, a newer one comes from LeaderAndIsr), and answers the
/// position to fetch from next.
extension ReplicaManager {
    /// Appends a fetched partition's records as follower (see ``FollowerFetchedData``).
    public func appendFetchedRecords(_ data: FollowerFetchedData) -> EventLoopFuture<FollowerFetchOutcome> {
        onFollower(data.topicPartition) { $0.appendFetched(data) }
    }

    /// Truncates after the leader answered a `divergingEpoch` for the fetch sent in `leaderEpoch`.
    public func truncateOnDivergence(
        _ topicPartition: TopicPartition, leaderEpoch: LeaderEpoch, divergingEpoch: LeaderEpoch, endOffset: Offset
    ) -> EventLoopFuture<FollowerFetchOutcome> {
        onFollower(topicPartition) {
            $0.truncateOnDivergence(leaderEpoch: leaderEpoch, divergingEpoch: divergingEpoch, endOffset: endOffset)
        }
    }

    /// Re-positions after OFFSET_OUT_OF_RANGE, given the leader's log start and end offsets
    /// (from ListOffsets earliest/latest as a replica).
    public func resetAfterOutOfRange(
        _ topicPartition: TopicPartition, leaderEpoch: LeaderEpoch, leaderLogStartOffset: Offset,
        leaderLogEndOffset: Offset
    ) -> EventLoopFuture<FollowerFetchOutcome> {
        onFollower(topicPartition) {
            $0.resetAfterOutOfRange(
                leaderEpoch: leaderEpoch, leaderLogStartOffset: leaderLogStartOffset, leaderLogEndOffset: leaderLogEndOffset)
        }
    }

    /// The partition's current follower position (log end offset, latest epoch), or
    /// ``FollowerFetchOutcome/notFollower``.
    public func followerPosition(_ topicPartition: TopicPartition, leaderEpoch: LeaderEpoch) -> EventLoopFuture<FollowerFetchOutcome> {
        onFollower(topicPartition) { partition in
            guard partition.state.leaderEpoch == leaderEpoch, let position = partition.followerPosition() else {
                return .notFollower
            }
            return .fetch(position)
        }
    }

    private func onFollower(
        _ topicPartition: TopicPartition, _ body: @escaping @Sendable (Partition) -> FollowerFetchOutcome
    ) -> EventLoopFuture<FollowerFetchOutcome> {
        guard let partition = partition(topicPartition) else {
            return eventLoop(for: topicPartition).makeSucceededFuture(.notFollower)
        }
        return partition.eventLoop.submit { body(partition) }
    }
}
