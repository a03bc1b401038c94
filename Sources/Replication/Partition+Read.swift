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

    /// Reads for a fetch (Kafka `Partition.fetchRecords` + `readFromLocalLog`). A follower's fetch
    /// first records its position (which may move the high watermark and complete acks=all produces).
    func read(_ request: FetchPartitionRequest, params: FetchParams, maxBytes: Int, minOneBatch: Bool) -> FetchPartitionResult {
        eventLoop.assertInEventLoop()
        if params.isFromFollower, state.checkLeaderEpoch(request.currentLeaderEpoch) == nil,
            let error = updateFollowerFetchState(replica: params.replicaID, fetchOffset: request.fetchOffset)
        {
            return FetchPartitionResult(topicPartition: topicPartition, errorCode: error)
        }
        let target: (log: PartitionLog, upperBound: Offset)
        switch fetchTarget(request, params: params) {
        case .failure(let error): return FetchPartitionResult(topicPartition: topicPartition, errorCode: error.code)
        case .success(let value): target = value
        }
        var result = FetchPartitionResult(
            topicPartition: topicPartition, errorCode: .none, highWatermark: state.highWatermark,
            lastStableOffset: state.highWatermark, logStartOffset: target.log.logStartOffset)
        do {
            result.records = try target.log.read(
                from: request.fetchOffset, maxBytes: max(maxBytes, 0), upperBound: target.upperBound, minOneBatch: minOneBatch)
        } catch {
            result.errorCode = error.errorCode
        }
        return result
    }

    /// DelayedFetch's check (Kafka `DelayedFetch.tryComplete` cases A-G for one partition):
    /// bytes readable from the fetch offset up to the fetch's bound, capped at the partition's
    /// max bytes, or ``FetchAvailability/completeNow``.
    func fetchAvailability(_ request: FetchPartitionRequest, params: FetchParams) -> FetchAvailability {
        eventLoop.assertInEventLoop()
        guard case .success(let target) = fetchTarget(request, params: params) else { return .completeNow }
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
