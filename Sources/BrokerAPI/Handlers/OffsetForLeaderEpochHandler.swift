import BrokerCore
import KafkaProtocol
import NIOCore
import Replication

/// OffsetForLeaderEpoch (key 23), versions 2-4: for each partition, where the requested leader
/// epoch ended in this leader's log (consumers detect truncation after a leader change, KIP-320;
/// followers find their truncation point, KIP-101/279).
///
/// Follows Kafka 3.9's `KafkaApis.handleOffsetForLeaderEpochRequest` and
/// `ReplicaManager.lastOffsetForLeaderEpoch`, through
/// ``Replication/ReplicaManager/lastOffsetForLeaderEpoch(_:leaderEpoch:currentLeaderEpoch:)``:
/// `currentLeaderEpoch` fences (FENCED_LEADER_EPOCH if older, UNKNOWN_LEADER_EPOCH if newer than
/// this broker's epoch; -1 skips the check), then only the leader answers
/// (NOT_LEADER_OR_FOLLOWER); a partition this broker does not host is UNKNOWN_TOPIC_OR_PARTITION,
/// or NOT_LEADER_OR_FOLLOWER when the cluster metadata has it. The answer is the largest epoch
/// ≤ the requested one and its end offset (the next epoch's start, or the log end offset for
/// the latest epoch), or -1/-1 when the requested epoch is unknown or newer than the log's.
/// `replicaId` (v3+) does not change the answer: Kafka always reads from the leader here.
public struct OffsetForLeaderEpochHandler: KafkaAPIHandler {
    public typealias Request = OffsetForLeaderEpochRequest
    public static let supportedVersions: ClosedRange<Int16> = 2...4

    let replicaManager: ReplicaManager
    let metadataCache: MetadataCache?

    /// - Parameters:
    ///   - replicaManager: answers each partition.
    ///   - metadataCache: tells a partition the cluster has (NOT_LEADER_OR_FOLLOWER when not hosted
    ///     here) from an unknown one (UNKNOWN_TOPIC_OR_PARTITION); nil: always the latter.
    public init(replicaManager: ReplicaManager, metadataCache: MetadataCache? = nil) {
        self.replicaManager = replicaManager
        self.metadataCache = metadataCache
    }

    public func handle(_ request: OffsetForLeaderEpochRequest, context: RequestContext)
        -> APIOutcome<OffsetForLeaderEpochResponse>
    {
        let mapping = PartitionErrorMapping(cache: metadataCache)
        let loop = context.eventLoop
        let topicFutures = request.topics.map { topic in
            let partitionFutures = topic.partitions.map { partition in
                let topicPartition = TopicPartition(topic.topic, partition.partition)
                return replicaManager.lastOffsetForLeaderEpoch(
                    topicPartition, leaderEpoch: LeaderEpoch(partition.leaderEpoch),
                    currentLeaderEpoch: LeaderEpoch(partition.currentLeaderEpoch)
                ).map { result in
                    OffsetForLeaderEpochResponse.EpochEndOffset(
                        errorCode: mapping.map(result.errorCode, for: topicPartition).rawValue,
                        partition: partition.partition, leaderEpoch: result.leaderEpoch.rawValue,
                        endOffset: result.endOffset.rawValue)
                }
            }
            return EventLoopFuture.whenAllSucceed(partitionFutures, on: loop).map { partitions in
                OffsetForLeaderEpochResponse.OffsetForLeaderTopicResult(topic: topic.topic, partitions: partitions)
            }
        }
        return .later(
            EventLoopFuture.whenAllSucceed(topicFutures, on: loop).map { topics in
                OffsetForLeaderEpochResponse(throttleTimeMs: 0, topics: topics)
            })
    }
}
