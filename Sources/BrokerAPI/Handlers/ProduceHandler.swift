import BrokerCore
import KafkaProtocol
import NIOCore
import Replication

/// Produce (key 0), versions 3-11 (record batch v2 only), through ``Replication/ReplicaManager``.
///
/// Follows Kafka 3.9's `KafkaApis.handleProduceRequest` and `ReplicaManager.handleProduceAppend`.
/// Each partition is answered on its own; the checks, in Kafka's order:
/// 1. a partition this broker does not host: UNKNOWN_TOPIC_OR_PARTITION, or NOT_LEADER_OR_FOLLOWER
///    when the cluster metadata has it (see ``PartitionErrorMapping``);
/// 2. the records (``ProduceRecordsCheck``): exactly one complete batch of magic 2, else
///    INVALID_RECORD (CORRUPT_MESSAGE for an impossible length); ZStandard before v7:
///    UNSUPPORTED_COMPRESSION_TYPE; null records: INVALID_RECORD (Kafka 3.9 fails the whole
///    request with UNKNOWN_SERVER_ERROR there);
/// 3. transactions are not supported yet: a transactional batch in a request without a
///    transactional id fails the whole request with TRANSACTIONAL_ID_AUTHORIZATION_FAILED (as
///    Kafka); with one, its partition gets INVALID_PRODUCER_ID_MAPPING, which is what Kafka answers
///    when the transaction coordinator does not know the transactional id;
/// 4. with a valid `acks`, writes to an internal topic (`__consumer_offsets`,
///    `__transaction_state`) from any client but `__admin_client`: INVALID_TOPIC_EXCEPTION;
/// 5. the append (`ReplicaManager.appendRecords`): NOT_LEADER_OR_FOLLOWER, MESSAGE_TOO_LARGE,
///    CORRUPT_MESSAGE, INVALID_RECORD, RECORD_LIST_TOO_LARGE, INVALID_REQUIRED_ACKS (acks not 0, 1
///    or -1), NOT_ENOUGH_REPLICAS (acks=-1 with |ISR| < `min.insync.replicas`), producer-state
///    errors; acks=-1 waits for the high watermark (or `timeoutMs`).
///
/// The records are handed to storage as the request's own buffer slices (no copy).
/// acks=0: nothing is sent back; if any partition failed the connection is closed (Kafka's way
/// of telling such a producer to refresh its metadata).
///
/// Responses list topics and partitions in request order, with `logAppendTimeMs` (v2+),
/// `logStartOffset` (v5+), `recordErrors` and `errorMessage` (v8+) as the codec's version allows.
/// From v10 (KIP-951) a NOT_LEADER_OR_FOLLOWER partition carries the `currentLeader` (id, epoch)
/// the metadata cache knows, and the response lists those leaders' `nodeEndpoints` for the
/// request's listener, so the client can redirect without a Metadata round trip. v11 only tells
/// the broker that the client may use KIP-890 transactions (not served here), so it is answered
/// like v10.
public struct ProduceHandler: KafkaAPIHandler {
    public typealias Request = ProduceRequest
    public static let supportedVersions: ClosedRange<Int16> = 3...11

    /// Kafka's `AdminUtils.ADMIN_CLIENT_ID`: the one client id allowed to write internal topics.
    static let adminClientID = "__admin_client"

    let replicaManager: ReplicaManager
    let metadataCache: MetadataCache?
    let minInSyncReplicas: @Sendable (String) -> Int

    /// - Parameters:
    ///   - replicaManager: appends the records (this broker's partitions).
    ///   - metadataCache: tells a partition the cluster has (answered NOT_LEADER_OR_FOLLOWER when
    ///     not hosted here) from an unknown one (UNKNOWN_TOPIC_OR_PARTITION); nil: always the latter.
    ///   - minInSyncReplicas: a topic's effective `min.insync.replicas` (topic config, else the
    ///     broker's); called on the connection's event loop, must not block. Default: Kafka's 1.
    public init(
        replicaManager: ReplicaManager, metadataCache: MetadataCache? = nil,
        minInSyncReplicas: @escaping @Sendable (String) -> Int = { _ in 1 }
    ) {
        self.replicaManager = replicaManager
        self.metadataCache = metadataCache
        self.minInSyncReplicas = minInSyncReplicas
    }

