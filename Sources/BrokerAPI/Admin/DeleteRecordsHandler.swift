import BrokerCore
import KafkaProtocol
import NIOCore
import Replication

/// DeleteRecords (key 21), versions 0-2, through
/// ``Replication/ReplicaManager/deleteRecords(_:before:)`` (Kafka's
/// `KafkaApis.handleDeleteRecordsRequest` + `ReplicaManager.deleteRecords`), per partition:
/// - offset -1 deletes up to the high watermark; an offset above the high watermark (or another
///   negative one): OFFSET_OUT_OF_RANGE;
/// - not the leader: NOT_LEADER_OR_FOLLOWER; not hosted: UNKNOWN_TOPIC_OR_PARTITION
///   (NOT_LEADER_OR_FOLLOWER when the cluster metadata has the partition);
/// - success answers the new low watermark (the leader's log start offset); errors answer -1.
/// The answer does not wait for followers (see `ReplicaManager.deleteRecords`), so `timeoutMs`
/// is not used.
public struct DeleteRecordsHandler: KafkaAPIHandler {
    public typealias Request = DeleteRecordsRequest
    public static let supportedVersions: ClosedRange<Int16> = 0...2

    let replicaManager: ReplicaManager
    let metadataCache: MetadataCache?

    /// - Parameters:
    ///   - replicaManager: answers each partition.
    ///   - metadataCache: tells a partition the cluster has from an unknown one; nil: always
    ///     UNKNOWN_TOPIC_OR_PARTITION for partitions not hosted here.
    public init(replicaManager: ReplicaManager, metadataCache: MetadataCache? = nil) {
        self.replicaManager = replicaManager
        self.metadataCache = metadataCache
    }

    private typealias PartitionResult = DeleteRecordsResponse.DeleteRecordsPartitionResult

    public func handle(_ request: DeleteRecordsRequest, context: RequestContext) -> APIOutcome<DeleteRecordsResponse> {
        let mapping = PartitionErrorMapping(cache: metadataCache)
        let loop = context.eventLoop
        let topicFutures = request.topics.map { topic in
            let partitionFutures = topic.partitions.map { partition -> EventLoopFuture<PartitionResult> in
                let topicPartition = TopicPartition(topic.name, partition.partitionIndex)
                return replicaManager.deleteRecords(topicPartition, before: Offset(partition.offset))
                    .hop(to: loop)
                    .map { outcome in
                        let code = mapping.map(outcome.errorCode, for: topicPartition)
                        return PartitionResult(
                            partitionIndex: partition.partitionIndex,
                            lowWatermark: code == .none ? outcome.lowWatermark.rawValue : -1, errorCode: code.rawValue)
                    }
            }
            return EventLoopFuture.whenAllSucceed(partitionFutures, on: loop).map { partitions in
                DeleteRecordsResponse.DeleteRecordsTopicResult(name: topic.name, partitions: partitions)
            }
        }
        return .later(
            EventLoopFuture.whenAllSucceed(topicFutures, on: loop).map { topics in
                DeleteRecordsResponse(throttleTimeMs: 0, topics: topics)
            })
    }
}
