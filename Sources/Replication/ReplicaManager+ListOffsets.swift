import BrokerCore
import NIOCore

extension ReplicaManager {
    /// ListOffsets for one partition (Kafka `fetchOffsetForTimestamp`).
    ///
    /// - Parameters:
    ///   - timestamp: -2 earliest, -1 latest, -3 max timestamp, -4 earliest local (= earliest),
    ///     or a time (first offset whose timestamp is ≥ it).
    ///   - isolation: the consumer's isolation (latest and lookups are bounded by the high
    ///     watermark); nil for follower/debug requests (bounded by the log end offset).
    ///   - currentLeaderEpoch: KIP-320 check (-1 = none): FENCED_LEADER_EPOCH / UNKNOWN_LEADER_EPOCH.
    /// - Returns: UNKNOWN_TOPIC_OR_PARTITION if not hosted, NOT_LEADER_OR_FOLLOWER if not leader,
    ///   OFFSET_NOT_AVAILABLE while a new leader's high watermark is below its epoch start;
    ///   otherwise offset -1 / timestamp -1 when no record qualifies.
    public func offsetForTimestamp(
        _ topicPartition: TopicPartition, timestamp: Int64, isolation: IsolationLevel?,
        currentLeaderEpoch: LeaderEpoch = .unknown
    ) -> EventLoopFuture<ListOffsetsPartitionResult> {
        guard let partition = partition(topicPartition) else {
            return eventLoop(for: topicPartition).makeSucceededFuture(
                ListOffsetsPartitionResult(errorCode: .unknownTopicOrPartition))
        }
        return partition.eventLoop.submit {
            partition.offsetForTimestamp(timestamp, isolation: isolation, currentLeaderEpoch: currentLeaderEpoch)
        }
    }
}
