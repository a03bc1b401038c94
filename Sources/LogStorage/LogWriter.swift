import BrokerCore
import KafkaRecords
import Logging
import NIOCore
import SystemPackage

/// The mutable state of one partition log and every operation that changes it.
///
/// Owned by exactly one ``PartitionLog`` and only touched inside its writer lock, so all
/// changes are serialized (one writer per partition). After each change the owner publishes
/// `state` as the readers' snapshot. Not thread-safe by itself.
struct LogWriter: Sendable {
    let topicPartition: TopicPartition
    let directory: FilePath
    let fileSystem: any LogFileSystem
    let clock: any TimeSource
    let logger: Logger
    var config: LogConfig
    var state: LogSnapshot
    /// Records appended since the last flush, and when the last flush happened.
    var unflushedMessages: Int64 = 0
    var lastFlushMs: Int64
    /// Whether a roll leaves the sealed segment's fsync to a background job (the owner schedules
    /// what ``takeUnscheduledSegmentSyncs()`` hands over) instead of syncing it inline.
    var defersRollSync = false
    /// Sealed segments whose fsync is owed, oldest first. The recovery point moves past each
    /// once it and every earlier one are synced (``segmentSynced(_:)``), or at the next
    /// ``flush()``, which syncs them inline.
    var pendingSegmentSyncs: [PendingSegmentSync] = []
    var nextSegmentSyncID: UInt64 = 0

    /// A sealed segment waiting for its fsync.
    struct PendingSegmentSync: Sendable {
        let id: UInt64
        let segment: SegmentState
        /// Everything below this offset is durable once this and every earlier entry are synced.
        let durableBelow: Offset
        var scheduled = false
        var synced = false
    }

    var epochCheckpoint: LeaderEpochCheckpointFile {
        LeaderEpochCheckpointFile(path: directory.appending(LogFileNames.leaderEpochCheckpoint), fileSystem: fileSystem)
    }

    func ensureOpen() throws(LogError) {
        if state.isClosed { throw .closed }
    }

    // MARK: Segments

    /// Creates a new empty segment at `base`, replacing leftover files of that name.
    func createSegment(base: Offset) throws(LogError) -> SegmentState {
        let segment = try LogSegment(directory: directory, baseOffset: base, fileSystem: fileSystem, create: true)
        try segment.log.truncate(to: 0)
        return try SegmentState.open(
            segment, config: config, offsetEntries: 0, timeEntries: 0, size: 0, nextOffset: base,
            nowMs: clock.nowMilliseconds, writable: true)
    }

    /// Seals the active segment and starts a new one at `newBase` (the log end offset, or a
    /// follower's first offset when it jumps ahead). The sealed segment is fsynced inline, which
    /// moves the recovery point to `newBase`, or, with ``defersRollSync``, by a background job
    /// (the recovery point then moves when that job reports back).
    mutating func roll(newBase: Offset) throws(LogError) {
        var old = state.active
        if old.isEmpty {
            // Nothing to seal: replace the empty segment (its name may be wrong for `newBase`).
            guard newBase != old.baseOffset else { return }
            try old.segment.deleteFiles(fileSystem)
            state.active = try createSegment(base: newBase)
            return
        }
        try old.seal()
        if !defersRollSync { try old.sync() }
        state.sealed.append(old)
        state.active = try createSegment(base: newBase)
        if defersRollSync {
            pendingSegmentSyncs.append(PendingSegmentSync(id: nextSegmentSyncID, segment: old, durableBelow: old.nextOffset))
            nextSegmentSyncID += 1
        } else {
            state.recoveryPoint = max(state.recoveryPoint, old.nextOffset)
        }
        unflushedMessages = 0
        lastFlushMs = clock.nowMilliseconds
        logger.info(
            "rolled segment", metadata: ["partition": "\(topicPartition)", "newBase": "\(newBase)", "sealedSize": "\(old.size)"])
    }

    /// Kafka's `LogSegment.shouldRoll` for an append of `size` bytes.
    func shouldRoll(size: Int, firstOffset: Offset, lastOffset: Offset, maxTimestamp: Int64) -> Bool {
        let active = state.active
        if active.isEmpty { return firstOffset != active.baseOffset && lastOffset - active.baseOffset > Int64(Int32.max) }
        if active.size + Int64(size) > Int64(config.segmentBytes) { return true }
        if active.offsetIndex.isFull || active.timeIndex.isFull { return true }
        if lastOffset - active.baseOffset > Int64(Int32.max) { return true }
        let waited: Int64
        if let first = active.firstBatchTimestamp, first >= 0 {
            waited = maxTimestamp - first
        } else {
            waited = clock.nowMilliseconds - active.createdAtMs
        }
        return waited > config.segmentMs
    }

    // MARK: Writing