    /// One partition entry of the request, and its answer if it was refused before the append.
    private struct Entry: Sendable {
        var topicPartition: TopicPartition
        var verdict: Verdict

        var refusal: ProducePartitionResult? {
            if case .refused(let result) = verdict { return result }
            return nil
        }
    }

    private enum Verdict: Sendable {
        case refused(ProducePartitionResult)
        /// Index into the list handed to `appendRecords`.
        case appended(Int)
    }

    public func handle(_ request: ProduceRequest, context: RequestContext) -> APIOutcome<ProduceResponse> {
        let version = context.apiVersion
        let acksAreValid = RequiredAcks(wireValue: request.acks) != nil
        let mapping = PartitionErrorMapping(cache: metadataCache)
        var entries: [Entry] = []
        var toAppend: [ProducePartitionData] = []
        var transactionalWithoutID = false

        for topic in request.topicData {
            for partitionData in topic.partitionData {
                let topicPartition = TopicPartition(topic.name, partitionData.index)
                let verdict: Verdict
                if replicaManager.partition(topicPartition) == nil {
                    verdict = .refused(.error(mapping.map(.unknownTopicOrPartition, for: topicPartition)))
                } else {
                    switch ProduceRecordsCheck.check(partitionData.records, version: version) {
                    case .failure(let rejection):
                        verdict = .refused(.error(rejection.code, rejection.message))
                    case .success(let batch) where batch.isTransactional:
                        if request.transactionalId == nil { transactionalWithoutID = true }
                        verdict = .refused(
                            .error(
                                .invalidProducerIdMapping,
                                "transactional produce is not supported: no transaction coordinator knows transactional id \(request.transactionalId ?? "null")"
                            ))
                    case .success where acksAreValid && TopicName.isInternal(topic.name)
                        && context.clientID != Self.adminClientID:
                        verdict = .refused(.error(.invalidTopicException, "Cannot append to internal topic \(topic.name)"))
                    case .success(let batch):
                        verdict = .appended(toAppend.count)
                        toAppend.append(
                            ProducePartitionData(
                                topicPartition: topicPartition, records: batch.records,
                                minInSyncReplicas: minInSyncReplicas(topic.name)))
                    }
                }
                entries.append(Entry(topicPartition: topicPartition, verdict: verdict))
            }
        }

        if transactionalWithoutID {
            // Kafka answers the whole request with this error (no partition is appended).
            let denied = ProducePartitionResult.error(.transactionalIdAuthorizationFailed)
            return finish(
                request, entries, entries.map { _ in denied }, version: version, mapping: mapping, context: context)
        }
        guard !toAppend.isEmpty else {
            return finish(
                request, entries, entries.map { $0.refusal ?? .error(.unknownServerError) }, version: version,
                mapping: mapping, context: context)
        }
        let appended = replicaManager.appendRecords(
            toAppend, acks: request.acks, timeoutMs: Int64(request.timeoutMs), callerLoop: context.eventLoop)
        let settled = entries
        let merge = { @Sendable (appendResults: [ProducePartitionResult]) -> [ProducePartitionResult] in
            settled.map { entry -> ProducePartitionResult in
                switch entry.verdict {
                case .refused(let result): return result
                case .appended(let index):
                    var result = appendResults[index]
                    result.errorCode = mapping.map(result.errorCode, for: entry.topicPartition)
                    return result
                }
            }
        }
        switch appended {
        case .completed(let appendResults):
            // Every partition answered at once (owned by this connection's loop): no future.
            return finish(
                request, entries, merge(appendResults), version: version, mapping: mapping, context: context)
        case .pending(let future):
            if request.acks == 0 {
                return .laterWithoutResponse(
                    future.flatMapThrowing { appendResults in
                        if let failure = Self.acksZeroFailure(settled, merge(appendResults)) { throw failure }
                    })
            }
            let hints = version >= 10 ? LeaderHints(mapping: mapping, listener: context.listenerName) : nil
            return .later(future.map { Self.response(request, merge($0), leaderHints: hints) })
        }
    }

