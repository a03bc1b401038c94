import BrokerCore
import NIOCore

extension ReplicaManager {
    /// DeleteRecords for one partition (Kafka `ReplicaManager.deleteRecords` on the leader): see
    /// `DeleteRecordsOutcome`. `offset` -1 means the high watermark.
    ///
    /// Returns UNKNOWN_TOPIC_OR_PARTITION if not hosted, NOT_LEADER_OR_FOLLOWER if not leader,
    /// OFFSET_OUT_OF_RANGE above the high watermark; otherwise the new low watermark (the
    /// leader's log start offset).
    ///
    /// Unlike Kafka, it answers as soon as the leader's log start offset moved, without waiting
    /// (DelayedDeleteRecords) for followers to adopt it from their next fetch.
    public func deleteRecords(_ topicPartition: TopicPartition, before offset: Offset)
        -> EventLoopFuture<DeleteRecordsOutcome>
    {
        guard let partition = partition(topicPartition) else {
            return eventLoop(for: topicPartition).makeSucceededFuture(
                DeleteRecordsOutcome(errorCode: .unknownTopicOrPartition))
        }
        return partition.eventLoop.submit { partition.deleteRecords(before: offset) }
    }
}
