import BrokerCore
import LogStorage

extension Partition {
    /// How much a waiting fetch could read from this partition now.
    enum FetchAvailability: Sendable, Hashable {
        case bytes(Int)
        /// The fetch must answer now (error, leader change, fenced epoch, truncated log).
        case completeNow
    }

    /// Validates a fetch of this partition (KIP-320 epoch first, then leadership, as Kafka's
    /// `getLocalLog`) and returns the log and the offset consumers (HW) or followers (LEO) may
    /// read up to.
    private func fetchTarget(_ request: FetchPartitionRequest, params: FetchParams)
        -> Result<(log: PartitionLog, upperBound: Offset), FetchError>
    {
        if let error = state.checkLeaderEpoch(request.currentLeaderEpoch) { return .failure(FetchError(error)) }
        guard state.isLeader, let log else { return .failure(FetchError(.notLeaderOrFollower)) }
        return .success((log, params.isFromFollower ? log.logEndOffset : state.highWatermark))
    }

    struct FetchError: Error { var code: ErrorCode; init(_ code: ErrorCode) { self.code = code } }

    /// Reads for a fetch (Kafka `Partition.fetchRecords` + `readRecords`). With a
    /// `lastFetchedEpoch`, first checks the fetcher's history against this log's epochs: a
    /// diverging fetcher gets ``FetchPartitionResult/divergingEpoch`` and no records (and its
    /// position is not recorded). A follower's fetch otherwise records its position (which may
    /// move the high watermark and complete acks=all produces), then reads up to the log end.
    func read(_ request: FetchPartitionRequest, params: FetchParams, maxBytes: Int, minOneBatch: Bool) -> FetchPartitionResult {
        eventLoop.assertInEventLoop()
        let target: (log: PartitionLog, upperBound: Offset)
        switch fetchTarget(request, params: params) {
        case .failure(let error): return FetchPartitionResult(topicPartition: topicPartition, errorCode: error.code)
        case .success(let value): target = value
        }
        if params.isFromFollower, !state.replicas.contains(params.replicaID) || params.replicaID == state.localBrokerID {
            return FetchPartitionResult(topicPartition: topicPartition, errorCode: .notLeaderOrFollower)
        }
        var result = FetchPartitionResult(
            topicPartition: topicPartition, errorCode: .none, highWatermark: state.highWatermark,
            lastStableOffset: state.highWatermark, logStartOffset: target.log.logStartOffset)
        switch divergence(request, log: target.log) {
        case .failure(let error):
            return FetchPartitionResult(topicPartition: topicPartition, errorCode: error.code)
        case .success(let diverging?):
            result.divergingEpoch = diverging
            return result
        case .success(nil):
            break
        }
        if params.isFromFollower,
            let error = updateFollowerFetchState(replica: params.replicaID, fetchOffset: request.fetchOffset)
        {
            return FetchPartitionResult(topicPartition: topicPartition, errorCode: error)
        }
        result.highWatermark = state.highWatermark
        result.lastStableOffset = state.highWatermark
        do {
            result.records = try target.log.read(
                from: request.fetchOffset, maxBytes: max(maxBytes, 0), upperBound: target.upperBound, minOneBatch: minOneBatch)
        } catch {
            result.errorCode = error.errorCode
        }
        return result
    }

    /// Kafka's `readRecords` check of `lastFetchedEpoch`: nil when absent or consistent; the
    /// diverging epoch when this log's largest epoch ≤ it is smaller, or ends before the fetch
    /// offset; OFFSET_OUT_OF_RANGE when this log cannot place it (no such epoch) or the fetch
    /// offset is below the log start.
    private func divergence(_ request: FetchPartitionRequest, log: PartitionLog) -> Result<DivergingEpoch?, FetchError> {
        guard request.lastFetchedEpoch != .unknown else { return .success(nil) }
        let found = log.endOffset(forEpoch: request.lastFetchedEpoch)
        if found.endOffset == .unknown || found.epoch == .unknown { return .failure(FetchError(.offsetOutOfRange)) }
        if request.fetchOffset < log.logStartOffset { return .failure(FetchError(.offsetOutOfRange)) }
        if found.epoch < request.lastFetchedEpoch || found.endOffset < request.fetchOffset {
            return .success(DivergingEpoch(epoch: found.epoch, endOffset: found.endOffset))
        }
        return .success(nil)
    }

    /// DelayedFetch's check (Kafka `DelayedFetch.tryComplete` cases A-G for one partition):
    /// bytes readable from the fetch offset up to the fetch's bound, capped at the partition's
    /// max bytes, or ``FetchAvailability/completeNow``.
    func fetchAvailability(_ request: FetchPartitionRequest, params: FetchParams) -> FetchAvailability {
        eventLoop.assertInEventLoop()
        guard case .success(let target) = fetchTarget(request, params: params) else { return .completeNow }
        // Case H: the fetcher's history diverges (or cannot be placed) now.
        if case .success(nil) = divergence(request, log: target.log) {} else { return .completeNow }
        if request.fetchOffset > target.upperBound { return .completeNow }
        if request.fetchOffset == target.upperBound { return .bytes(0) }
        do {
            let read = try target.log.read(
                from: request.fetchOffset, maxBytes: request.partitionMaxBytes, upperBound: target.upperBound, minOneBatch: true)
            return .bytes(min(read.sizeInBytes, max(request.partitionMaxBytes, 0)))
        } catch {
            return .completeNow
        }
    }

    /// ListOffsets for one partition (Kafka `Partition.fetchOffsetForTimestamp`). `isolation` is
    /// nil for follower/debug requests (bounded by the log end, not the high watermark).
    func offsetForTimestamp(
        _ timestamp: Int64, isolation: IsolationLevel?, currentLeaderEpoch: LeaderEpoch
    ) -> ListOffsetsPartitionResult {
        eventLoop.assertInEventLoop()
        if let error = state.checkLeaderEpoch(currentLeaderEpoch) { return ListOffsetsPartitionResult(errorCode: error) }
        guard state.isLeader, let log else { return ListOffsetsPartitionResult(errorCode: .notLeaderOrFollower) }
        let lastFetchable = isolation == nil ? log.logEndOffset : state.highWatermark
        // A new leader whose high watermark has not caught up to its epoch start cannot answer yet.
        let lagging = isolation != nil && state.leaderEpochStartOffset > state.highWatermark
        let lookup: OffsetLookup
        switch timestamp {
        case -1:
            if lagging { return ListOffsetsPartitionResult(errorCode: .offsetNotAvailable) }
            return ListOffsetsPartitionResult(errorCode: .none, offset: lastFetchable, leaderEpoch: state.leaderEpoch)
        case -2, -4: lookup = .earliest  // -4: earliest local (no tiered storage here)
        case -3: lookup = .maxTimestamp
        case 0...: lookup = .timestamp(timestamp)
        default: return ListOffsetsPartitionResult(errorCode: .none)  // -5 latest tiered, others: none
        }
        do {
            guard let found = try log.offset(for: lookup) else { return ListOffsetsPartitionResult(errorCode: .none) }
            if lookup != .earliest {
                if lagging { return ListOffsetsPartitionResult(errorCode: .offsetNotAvailable) }
                if found.offset >= lastFetchable { return ListOffsetsPartitionResult(errorCode: .none) }
            }
            return ListOffsetsPartitionResult(
                errorCode: .none, timestamp: found.timestamp, offset: found.offset, leaderEpoch: found.leaderEpoch ?? .unknown)
        } catch {
            return ListOffsetsPartitionResult(errorCode: error.errorCode)
        }
    }
}
