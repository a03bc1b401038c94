import BrokerCore
import KafkaRecords
import Logging
import NIOCore
import SystemPackage

/// Opens a partition directory and brings it to a consistent state (Kafka `LogLoader`).
///
/// - Leftover temporary files are removed, and index files without a `.log`.
/// - After a clean shutdown, segments are trusted; each index is sanity-checked (size a multiple
///   of the entry size, increasing entries inside the log) and rebuilt from the log if not sane.
/// - Without the clean-shutdown marker, every segment from the one containing the recovery point
///   on is re-validated batch by batch: framing, magic 2, CRC-32C, offsets increasing and inside
///   the segment's 32-bit range. The first invalid batch and everything after it is cut off;
///   later segments are deleted. Indexes of recovered segments are rebuilt, and the recovered
///   segments are fsynced before the recovery point moves to the new log end offset.
/// - Everything dropped is logged (segment, position, bytes, reason) and returned in a
///   ``RecoveryReport``.
struct LogLoader {
    let topicPartition: TopicPartition
    let directory: FilePath
    let config: LogConfig
    let fileSystem: any LogFileSystem
    let clock: any TimeSource
    let logger: Logger

    /// Chunk size for recovery reads.
    static let recoveryChunkSize = 8 * 1024 * 1024

    func load(
        cleanShutdown: Bool, recoveryPoint checkpointedRecoveryPoint: Offset?, logStartOffset checkpointedStart: Offset?,
        highWatermark checkpointedHighWatermark: Offset?
    ) throws(LogError) -> (LogWriter, RecoveryReport) {
        var report = RecoveryReport(topicPartition: topicPartition, cleanShutdown: cleanShutdown)
        try fileSystem.createDirectory(directory)
        var names = try fileSystem.contentsOfDirectory(directory)
        for name in names where LogFileNames.leftoverSuffixes.contains(where: { name.hasSuffix($0) }) {
            try fileSystem.remove(directory.appending(name))
            report.removedFiles.append(name)
        }
        names = try fileSystem.contentsOfDirectory(directory)
        let bases = Set(names.compactMap { LogFileNames.baseOffset(ofFileNamed: $0, suffix: LogFileNames.logSuffix) })
        for name in names {
            let base =
                LogFileNames.baseOffset(ofFileNamed: name, suffix: LogFileNames.indexSuffix)
                ?? LogFileNames.baseOffset(ofFileNamed: name, suffix: LogFileNames.timeIndexSuffix)
            if let base, !bases.contains(base) {
                try fileSystem.remove(directory.appending(name))
                report.removedFiles.append(name)
                logger.warning("removed orphaned index file", metadata: ["partition": "\(topicPartition)", "file": "\(name)"])
            }
        }
        let now = clock.nowMilliseconds
        let sortedBases = bases.sorted()
        let recoveryPoint = cleanShutdown ? Offset(.max) : (checkpointedRecoveryPoint ?? .zero)
        var epochs = LeaderEpochCache(
            entries: try LeaderEpochCheckpointFile(
                path: directory.appending(LogFileNames.leaderEpochCheckpoint), fileSystem: fileSystem
            ).read())
        let epochsBefore = epochs

        var segments: [SegmentState] = []
        var recovering = false
        var expectedNext: Offset = sortedBases.first ?? .zero
        for (position, base) in sortedBases.enumerated() {
            let isLast = position == sortedBases.count - 1
            let nextBase = isLast ? nil : sortedBases[position + 1]
            let segment = try LogSegment(directory: directory, baseOffset: base, fileSystem: fileSystem, create: false)
            if !recovering, nextBase.map({ $0 <= recoveryPoint }) ?? (recoveryPoint == Offset(.max)) {
                // Below the recovery point (or clean): trust the data, check the indexes.
                if let state = try openTrusted(segment, writable: isLast, now: now) {
                    segments.append(state)
                    expectedNext = state.nextOffset
                    continue
                }
                report.rebuiltIndexes.append(base)
                logger.warning(
                    "index of segment missing or corrupt; rebuilding",
                    metadata: ["partition": "\(topicPartition)", "segment": "\(base)"])
            } else {
                recovering = true
            }
            // Recover: re-validate the segment and rebuild its indexes.
            var state = try SegmentState.open(
                segment, config: config, offsetEntries: 0, timeEntries: 0, size: 0, nextOffset: base, nowMs: now,
                writable: true)
            let outcome = try recover(&state, expectedStart: max(expectedNext, base), epochs: &epochs)
            report.recoveredSegments.append(base)
            if !isLast { try state.seal() }
            segments.append(state)
            expectedNext = state.nextOffset
            if let truncation = outcome {
                report.truncation = truncation
                logger.warning(
                    "truncated invalid tail of segment",
                    metadata: [
                        "partition": "\(topicPartition)", "segment": "\(base)", "position": "\(truncation.position)",
                        "bytesDropped": "\(truncation.bytesDropped)", "keptUpTo": "\(truncation.keptUpTo)",
                        "reason": "\(truncation.reason)",
                    ])
                // Everything after an invalid batch goes: the log must stay a contiguous prefix.
                for later in sortedBases[(position + 1)...] {
                    let doomed = try LogSegment(directory: directory, baseOffset: later, fileSystem: fileSystem, create: false)
                    let size = try doomed.log.size()
                    try doomed.deleteFiles(fileSystem)
                    report.deletedSegments.append(later)
                    report.deletedBytes += size
                    logger.warning(
                        "deleted segment after the truncation point",
                        metadata: ["partition": "\(topicPartition)", "segment": "\(later)", "bytes": "\(size)"])
                }
                if !isLast {
                    // The truncated segment becomes the active one again.
                    try state.reactivate(config: config)
                    segments[segments.count - 1] = state
                }
                break
            }
        }

        var active: SegmentState
        if let last = segments.popLast() {
            active = last
        } else {
            let start = checkpointedStart ?? .zero
            let segment = try LogSegment(directory: directory, baseOffset: start, fileSystem: fileSystem, create: true)
            active = try SegmentState.open(
                segment, config: config, offsetEntries: 0, timeEntries: 0, size: 0, nextOffset: start, nowMs: now,
                writable: true)
        }
        let logEnd = active.nextOffset
        let firstBase = segments.first?.baseOffset ?? active.baseOffset
        let logStart = min(max(checkpointedStart ?? firstBase, firstBase), logEnd)
        epochs.truncateFromEnd(logEnd)
        epochs.truncateFromStart(logStart)
        if epochs != epochsBefore {
            try LeaderEpochCheckpointFile(
                path: directory.appending(LogFileNames.leaderEpochCheckpoint), fileSystem: fileSystem
            ).write(epochs.entries)
        }
        var newRecoveryPoint: Offset
        if cleanShutdown {
            newRecoveryPoint = logEnd
        } else if !report.recoveredSegments.isEmpty {
            for segment in segments where report.recoveredSegments.contains(segment.baseOffset) { try segment.sync() }
            try active.sync()
            try fileSystem.syncDirectory(directory)
            newRecoveryPoint = logEnd
        } else {
            newRecoveryPoint = min(checkpointedRecoveryPoint ?? logEnd, logEnd)
        }
        newRecoveryPoint = max(newRecoveryPoint, logStart)
        report.logStartOffset = logStart
        report.logEndOffset = logEnd
        let highWatermark = min(max(checkpointedHighWatermark ?? logStart, logStart), logEnd)
        let snapshot = LogSnapshot(
            sealed: segments, active: active, logStartOffset: logStart, highWatermark: highWatermark,
            recoveryPoint: newRecoveryPoint, epochs: epochs)
        let writer = LogWriter(
            topicPartition: topicPartition, directory: directory, fileSystem: fileSystem, clock: clock, logger: logger,
            config: config, state: snapshot, lastFlushMs: now)
        if report.droppedData || !report.rebuiltIndexes.isEmpty || !report.recoveredSegments.isEmpty {
            logger.info(
                "loaded log", metadata: [
                    "partition": "\(topicPartition)", "clean": "\(cleanShutdown)",
                    "recoveredSegments": "\(report.recoveredSegments.count)", "logStartOffset": "\(logStart)",
                    "logEndOffset": "\(logEnd)",
                ])
        }
        return (writer, report)
    }

