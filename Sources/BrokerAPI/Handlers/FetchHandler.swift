import BrokerCore
import KafkaProtocol
import KafkaRecords
import LogStorage
import NIOCore
import Replication

/// Fetch (key 1), versions 4-12 (record batch v2, topics by name: clients stay at ≤ 12 while
/// topic ids are zero), through ``Replication/ReplicaManager/fetchMessages(_:)``, which owns the
/// long poll (woken by appends and high-watermark moves, bounded by `maxWaitMs`).
///
/// Follows Kafka 3.9's `KafkaApis.handleFetchRequest`:
/// - `maxBytes` is capped at the broker's `fetch.max.bytes`, `minBytes` at that result;
///   `isolation_level` 1 reads committed data (up to the last stable offset);
/// - per partition: `currentLeaderEpoch` (KIP-320), `logStartOffset` (followers) and
///   `partitionMaxBytes` go to the replica manager; a partition this broker does not host is
///   UNKNOWN_TOPIC_OR_PARTITION, or NOT_LEADER_OR_FOLLOWER when the cluster metadata has it;
///   KAFKA_STORAGE_ERROR becomes NOT_LEADER_OR_FOLLOWER for v ≤ 5 (older clients do not retry it);
/// - each partition answers its high watermark, last stable offset and log start offset (-1 on
///   error), `preferredReadReplica` -1, and `abortedTransactions` as Kafka does: an empty list for
///   a read_committed fetch that succeeded, null otherwise;
/// - records are whole batches, the first containing the fetch offset. They are sent as a
///   `FileRegion` over a duplicated descriptor of the segment file (zero copy; the server closes
///   it after writing), or as bytes read from the file when the file has no descriptor.
///
/// Fetch sessions (KIP-227) run sessionless, as a Kafka broker whose session cache is full:
/// every full fetch (session epoch 0 or -1) is answered with session id 0, so clients keep sending
/// full fetches; an incremental fetch (any other epoch) gets FETCH_SESSION_ID_NOT_FOUND at the top
/// level with no partitions, after which clients start over with a full fetch. Forgotten topics
/// only matter to sessions and are ignored.
///
/// A partition whose records include a zstd batch answers UNSUPPORTED_COMPRESSION_TYPE to
/// Fetch v4-9 (Kafka's rule for zstd topics; Martlet has no `compression.type` topic config, so
/// it looks at the batches).
///
/// Followers (`replicaId` ≥ 0) read up to the log end offset and report their position; with
/// v12's `lastFetchedEpoch` the leader checks the fetcher's history against its epochs and
/// answers `divergingEpoch` (no records) when they differ, OFFSET_OUT_OF_RANGE when it cannot
/// place that epoch (Kafka's truncate-on-fetch, `Partition.fetchRecords`).
public struct FetchHandler: KafkaAPIHandler {
    public typealias Request = FetchRequest
    public static let supportedVersions: ClosedRange<Int16> = 4...12

    /// Kafka's `fetch.max.bytes` default (55 MiB).
    public static let defaultFetchMaxBytes = 57_671_680

    let replicaManager: ReplicaManager
    let metadataCache: MetadataCache?
    let fetchMaxBytes: Int

    /// - Parameters:
    ///   - replicaManager: reads the partitions and parks long polls.
    ///   - metadataCache: tells a partition the cluster has (NOT_LEADER_OR_FOLLOWER when not hosted
    ///     here) from an unknown one (UNKNOWN_TOPIC_OR_PARTITION); nil: always the latter.
    ///   - fetchMaxBytes: the broker's `fetch.max.bytes`, the cap on a request's `maxBytes`.
    public init(replicaManager: ReplicaManager, metadataCache: MetadataCache? = nil, fetchMaxBytes: Int = defaultFetchMaxBytes) {
        self.replicaManager = replicaManager
        self.metadataCache = metadataCache
        self.fetchMaxBytes = fetchMaxBytes
    }

    /// Kafka's `FetchMetadata.INITIAL_EPOCH` and `FINAL_EPOCH`: the epochs of a full fetch.
    static let fullFetchEpochs: Set<Int32> = [0, -1]