    /// Answers a request whose partitions are all settled (refused, or appended during the call).
    private func finish(
        _ request: ProduceRequest, _ entries: [Entry], _ results: [ProducePartitionResult], version: Int16,
        mapping: PartitionErrorMapping, context: RequestContext
    ) -> APIOutcome<ProduceResponse> {
        guard request.acks == 0 else {
            let hints = version >= 10 ? LeaderHints(mapping: mapping, listener: context.listenerName) : nil
            return .respond(Self.response(request, results, leaderHints: hints))
        }
        if let failure = Self.acksZeroFailure(entries, results) { return .closeConnection(reason: failure.description) }
        return .noResponse
    }

    /// Kafka closes an acks=0 producer's connection when any partition failed.
    private static func acksZeroFailure(_ entries: [Entry], _ results: [ProducePartitionResult]) -> AcksZeroProduceFailed? {
        let failed = zip(entries, results).filter { $0.1.errorCode != .none }
        guard !failed.isEmpty else { return nil }
        return AcksZeroProduceFailed(errors: failed.map { ($0.0.topicPartition, $0.1.errorCode) })
    }

    /// Where KIP-951 leader hints come from (v10+).
    struct LeaderHints {
        var mapping: PartitionErrorMapping
        var listener: String
    }

    /// Builds the response in request order (results are one per partition entry, in order).
    static func response(
        _ request: ProduceRequest, _ results: [ProducePartitionResult], leaderHints: LeaderHints? = nil
    ) -> ProduceResponse {
        var next = results.makeIterator()
        var response = ProduceResponse(throttleTimeMs: 0)
        var endpoints: [BrokerID: ProduceResponse.NodeEndpoint] = [:]
        response.responses = request.topicData.map { topic in
            ProduceResponse.TopicProduceResponse(
                name: topic.name,
                partitionResponses: topic.partitionData.map { partitionData in
                    let result = next.next() ?? .error(.unknownServerError)
                    var currentLeader = ProduceResponse.LeaderIdAndEpoch(leaderId: -1, leaderEpoch: -1)
                    if result.errorCode == .notLeaderOrFollower, let leaderHints,
                        let leader = leaderHints.mapping.currentLeader(
                            of: TopicPartition(topic.name, partitionData.index), listener: leaderHints.listener)
                    {
                        currentLeader = .init(leaderId: leader.leader.rawValue, leaderEpoch: leader.epoch.rawValue)
                        endpoints[leader.leader] = .init(
                            nodeId: leader.leader.rawValue, host: leader.endpoint.host, port: Int32(leader.endpoint.port),
                            rack: leader.node.rack)
                    }
                    return ProduceResponse.PartitionProduceResponse(
                        index: partitionData.index, errorCode: result.errorCode.rawValue, baseOffset: result.baseOffset.rawValue,
                        logAppendTimeMs: result.logAppendTime, logStartOffset: result.logStartOffset.rawValue,
                        recordErrors: result.recordErrors.map {
                            ProduceResponse.BatchIndexAndErrorMessage(batchIndex: $0.batchIndex, batchIndexErrorMessage: $0.message)
                        },
                        errorMessage: result.errorMessage, currentLeader: currentLeader)
                })
        }
        response.nodeEndpoints = endpoints.keys.sorted().compactMap { endpoints[$0] }
        return response
    }
}

/// The failure of an acks=0 produce: the connection is closed (no response is sent).
public struct AcksZeroProduceFailed: Error, CustomStringConvertible {
    public var errors: [(TopicPartition, ErrorCode)]
    public var description: String {
        "produce with acks=0 failed: " + errors.map { "\($0.0): \($0.1)" }.joined(separator: ", ")
    }
}