    /// Opens a segment whose data is trusted. Returns nil if an index is missing or not sane,
    /// or if the tail of the data does not parse (the caller then recovers the segment).
    private func openTrusted(_ segment: LogSegment, writable: Bool, now: Int64) throws(LogError) -> SegmentState? {
        let size = try segment.log.size()
        let offsetBytes = segment.offsetIndexFile.sizeWhenOpened
        let timeBytes = segment.timeIndexFile.sizeWhenOpened
        // A missing index was just created empty: rebuild unless the segment is tiny anyway.
        guard offsetBytes % OffsetIndex.entrySize == 0, timeBytes % TimeIndex.entrySize == 0 else { return nil }
        if (offsetBytes == 0 || timeBytes == 0) && size > Int64(config.indexIntervalBytes) { return nil }
        var state = try SegmentState.open(
            segment, config: config, offsetEntries: offsetBytes / OffsetIndex.entrySize,
            timeEntries: timeBytes / TimeIndex.entrySize, size: size, nextOffset: segment.baseOffset, nowMs: now,
            writable: writable)
        guard state.offsetIndex.isSane(logSize: size) else { return nil }
        do {
            try state.refreshTail()
        } catch {
            return nil
        }
        guard state.timeIndex.isSane(nextOffset: state.nextOffset) else { return nil }
        if let last = state.offsetIndex.lastEntry, last.offset >= state.nextOffset { return nil }
        return state
    }