    /// Writes already-validated batches (with final offsets) to the active segment and updates
    /// its indexes, as one `pwrite`. On an I/O error the segment is cut back to its previous
    /// size, so a torn write never stays visible.
    mutating func write(_ buffer: ByteBuffer, batches: [RecordBatchView]) throws(LogError) {
        var active = state.active
        let start = active.size
        let log = active.segment.log
        var failure: LogError?
        buffer.withUnsafeReadableBytes { bytes in
            do throws(LogError) { try log.write(bytes, at: start) } catch { failure = error }
        }
        if let failure {
            do { try log.truncate(to: start) } catch {
                state.isClosed = true
                logger.error("cannot undo a failed write; log closed", metadata: ["partition": "\(topicPartition)", "error": "\(error)"])
            }
            throw failure
        }
        for batch in batches {
            let position = start + Int64(batch.index - buffer.readerIndex)
            active.record(batch.header, at: position, indexIntervalBytes: config.indexIntervalBytes)
        }
        active.size = start + Int64(buffer.readableBytes)
        active.segment.markVerified(upTo: active.size)
        state.active = active
    }

    /// Applies the flush policy after `records` more records were appended.
    mutating func afterAppend(records: Int) throws(LogError) {
        unflushedMessages += Int64(records)
        if unflushedMessages >= config.flushIntervalMessages { try flush() }
    }

    /// fsyncs the sealed segments still owed a sync and the active segment; everything appended
    /// so far is then durable.
    mutating func flush() throws(LogError) {
        for pending in pendingSegmentSyncs where !pending.synced { try pending.segment.sync() }
        pendingSegmentSyncs.removeAll()
        try state.active.sync()
        state.recoveryPoint = state.logEndOffset
        unflushedMessages = 0
        lastFlushMs = clock.nowMilliseconds
    }

    /// Flushes if unflushed data is older than `flush.ms`. Returns whether it flushed.
    mutating func flushIfDue() throws(LogError) -> Bool {
        guard state.recoveryPoint < state.logEndOffset, config.flushIntervalMs != .max,
            clock.nowMilliseconds - lastFlushMs >= config.flushIntervalMs
        else { return false }
        try flush()
        return true
    }

    // MARK: Deferred segment syncs

    /// The pending syncs not yet handed to the scheduler, marked as handed over.
    mutating func takeUnscheduledSegmentSyncs() -> [PendingSegmentSync] {
        var taken: [PendingSegmentSync] = []
        for index in pendingSegmentSyncs.indices where !pendingSegmentSyncs[index].scheduled {
            pendingSegmentSyncs[index].scheduled = true
            taken.append(pendingSegmentSyncs[index])
        }
        return taken
    }

    /// A background sync of pending entry `id` succeeded: the recovery point moves past every
    /// synced entry at the head of the list. Unknown ids (already flushed, or dropped by a
    /// truncation) are ignored.
    mutating func segmentSynced(_ id: UInt64) {
        guard let index = pendingSegmentSyncs.firstIndex(where: { $0.id == id }) else { return }
        pendingSegmentSyncs[index].synced = true
        while let first = pendingSegmentSyncs.first, first.synced {
            state.recoveryPoint = max(state.recoveryPoint, min(first.durableBelow, state.logEndOffset))
            pendingSegmentSyncs.removeFirst()
        }
    }

    /// Forgets pending syncs of segments a truncation to `end` changed or removed.
    mutating func dropSegmentSyncs(above end: Offset) {
        pendingSegmentSyncs.removeAll { $0.durableBelow > end }
    }

    // MARK: Epochs

    /// Assigns `epoch` from `startOffset` if it is newer than the latest, persisting the cache.
    mutating func assignEpoch(_ epoch: LeaderEpoch, startOffset: Offset) throws(LogError) {
        guard epoch.rawValue >= 0, state.epochs.latestEpoch.map({ epoch > $0 }) ?? true else { return }
        if state.epochs.assign(epoch: epoch, startOffset: startOffset) { try epochCheckpoint.write(state.epochs.entries) }
    }

    mutating func persistEpochs(after change: (inout LeaderEpochCache) -> Void) throws(LogError) {
        let before = state.epochs
        change(&state.epochs)
        if state.epochs != before { try epochCheckpoint.write(state.epochs.entries) }
    }

    // MARK: Closing

    /// Clean close: seal (final time-index entry, trimmed indexes) and flush the active segment.
    mutating func close() throws(LogError) {
        guard !state.isClosed else { return }
        try state.active.seal()
        try flush()
        state.isClosed = true
    }
}

extension SegmentState {
    /// Accounts for one batch written at `position`: max timestamp, first timestamp, and an index
    /// entry if `indexIntervalBytes` passed since the last one (Kafka's `LogSegment.append`).
    mutating func record(_ header: RecordBatchHeader, at position: Int64, indexIntervalBytes: Int) {
        if position == 0 { firstBatchTimestamp = header.maxTimestamp }
        if header.maxTimestamp > maxTimestamp {
            maxTimestamp = header.maxTimestamp
            offsetOfMaxTimestamp = header.lastOffset
        }
        if bytesSinceLastIndexEntry > indexIntervalBytes {
            if !offsetIndex.isFull { offsetIndex.append(offset: header.lastOffset, position: position) }
            timeIndex.maybeAppend(timestamp: maxTimestamp, offset: offsetOfMaxTimestamp)
            bytesSinceLastIndexEntry = 0
        }
        bytesSinceLastIndexEntry += header.totalSize
        nextOffset = header.nextOffset
    }
}
