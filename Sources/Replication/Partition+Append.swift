import BrokerCore
import KafkaRecords
import LogStorage
import NIOCore

extension Partition {
    /// What a leader append produced: a final result, or a result to send once the high
    /// watermark reaches `requiredOffset` (acks=all).
    enum AppendOutcome: Sendable {
        case done(ProducePartitionResult)
        case awaitHighWatermark(requiredOffset: Offset, result: ProducePartitionResult)
    }

    /// Appends a producer's records as leader (Kafka `Partition.appendRecordsToLeader` +
    /// `UnifiedLog.appendAsLeader`): leader and min-ISR checks, idempotent-producer validation,
    /// storage validation and write, high-watermark update, wake-ups.
    func appendRecordsToLeader(_ records: ByteBuffer, acks: RequiredAcks, minInSyncReplicas: Int) -> AppendOutcome {
        eventLoop.assertInEventLoop()
        guard state.isLeader, let log else { return .done(.error(.notLeaderOrFollower)) }
        if minInSyncReplicas != state.minInSyncReplicas { setMinInSyncReplicas(minInSyncReplicas) }
        if acks == .all, state.isUnderMinIsr {
            return .done(
                .error(
                    .notEnoughReplicas,
                    "The size of the current ISR \(state.isr.count) is insufficient to satisfy the min.isr requirement of \(state.minInSyncReplicas)"
                ))
        }

        // Producer state first (nothing is written if a batch is out of order or fenced). A
        // framing error leaves the headers incomplete; storage then rejects the request below.
        var headers: [RecordBatchHeader] = []
        var iterator = RecordBatchIterator(records)
        while let batch = try? iterator.next() { headers.append(batch.header) }
        var pending = ProducerStateManager.PendingAppend()
        switch producerState.validate(headers) {
        case .duplicate(let original):
            return .done(
                ProducePartitionResult(
                    errorCode: .none, baseOffset: original.firstOffset,
                    logAppendTime: log.config.messageTimestampType == .logAppendTime ? original.timestamp : -1,
                    logStartOffset: log.logStartOffset))
        case .rejected(let code):
            return .done(ProducePartitionResult(errorCode: code, logStartOffset: log.logStartOffset))
        case .append(let validated):
            pending = validated
        }

        let info: AppendInfo
        do {
            info = try log.append(records: records, leaderEpoch: state.leaderEpoch)
        } catch {
            return .done(Self.failedAppend(error, logStartOffset: log.logStartOffset))
        }
        guard info.batchCount > 0 else {
            return .done(.error(.invalidRecord, "the produce request has no record batches"))
        }
        producerState.commit(pending, firstOffset: info.firstOffset, nextOffset: info.lastOffset + 1, appendTime: info.logAppendTime)

        let result = ProducePartitionResult(
            errorCode: .none, baseOffset: info.firstOffset, logAppendTime: info.logAppendTime,
            logStartOffset: info.logStartOffset)
        if let hw = state.maybeIncrementHighWatermark(
            leaderEndOffset: log.logEndOffset, nowMs: clock.nowMilliseconds, lagMs: lagMs)
        {
            apply([.highWatermarkAdvanced(hw)])
        } else {
            // New data below the old high watermark is visible to followers (they read to the log end).
            fetchPurgatory.checkAndComplete(topicPartition)
        }
        guard acks == .all else { return .done(result) }
        return .awaitHighWatermark(requiredOffset: info.lastOffset + 1, result: result)
    }

    static func failedAppend(_ error: LogError, logStartOffset: Offset) -> ProducePartitionResult {
        var result = ProducePartitionResult(
            errorCode: error.errorCode, logStartOffset: logStartOffset, errorMessage: error.description)
        // Produce v8+: point at the batch for record-level rejections.
        if case .invalidRecord = error { result.recordErrors = [RecordError(batchIndex: 0, message: error.description)] }
        return result
    }
}