    /// Re-validates `state`'s log file from the start, rebuilding its indexes. Truncates the file
    /// at the first invalid batch and returns what was cut, or nil if the whole file was valid.
    private func recover(
        _ state: inout SegmentState, expectedStart: Offset, epochs: inout LeaderEpochCache
    ) throws(LogError) -> RecoveryReport.Truncation? {
        let log = state.segment.log
        let fileSize = try log.size()
        state.offsetIndex.reset()
        state.timeIndex.reset()
        state.size = 0
        state.nextOffset = state.baseOffset
        state.maxTimestamp = -1
        state.offsetOfMaxTimestamp = state.baseOffset
        state.bytesSinceLastIndexEntry = 0
        state.firstBatchTimestamp = nil
        var chunk = ByteBufferAllocator().buffer(capacity: min(Self.recoveryChunkSize, Int(max(fileSize, 1))))
        var chunkStart: Int64 = 0
        var position: Int64 = 0
        var expected = expectedStart
        var failure: RecordBatchError?
        while position < fileSize {
            let remaining = fileSize - position
            let chunkEnd = chunkStart + Int64(chunk.writerIndex)
            if position < chunkStart || position + Int64(RecordBatchHeader.logOverhead) > chunkEnd {
                chunk.clear()
                chunkStart = position
                try log.readAppending(to: &chunk, at: position, count: Int(min(Int64(Self.recoveryChunkSize), remaining)))
            }
            let index = Int(position - chunkStart)
            guard remaining >= Int64(RecordBatchHeader.logOverhead),
                let length = chunk.getInteger(at: index + RecordBatchHeader.FieldOffset.batchLength, as: Int32.self)
            else {
                failure = .truncated(needed: RecordBatchHeader.size, available: Int(remaining))
                break
            }
            let total = Int64(length) + Int64(RecordBatchHeader.logOverhead)
            guard length >= RecordBatchHeader.minimumBatchLength else {
                failure = .invalidBatchLength(length)
                break
            }
            guard total <= remaining else {
                failure = .truncated(needed: Int(total), available: Int(remaining))
                break
            }
            if position + total > chunkStart + Int64(chunk.writerIndex) {
                chunk.clear()
                chunkStart = position
                try log.readAppending(
                    to: &chunk, at: position, count: Int(min(max(Int64(Self.recoveryChunkSize), total), remaining)))
            }
            let header: RecordBatchHeader
            do {
                header = try RecordBatchValidator.checkIntegrity(chunk, at: Int(position - chunkStart))
            } catch {
                failure = error
                break
            }
            guard header.baseOffset >= expected, header.lastOffsetDelta >= 0,
                header.lastOffset - state.baseOffset <= Int64(Int32.max)
            else {
                failure = .invalidOffsetRange(lastOffsetDelta: header.lastOffsetDelta)
                break
            }
            state.record(header, at: position, indexIntervalBytes: config.indexIntervalBytes)
            if header.partitionLeaderEpoch.rawValue >= 0, epochs.latestEpoch.map({ header.partitionLeaderEpoch > $0 }) ?? true {
                epochs.assign(epoch: header.partitionLeaderEpoch, startOffset: header.baseOffset)
            }
            expected = header.nextOffset
            position += total
        }
        state.size = position
        state.segment.markVerified(upTo: position)
        guard let failure else { return nil }
        try log.truncate(to: position)
        return RecoveryReport.Truncation(
            segmentBaseOffset: state.baseOffset, position: position, bytesDropped: fileSize - position,
            keptUpTo: state.nextOffset, reason: failure.description)
    }
}
