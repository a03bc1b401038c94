import BrokerCore
import KafkaRecords
import LogStorage
import NIOCore

/// What the replica fetcher should do next for a partition, after the replica manager handled a
/// fetched response for it.
public enum FollowerFetchOutcome: Sendable, Hashable {
    /// Keep fetching from this position (after an append, a truncation, or a re-sync).
    case fetch(FollowerFetchPosition)
    /// The partition is not (any more) a follower of the leader epoch the fetch was for: drop it
    /// from this fetch state (a LeaderAndIsr changed it; a newer fetch state may already exist).
    case notFollower
    /// The log refused the data or the truncation (storage error, corrupt data): back off and
    /// retry from this position.
    case failed(ErrorCode, FollowerFetchPosition?)
}

/// One partition's data from a leader's Fetch response, for the follower to append.
public struct FollowerFetchedData: Sendable {
    public var topicPartition: TopicPartition
    /// The `currentLeaderEpoch` the fetch was sent with (the append is dropped if the partition
    /// has moved on).
    public var leaderEpoch: LeaderEpoch
    /// The offset the fetch asked for (must still be the follower's log end offset).
    public var fetchOffset: Offset
    /// Whole record batches from the leader (may be empty).
    public var records: ByteBuffer
    /// The leader's high watermark and log start offset from the response.
    public var leaderHighWatermark: Offset
    public var leaderLogStartOffset: Offset

    public init(
        topicPartition: TopicPartition, leaderEpoch: LeaderEpoch, fetchOffset: Offset, records: ByteBuffer,
        leaderHighWatermark: Offset, leaderLogStartOffset: Offset
    ) {
        self.topicPartition = topicPartition
        self.leaderEpoch = leaderEpoch
        self.fetchOffset = fetchOffset
        self.records = records
        self.leaderHighWatermark = leaderHighWatermark
        self.leaderLogStartOffset = leaderLogStartOffset
    }
}

/// The follower side of a partition (Kafka's `Partition.appendRecordsToFollowerOrFutureReplica`,
/// `ReplicaFetcherThread.processPartitionData`, and `AbstractFetcherThread`'s truncation rules,
/// run here because the partition's loop owns the log). Every method runs on the partition's loop
/// and first checks that the partition is still a follower in `leaderEpoch`.
extension Partition {
    /// The current fetch position (log end offset, latest epoch), nil unless a follower with a log.
    func followerPosition() -> FollowerFetchPosition? {
        eventLoop.assertInEventLoop()
        guard state.isFollower, let log else { return nil }
        return FollowerFetchPosition(
            topicPartition: topicPartition, leader: state.leader, leaderEpoch: state.leaderEpoch,
            fetchOffset: log.logEndOffset, lastFetchedEpoch: log.latestEpoch, logStartOffset: log.logStartOffset)
    }

    /// Where fetching starts after becoming a follower (Kafka's `initialFetchOffset` with
    /// truncation on fetch): the log end offset, with the log's latest epoch for the leader's
    /// divergence check. A log without epochs is first truncated to the high watermark (Kafka's
    /// `Truncating` state without epochs, `truncateToHighWatermark`).
    func startFollowing() throws -> FollowerFetchPosition? {
        eventLoop.assertInEventLoop()
        guard state.isFollower, let log else { return nil }
        if log.latestEpoch == nil, log.highWatermark < log.logEndOffset {
            try truncate(log, to: log.highWatermark)
        }
        return followerPosition()
    }

    private func isFollowing(_ leaderEpoch: LeaderEpoch) -> Bool {
        state.isFollower && state.leaderEpoch == leaderEpoch && log != nil
    }

    /// Appends a fetched response's batches (offsets and epochs kept), updates the producer
    /// state from them, sets the high watermark to min(leader's high watermark, log end offset)
    /// and follows the leader's log start offset.
    func appendFetched(_ data: FollowerFetchedData) -> FollowerFetchOutcome {
        eventLoop.assertInEventLoop()
        guard isFollowing(data.leaderEpoch), let log else { return .notFollower }
        // A response to an older position (the log was truncated meanwhile): re-sync.
        guard data.fetchOffset == log.logEndOffset else { return followerPosition().map { .fetch($0) } ?? .notFollower }
        do {
            if data.records.readableBytes > 0 { try appendAsFollower(data.records, to: log) }
            // Kafka `maybeUpdateHighWatermark`: follows the leader, bounded by this log's end.
            let hw = log.updateHighWatermark(min(data.leaderHighWatermark, log.logEndOffset))
            state.setHighWatermark(hw)
            if data.leaderLogStartOffset > log.logStartOffset {
                try log.advanceLogStartOffset(to: data.leaderLogStartOffset)
            }
        } catch {
            logger.warning(
                "follower append failed", metadata: ["partition": "\(topicPartition)", "error": "\(error)"])
            return .failed(error.errorCode, followerPosition())
        }
        return followerPosition().map { .fetch($0) } ?? .notFollower
    }

