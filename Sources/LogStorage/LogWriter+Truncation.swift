import BrokerCore

extension LogWriter {
    /// Removes every batch at or after `target` (Kafka `truncateTo`, for followers).
    ///
    /// A batch that contains `target` but starts before it is removed as a whole, so the new log
    /// end offset is ≤ `target` (replication truncates at batch boundaries, where they are equal).
    /// Segments after the one containing it are deleted; that one becomes the active segment.
    /// The epoch cache, recovery point and high watermark are cut back too. Returns whether
    /// anything was removed. If `target` is below the first segment, the whole log is replaced
    /// by an empty one starting at `target`.
    mutating func truncate(to target: Offset) throws(LogError) -> Bool {
        try ensureOpen()
        guard target < state.logEndOffset else { return false }
        guard target >= state.segment(at: 0).baseOffset else {
            try truncateFullyAndStart(at: target)
            return true
        }
        let keepIndex = state.segmentIndex(containing: target)
        var segment = state.segment(at: keepIndex)
        // Delete later segments, newest first.
        for index in stride(from: state.segmentCount - 1, to: keepIndex, by: -1) {
            try state.segment(at: index).segment.deleteFiles(fileSystem)
        }
        // Find the first batch that ends at or after the target.
        var scanner = BatchHeaderScanner(
            file: segment.segment.log, from: segment.offsetIndex.lookup(target), limit: segment.size)
        var cut: (position: Int64, baseOffset: Offset)?
        while let batch = try scanner.next() {
            if batch.header.lastOffset >= target {
                cut = (batch.position, batch.header.baseOffset)
                break
            }
        }
        if let cut {
            try segment.segment.log.truncate(to: cut.position)
            // Make the cut durable: removed batches must not reappear after a crash.
            try segment.segment.log.sync()
            segment.size = cut.position
            segment.nextOffset = max(cut.baseOffset, segment.baseOffset)
            segment.segment.resetVerified(to: min(segment.segment.verifiedEnd.load(ordering: .acquiring), cut.position))
        }
        segment.offsetIndex.truncate(toOffset: segment.nextOffset, position: segment.size)
        segment.timeIndex.truncate(toOffset: segment.nextOffset)
        try segment.reactivate(config: config)
        try segment.refreshTail()
        state.sealed = Array(state.sealed.prefix(keepIndex))
        state.active = segment
        let end = state.logEndOffset
        dropSegmentSyncs(above: end)
        state.recoveryPoint = min(state.recoveryPoint, end)
        state.highWatermark = min(state.highWatermark, end)
        state.logStartOffset = min(state.logStartOffset, end)
        try persistEpochs { $0.truncateFromEnd(end) }
        logger.info("truncated log", metadata: ["partition": "\(topicPartition)", "target": "\(target)", "logEndOffset": "\(end)"])
        return true
    }

    /// Deletes all segments and starts an empty log at `offset` (Kafka `truncateFullyAndStartAt`,
    /// for a follower far behind or ahead of the leader's log start). Clears the epoch cache.
    mutating func truncateFullyAndStart(at offset: Offset) throws(LogError) {
        try ensureOpen()
        for index in stride(from: state.segmentCount - 1, through: 0, by: -1) {
            try state.segment(at: index).segment.deleteFiles(fileSystem)
        }
        state.sealed = []
        pendingSegmentSyncs.removeAll()
        state.active = try createSegment(base: offset)
        state.logStartOffset = offset
        state.recoveryPoint = offset
        state.highWatermark = offset
        unflushedMessages = 0
        try persistEpochs { $0.clear() }
        logger.info("truncated log fully", metadata: ["partition": "\(topicPartition)", "newStart": "\(offset)"])
    }
}

extension SegmentState {
    /// Recomputes the facts about the segment's tail from the indexes plus a scan of the batches
    /// after the last offset-index entry: next offset, max timestamp, bytes since the last index
    /// entry, and the first batch's timestamp.
    mutating func refreshTail() throws(LogError) {
        let start = offsetIndex.lastEntry?.position ?? 0
        if let last = timeIndex.lastEntry {
            maxTimestamp = last.timestamp
            offsetOfMaxTimestamp = last.offset
        } else {
            maxTimestamp = -1
            offsetOfMaxTimestamp = baseOffset
        }
        nextOffset = baseOffset
        var scanner = BatchHeaderScanner(file: segment.log, from: start, limit: size)
        while let batch = try scanner.next() {
            if batch.header.maxTimestamp > maxTimestamp {
                maxTimestamp = batch.header.maxTimestamp
                offsetOfMaxTimestamp = batch.header.lastOffset
            }
            nextOffset = batch.header.nextOffset
        }
        bytesSinceLastIndexEntry = Int(size - start)
        if size > 0 {
            var first = BatchHeaderScanner(file: segment.log, from: 0, limit: size)
            firstBatchTimestamp = try first.next()?.header.maxTimestamp
        } else {
            firstBatchTimestamp = nil
        }
    }
}
