import BrokerCore
import KafkaProtocol
import NIOCore
import Replication

/// ListOffsets (key 2), versions 1-7, through
/// ``Replication/ReplicaManager/offsetForTimestamp(_:timestamp:isolation:currentLeaderEpoch:)``.
///
/// Follows Kafka 3.9's `KafkaApis.handleListOffsetRequestV1AndAbove`, per partition:
/// - a partition listed twice in the request: INVALID_REQUEST (every occurrence);
/// - a negative timestamp other than -2 (earliest), -1 (latest) and, from v7, -3 (max timestamp):
///   UNSUPPORTED_VERSION (-4 needs v8 and -5 v9, which are not served);
/// - consumers (`replicaId` -1) read up to the high watermark (read_uncommitted) or the last stable
///   offset (read_committed, `isolationLevel` 1, v2+); followers and debugging clients up to the
///   log end offset;
/// - `currentLeaderEpoch` (v4+) fences: FENCED_LEADER_EPOCH / UNKNOWN_LEADER_EPOCH; not the
///   leader: NOT_LEADER_OR_FOLLOWER; not hosted: UNKNOWN_TOPIC_OR_PARTITION (NOT_LEADER_OR_FOLLOWER
///   when the cluster metadata has it); OFFSET_NOT_AVAILABLE (a new leader whose high watermark
///   has not reached its epoch start) is LEADER_NOT_AVAILABLE before v5;
/// - no record at or after the timestamp: NONE with offset -1 and timestamp -1.
/// The found record's leader epoch is answered from v4 (the field's first version).
public struct ListOffsetsHandler: KafkaAPIHandler {
    public typealias Request = ListOffsetsRequest
    public static let supportedVersions: ClosedRange<Int16> = 1...7

    /// Kafka `ListOffsetsRequest.CONSUMER_REPLICA_ID`.
    static let consumerReplicaID: Int32 = -1
    /// The first version serving each special (negative) timestamp (Kafka's
    /// `timestampMinSupportedVersion`).
    static let specialTimestampVersions: [Int64: Int16] = [-2: 1, -1: 1, -3: 7, -4: 8, -5: 9]

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

    public func handle(_ request: ListOffsetsRequest, context: RequestContext) -> APIOutcome<ListOffsetsResponse> {
        let version = context.apiVersion
        let mapping = PartitionErrorMapping(cache: metadataCache)
        let isolation: IsolationLevel? =
            request.replicaId == Self.consumerReplicaID
            ? (request.isolationLevel == 1 ? .readCommitted : .readUncommitted) : nil
        var seen = Set<TopicPartition>()
        var duplicates = Set<TopicPartition>()
        for topic in request.topics {
            for partition in topic.partitions where !seen.insert(TopicPartition(topic.name, partition.partitionIndex)).inserted {
                duplicates.insert(TopicPartition(topic.name, partition.partitionIndex))
            }
        }

        let loop = context.eventLoop
        let topicFutures = request.topics.map { topic in
            let partitionFutures = topic.partitions.map { partition -> EventLoopFuture<ListOffsetsResponse.ListOffsetsPartitionResponse> in
                let topicPartition = TopicPartition(topic.name, partition.partitionIndex)
                func answer(_ code: ErrorCode) -> EventLoopFuture<ListOffsetsResponse.ListOffsetsPartitionResponse> {
                    loop.makeSucceededFuture(
                        ListOffsetsResponse.ListOffsetsPartitionResponse(partitionIndex: partition.partitionIndex, errorCode: code.rawValue))
                }
                if duplicates.contains(topicPartition) { return answer(.invalidRequest) }
                if partition.timestamp < 0, (Self.specialTimestampVersions[partition.timestamp] ?? .max) > version {
                    return answer(.unsupportedVersion)
                }
                return replicaManager.offsetForTimestamp(
                    topicPartition, timestamp: partition.timestamp, isolation: isolation,
                    currentLeaderEpoch: LeaderEpoch(partition.currentLeaderEpoch)
                ).map { result in
                    var code = mapping.map(result.errorCode, for: topicPartition)
                    if code == .offsetNotAvailable, version < 5 { code = .leaderNotAvailable }
                    guard code == .none else {
                        return ListOffsetsResponse.ListOffsetsPartitionResponse(
                            partitionIndex: partition.partitionIndex, errorCode: code.rawValue)
                    }
                    return ListOffsetsResponse.ListOffsetsPartitionResponse(
                        partitionIndex: partition.partitionIndex, errorCode: code.rawValue, timestamp: result.timestamp,
                        offset: result.offset.rawValue, leaderEpoch: version >= 4 ? result.leaderEpoch.rawValue : -1)
                }
            }
            return EventLoopFuture.whenAllSucceed(partitionFutures, on: loop).map { partitions in
                ListOffsetsResponse.ListOffsetsTopicResponse(name: topic.name, partitions: partitions)
            }
        }
        return .later(
            EventLoopFuture.whenAllSucceed(topicFutures, on: loop).map { topics in
                ListOffsetsResponse(throttleTimeMs: 0, topics: topics)
            })
    }
}