    /// Appends leader batches; recovers Kafka's one known case of an append below the log end
    /// (an empty log whose start, set from the leader's log start offset, is inside the leader's
    /// first batch after DeleteRecords) by restarting the log at that batch.
    private func appendAsFollower(_ records: ByteBuffer, to log: PartitionLog) throws(LogError) {
        var headers: [RecordBatchHeader] = []
        var iterator = RecordBatchIterator(records)
        while let batch = try? iterator.next() { headers.append(batch.header) }
        let info: AppendInfo
        do {
            info = try log.appendAsFollower(records: records)
        } catch .unexpectedAppendOffset(let first, let end) {
            guard let head = headers.first, end == log.logStartOffset, head.baseOffset < end, head.lastOffset >= end
            else { throw LogError.unexpectedAppendOffset(firstOffset: first, logEndOffset: end) }
            logger.info(
                "restarting empty follower log at the leader's first batch",
                metadata: ["partition": "\(topicPartition)", "offset": "\(head.baseOffset)"])
            try log.truncateFullyAndStart(at: head.baseOffset)
            producerState.reset()
            info = try log.appendAsFollower(records: records)
        }
        producerState.applyReplicated(headers, nextOffset: info.lastOffset + 1)
    }

    /// The leader answered `divergingEpoch` (Kafka's truncate-on-fetch,
    /// `AbstractFetcherThread.getOffsetTruncationState`): truncates to where this log and the
    /// leader's agree, as far as this log's epochs tell:
    /// - end offset unknown: nothing to truncate;
    /// - this log has the diverging epoch: to min(its end here, the leader's end);
    /// - this log only has a smaller epoch: to that epoch's end here (the next fetch, with the
    ///   new last epoch, narrows it further);
    /// - this log has no epoch ≤ it: to the leader's end offset.
    /// Never beyond the log end offset.
    func truncateOnDivergence(leaderEpoch: LeaderEpoch, divergingEpoch: LeaderEpoch, endOffset: Offset) -> FollowerFetchOutcome {
        eventLoop.assertInEventLoop()
        guard isFollowing(leaderEpoch), let log else { return .notFollower }
        let logEnd = log.logEndOffset
        let target: Offset
        if endOffset == .unknown {
            target = logEnd
        } else if divergingEpoch == .unknown {
            target = min(endOffset, logEnd)
        } else {
            let local = log.endOffset(forEpoch: divergingEpoch)
            if local.endOffset == .unknown {
                target = min(endOffset, logEnd)
            } else if local.epoch != divergingEpoch {
                target = min(local.endOffset, logEnd)
            } else {
                target = min(local.endOffset, endOffset, logEnd)
            }
        }
        do {
            if target < logEnd {
                logger.info(
                    "truncating diverging follower log",
                    metadata: [
                        "partition": "\(topicPartition)", "target": "\(target)", "leaderEpoch": "\(divergingEpoch)",
                        "leaderEndOffset": "\(endOffset)",
                    ])
                try truncate(log, to: target)
            }
        } catch {
            return .failed(error.errorCode, followerPosition())
        }
        return followerPosition().map { .fetch($0) } ?? .notFollower
    }

    /// The leader answered OFFSET_OUT_OF_RANGE (Kafka's `fetchOffsetAndTruncate`): if the leader
    /// ends below this log, truncate to its end (unclean election); if its log starts after this
    /// log's end, replace this log by an empty one starting there; otherwise keep the log and
    /// fetch from its end again.
    func resetAfterOutOfRange(leaderEpoch: LeaderEpoch, leaderLogStartOffset: Offset, leaderLogEndOffset: Offset)
        -> FollowerFetchOutcome
    {
        eventLoop.assertInEventLoop()
        guard isFollowing(leaderEpoch), let log else { return .notFollower }
        let logEnd = log.logEndOffset
        do {
            if leaderLogEndOffset >= .zero, leaderLogEndOffset < logEnd {
                logger.warning(
                    "leader's log ends below this follower's; truncating",
                    metadata: ["partition": "\(topicPartition)", "leaderEndOffset": "\(leaderLogEndOffset)", "logEndOffset": "\(logEnd)"])
                try truncate(log, to: leaderLogEndOffset)
            } else if leaderLogStartOffset > logEnd {
                logger.warning(
                    "leader's log starts after this follower's end; restarting the log",
                    metadata: ["partition": "\(topicPartition)", "leaderStartOffset": "\(leaderLogStartOffset)"])
                try log.truncateFullyAndStart(at: leaderLogStartOffset)
                producerState.reset()
                try producerState.catchUp(with: log)
                state.setHighWatermark(log.highWatermark)
            }
        } catch let error as LogError {
            return .failed(error.errorCode, followerPosition())
        } catch {
            return .failed(.kafkaStorageError, followerPosition())
        }
        return followerPosition().map { .fetch($0) } ?? .notFollower
    }

    /// Truncates the log and rebuilds the producer state (Kafka `truncateTo` +
    /// `producerStateManager.truncateAndReload`); the high watermark follows the log.
    private func truncate(_ log: PartitionLog, to offset: Offset) throws(LogError) {
        try log.truncate(to: offset)
        producerState.reset()
        do {
            try producerState.catchUp(with: log)
        } catch let error as LogError {
            throw error
        } catch {
            throw LogError.invalidLayout("producer state rebuild failed: \(error)")
        }
        state.setHighWatermark(log.highWatermark)
    }
}
