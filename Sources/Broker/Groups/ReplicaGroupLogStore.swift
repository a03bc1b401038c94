import BrokerCore
import GroupCoordination
import LogStorage
import NIOCore
import Replication

/// The group coordinator's storage: the partitions of `__consumer_offsets` on this broker,
/// through the ``ReplicaManager`` exactly as produce and fetch reach them.
///
/// - Appends go through `appendRecords` with acks=all and the topic's `min.insync.replicas`
///   (Kafka's `GroupMetadataManager.appendForGroup`): the result comes once the batch is below
///   the high watermark, or with NOT_LEADER_OR_FOLLOWER, NOT_ENOUGH_REPLICAS(_AFTER_APPEND),
///   REQUEST_TIMED_OUT, or a storage error. The client-batch checks of the Produce API (one
///   batch, no internal topics) do not apply to these internal writes; storage still validates
///   framing and CRC.
/// - Reads are a consumer's fetch (replica id -1, no wait) bounded by the high watermark; the
///   returned file slice is copied into memory here. Errors: NOT_LEADER_OR_FOLLOWER,
///   UNKNOWN_TOPIC_OR_PARTITION, OFFSET_OUT_OF_RANGE, KAFKA_STORAGE_ERROR, ...
///
/// Thread-safety: stateless; calls may run concurrently. The copy of a read is a blocking file
/// read on the calling task's thread (bounded by `maxBytes`).
struct ReplicaGroupLogStore: GroupLogStore {
    let replicaManager: ReplicaManager
    /// `__consumer_offsets`' effective `min.insync.replicas`.
    let minInSyncReplicas: @Sendable () -> Int

    func append(partition: Int32, batch: ByteBuffer, timeoutMs: Int32) async -> GroupLogAppendResult {
        let data = ProducePartitionData(
            topicPartition: TopicPartition(TopicName.consumerOffsets, partition), records: batch,
            minInSyncReplicas: minInSyncReplicas())
        do {
            let results = try await replicaManager.appendRecords([data], acks: -1, timeoutMs: Int64(timeoutMs)).get()
            guard let result = results.first else { return GroupLogAppendResult(errorCode: .unknownServerError) }
            guard result.errorCode == .none else { return GroupLogAppendResult(errorCode: result.errorCode) }
            return GroupLogAppendResult(errorCode: .none, baseOffset: result.baseOffset)
        } catch {
            return GroupLogAppendResult(errorCode: .unknownServerError)
        }
    }

    func read(partition: Int32, from offset: Offset, maxBytes: Int) async -> GroupLogReadResult {
        let limit = max(maxBytes, 1)
        let params = FetchParams(
            replicaID: .none, maxWaitMs: 0, minBytes: 0, maxBytes: limit,
            partitions: [
                FetchPartitionRequest(
                    topicPartition: TopicPartition(TopicName.consumerOffsets, partition), fetchOffset: offset,
                    partitionMaxBytes: limit)
            ])
        let result: FetchPartitionResult
        do {
            guard let first = try await replicaManager.fetchMessages(params).get().first else {
                return Self.failure(.unknownServerError)
            }
            result = first
        } catch {
            return Self.failure(.unknownServerError)
        }
        guard result.errorCode == .none else {
            return GroupLogReadResult(
                errorCode: result.errorCode, records: ByteBuffer(), highWatermark: result.highWatermark,
                logStartOffset: result.logStartOffset)
        }
        do {
            let records = try result.records?.readBytes() ?? ByteBuffer()
            return GroupLogReadResult(
                errorCode: .none, records: records, highWatermark: result.highWatermark,
                logStartOffset: result.logStartOffset)
        } catch {
            return Self.failure(error.errorCode)
        }
    }

    private static func failure(_ code: ErrorCode) -> GroupLogReadResult {
        GroupLogReadResult(errorCode: code, records: ByteBuffer(), highWatermark: .unknown, logStartOffset: .unknown)
    }
}
