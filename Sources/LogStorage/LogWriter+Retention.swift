import BrokerCore

/// What one retention pass deleted.
public struct RetentionResult: Hashable, Sendable {
    public var deletedSegments: Int
    public var deletedBytes: Int64
    public var logStartOffset: Offset
    public init(deletedSegments: Int = 0, deletedBytes: Int64 = 0, logStartOffset: Offset) {
        self.deletedSegments = deletedSegments
        self.deletedBytes = deletedBytes
        self.logStartOffset = logStartOffset
    }
}

extension LogWriter {
    /// Deletes whole segments from the start of the log (Kafka `deleteOldSegments`): those
    /// entirely below the log start offset, those whose newest timestamp is older than
    /// `retention.ms`, and the oldest while the log exceeds `retention.bytes`. A segment is only
    /// deleted once the high watermark has passed its end. If every segment qualifies, the log
    /// rolls first so an empty active segment remains. Advances the log start offset.
    mutating func applyRetention() throws(LogError) -> RetentionResult {
        try ensureOpen()
        let now = clock.nowMilliseconds
        let count = state.segmentCount
        var excessBytes = config.retentionBytes >= 0 ? state.sizeInBytes - config.retentionBytes : 0
        var byStart = 0
        var byTime = 0
        var bySize = 0
        var stillStart = true
        var stillTime = config.retentionMs >= 0
        var stillSize = config.retentionBytes >= 0
        for index in 0..<count {
            let segment = state.segment(at: index)
            let upperBound = index + 1 < count ? state.segment(at: index + 1).baseOffset : state.logEndOffset
            let isLastAndEmpty = index == count - 1 && segment.isEmpty
            guard state.highWatermark >= upperBound, !isLastAndEmpty else { break }
            stillStart = stillStart && index + 1 < count && upperBound <= state.logStartOffset
            stillTime = stillTime && segment.maxTimestamp >= 0 && now - segment.maxTimestamp > config.retentionMs
            if stillSize, excessBytes - segment.size >= 0 {
                excessBytes -= segment.size
            } else {
                stillSize = false
            }
            if stillStart { byStart = index + 1 }
            if stillTime { byTime = index + 1 }
            if stillSize { bySize = index + 1 }
            if !stillStart && !stillTime && !stillSize { break }
        }
        let deletable = max(byStart, byTime, bySize)
        guard deletable > 0 else { return RetentionResult(logStartOffset: state.logStartOffset) }
        if deletable == count { try roll(newBase: state.logEndOffset) }
        let doomed = Array(state.sealed.prefix(deletable))
        state.sealed.removeFirst(doomed.count)
        var bytes: Int64 = 0
        for segment in doomed {
            bytes += segment.size
            try segment.segment.deleteFiles(fileSystem)
        }
        let newStart = max(state.logStartOffset, state.segment(at: 0).baseOffset)
        try setLogStartOffset(newStart)
        logger.info(
            "retention deleted segments",
            metadata: [
                "partition": "\(topicPartition)", "segments": "\(doomed.map(\.baseOffset))", "bytes": "\(bytes)",
                "logStartOffset": "\(newStart)",
            ])
        return RetentionResult(deletedSegments: doomed.count, deletedBytes: bytes, logStartOffset: newStart)
    }

    /// Moves the log start offset up (retention, DeleteRecords) and trims the epoch cache.
    mutating func setLogStartOffset(_ offset: Offset) throws(LogError) {
        guard offset > state.logStartOffset else { return }
        state.logStartOffset = offset
        state.highWatermark = max(state.highWatermark, offset)
        state.recoveryPoint = max(state.recoveryPoint, min(offset, state.logEndOffset))
        try persistEpochs { $0.truncateFromStart(offset) }
    }
}