    public func handle(_ request: FetchRequest, context: RequestContext) -> APIOutcome<FetchResponse> {
        let version = context.apiVersion
        guard Self.fullFetchEpochs.contains(request.sessionEpoch) else {
            // No session is ever created, so none can be found.
            return .respond(
                FetchResponse(throttleTimeMs: 0, errorCode: ErrorCode.fetchSessionIdNotFound.rawValue, sessionId: 0))
        }
        let isolation: IsolationLevel = request.isolationLevel == 1 ? .readCommitted : .readUncommitted
        let maxBytes = min(Int(request.maxBytes), fetchMaxBytes)
        let partitions = request.topics.flatMap { topic -> [FetchPartitionRequest] in
            topic.partitions.map { partition in
                FetchPartitionRequest(
                    topicPartition: TopicPartition(topic.topic, partition.partition),
                    fetchOffset: Offset(partition.fetchOffset), partitionMaxBytes: Int(partition.partitionMaxBytes),
                    currentLeaderEpoch: LeaderEpoch(partition.currentLeaderEpoch),
                    logStartOffset: Offset(partition.logStartOffset),
                    lastFetchedEpoch: version >= 12 ? LeaderEpoch(partition.lastFetchedEpoch) : .unknown)
            }
        }
        guard !partitions.isEmpty else { return .respond(Self.response(request, parts: [])) }
        let params = FetchParams(
            replicaID: BrokerID(request.replicaId), maxWaitMs: Int64(request.maxWaitMs),
            minBytes: min(Int(request.minBytes), maxBytes), maxBytes: maxBytes, isolation: isolation, partitions: partitions)
        let mapping = PartitionErrorMapping(cache: metadataCache)
        let isFromFollower = params.isFromFollower
        return .later(
            replicaManager.fetchMessages(params).map { results in
                let parts = results.map { result in
                    Self.partitionData(
                        result, version: version, isolation: isFromFollower ? nil : isolation, mapping: mapping)
                }
                return Self.response(request, parts: parts)
            })
    }

    /// One partition of the response. Creates the partition's `FileRegion` (owned by the response
    /// from here on).
    static func partitionData(
        _ result: FetchPartitionResult, version: Int16, isolation: IsolationLevel?, mapping: PartitionErrorMapping
    ) -> FetchResponse.PartitionData {
        var code = mapping.map(result.errorCode, for: result.topicPartition)
        var records = RecordsPayload.bytes(ByteBuffer())
        if code == .none, let slice = result.records?.records, slice.length > 0 {
            do throws(LogError) {
                if version < Self.zstdMinVersion {
                    // Old consumers cannot read zstd (Kafka: UNSUPPORTED_COMPRESSION_TYPE below v10).
                    let bytes = try slice.readBytes()
                    if Self.containsZstd(bytes) {
                        code = .unsupportedCompressionType
                    } else {
                        records = .bytes(bytes)
                    }
                } else if let region = try slice.makeFileRegion() {
                    records = .file(region)
                } else {
                    records = .bytes(try slice.readBytes())
                }
            } catch {
                code = error.errorCode
            }
        }
        if code == .kafkaStorageError, version <= 5 { code = .notLeaderOrFollower }
        let diverging = result.divergingEpoch.map {
            FetchResponse.EpochEndOffset(epoch: $0.epoch.rawValue, endOffset: $0.endOffset.rawValue)
        }
        return FetchResponse.PartitionData(
            partitionIndex: result.topicPartition.partition, errorCode: code.rawValue,
            highWatermark: result.highWatermark.rawValue, lastStableOffset: result.lastStableOffset.rawValue,
            logStartOffset: result.logStartOffset.rawValue,
            divergingEpoch: code == .none ? diverging ?? FetchResponse.EpochEndOffset() : FetchResponse.EpochEndOffset(),
            abortedTransactions: code == .none && isolation == .readCommitted ? [] : nil, preferredReadReplica: -1,
            records: records)
    }

    /// The first Fetch version whose clients read zstd batches (KIP-110).
    static let zstdMinVersion: Int16 = 10

    /// Whether any batch in `records` is zstd-compressed.
    static func containsZstd(_ records: ByteBuffer) -> Bool {
        var iterator = RecordBatchIterator(records)
        while let batch = try? iterator.next() {
            if batch.header.attributes.compression == .zstd { return true }
        }
        return false
    }

    /// The response: one topic entry per request topic entry, partitions in request order.
    static func response(_ request: FetchRequest, parts: [FetchResponse.PartitionData]) -> FetchResponse {
        var next = parts.makeIterator()
        let topics = request.topics.map { topic in
            FetchResponse.FetchableTopicResponse(
                topic: topic.topic, topicId: topic.topicId,
                partitions: topic.partitions.compactMap { _ in next.next() })
        }
        return FetchResponse(throttleTimeMs: 0, errorCode: 0, sessionId: 0, responses: topics)
    }
}
