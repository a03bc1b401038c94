import BrokerCore
import KafkaRecords
import Logging
import NIOCore
import Synchronization
import SystemPackage

/// One partition's log: a directory of segments (Kafka's `UnifiedLog` minus producer state).
///
/// ## Concurrency contract
/// - **One writer.** Operations that change the log (`append`, `appendAsFollower`, `truncate`,
///   `truncateFullyAndStart`, `applyRetention`, `flush`, `updateHighWatermark`, `close`, ...)
///   run one at a time: they take the partition's writer lock, which guards the only mutable
///   state (a `LogWriter` value). The intended caller is the partition's single owner (an actor);
///   the lock makes a second writer safe, not fast. Writer operations do blocking file I/O.
/// - **Concurrent readers.** `read`, `offset(for:)`, `forEachBatch`, and the offset properties
///   never take the writer lock. After every change the writer publishes an immutable
///   snapshot (segment list with sizes and index counts, offsets, epoch cache); a reader takes
///   the latest one and only touches bytes it describes, which were completely written first.
/// - Files of deleted segments stay open while a reader's ``FileSlice`` references them.
///
/// ## Durability
/// Appends reach the page cache, not the disk. Data becomes durable when flushed: on roll (the
/// sealed segment: inline, or by a background job of the `segmentSyncer` given to ``open``, as
/// Kafka's scheduler does, so an append never waits for a whole segment's fsync), after
/// `flush.messages` records, by ``flushIfDue()`` after `flush.ms`, by ``flush()``, and on
/// ``close()`` (both also sync sealed segments still waiting for their background job). The
/// recovery point is the offset below which everything was flushed; after a crash everything
/// above it is re-validated. See docs/storage-format.md.
public final class PartitionLog: Sendable {
    public let topicPartition: TopicPartition
    public let directory: FilePath
    /// What loading found (truncations, rebuilt indexes, ...).
    public let recoveryReport: RecoveryReport
    private let writer: Mutex<LogWriter>
    private let published: Mutex<LogSnapshot>
    private let segmentSyncer: (any SegmentSyncScheduler)?
    private let logger: Logger

    init(
        writer: LogWriter, report: RecoveryReport, segmentSyncer: (any SegmentSyncScheduler)? = nil,
        logger: Logger = Logger(label: "martlet.storage")
    ) {
        var writer = writer
        writer.defersRollSync = segmentSyncer != nil
        self.topicPartition = writer.topicPartition
        self.directory = writer.directory
        self.recoveryReport = report
        self.segmentSyncer = segmentSyncer
        self.logger = logger
        self.published = Mutex(writer.state)
        self.writer = Mutex(writer)
    }

    /// Opens (creating if needed) the log in `directory`, recovering it if `cleanShutdown` is
    /// false. Usually called through ``LogManager``.
    public static func open(
        topicPartition: TopicPartition, directory: FilePath, config: LogConfig, fileSystem: any LogFileSystem,
        clock: any TimeSource, logger: Logger = Logger(label: "martlet.storage"), cleanShutdown: Bool,
        recoveryPoint: Offset? = nil, logStartOffset: Offset? = nil, highWatermark: Offset? = nil,
        segmentSyncer: (any SegmentSyncScheduler)? = nil
    ) throws(LogError) -> PartitionLog {
        let loader = LogLoader(
            topicPartition: topicPartition, directory: directory, config: config, fileSystem: fileSystem, clock: clock,
            logger: logger)
        let (writer, report) = try loader.load(
            cleanShutdown: cleanShutdown, recoveryPoint: recoveryPoint, logStartOffset: logStartOffset,
            highWatermark: highWatermark)
        return PartitionLog(writer: writer, report: report, segmentSyncer: segmentSyncer, logger: logger)
    }

    // MARK: Writer side

    /// Runs a writer operation under the writer lock and publishes the resulting state (also
    /// when it fails part-way, so readers see whatever was completed).
    /// Segments sealed by a roll meanwhile get their fsync scheduled, after the lock is released.
    private func mutate<T>(_ body: (inout LogWriter) throws(LogError) -> T) throws(LogError) -> T {
        var syncs: [LogWriter.PendingSegmentSync] = []
        defer { if !syncs.isEmpty { scheduleSyncs(syncs) } }
        return try writer.withLock { (writer) throws(LogError) -> T in
            defer {
                published.withLock { $0 = writer.state }
                if segmentSyncer != nil { syncs = writer.takeUnscheduledSegmentSyncs() }
            }
            return try body(&writer)
        }
    }

    /// Hands sealed segments to the background syncer; each job reports back so the recovery
    /// point can move. A failed sync leaves its entry pending: the next ``flush()`` (or
    /// ``close()``) retries it inline and reports the error.
    private func scheduleSyncs(_ syncs: [LogWriter.PendingSegmentSync]) {
        guard let segmentSyncer else { return }
        for pending in syncs {
            segmentSyncer.schedule { [self] in
                do {
                    try pending.segment.sync()
                } catch {
                    logger.error(
                        "background fsync of a rolled segment failed; the next flush retries it",
                        metadata: ["partition": "\(topicPartition)", "error": "\(error)"])
                    return
                }
                writer.withLock { writer in
                    writer.segmentSynced(pending.id)
                    let state = writer.state
                    published.withLock { $0 = state }
                }
            }
        }
    }

    /// Appends a producer's record batches as the leader (see `appendAsLeader` rules): validates
    /// everything first (`corruptMessage`, `invalidRecord`, `messageTooLarge`,
    /// `recordListTooLarge`), assigns offsets from the log end offset, stamps `leaderEpoch` and
    /// (for `LogAppendTime` topics) the append time, then writes the bytes as they are.
    @discardableResult
    public func append(records: ByteBuffer, leaderEpoch: LeaderEpoch) throws(LogError) -> AppendInfo {
        try mutate { (writer) throws(LogError) in try writer.appendAsLeader(records, leaderEpoch: leaderEpoch) }
    }

    /// Appends batches fetched from the leader, keeping their offsets and epochs. Throws
    /// `unexpectedAppendOffset` if they start below the log end offset or go backwards, and
    /// `corruptMessage` if any fails framing or CRC (nothing is written then).
    @discardableResult
    public func appendAsFollower(records: ByteBuffer) throws(LogError) -> AppendInfo {
        try mutate { (writer) throws(LogError) in try writer.appendAsFollower(records) }
    }

    /// Removes all batches at or after `offset` (a batch straddling it goes entirely). Returns
    /// whether anything was removed.
    @discardableResult
    public func truncate(to offset: Offset) throws(LogError) -> Bool {
        try mutate { (writer) throws(LogError) in try writer.truncate(to: offset) }
    }

    /// Replaces the log with an empty one whose start and end offset are `offset`.
    public func truncateFullyAndStart(at offset: Offset) throws(LogError) {
        try mutate { (writer) throws(LogError) in try writer.truncateFullyAndStart(at: offset) }
    }

    /// Deletes segments past `retention.ms` / `retention.bytes` or below the log start offset
    /// (only below the high watermark). The caller runs this periodically.
    @discardableResult
    public func applyRetention() throws(LogError) -> RetentionResult {
        try mutate { (writer) throws(LogError) in try writer.applyRetention() }
    }

    /// Raises the log start offset (DeleteRecords); capped at the high watermark. Segments below
    /// it are deleted by the next ``applyRetention()``.
    public func advanceLogStartOffset(to offset: Offset) throws(LogError) {
        try mutate { (writer) throws(LogError) in
            try writer.ensureOpen()
            try writer.setLogStartOffset(min(offset, writer.state.highWatermark))
        }
    }

    /// Sets the high watermark (clamped to [logStartOffset, logEndOffset]); returns the value set.
    /// Storage only records it (for reads' `upperBound` and the replication checkpoint).
    @discardableResult
    public func updateHighWatermark(_ offset: Offset) -> Offset {
        (try? mutate { (writer) throws(LogError) -> Offset in
            let state = writer.state
            writer.state.highWatermark = min(max(offset, state.logStartOffset), state.logEndOffset)
            return writer.state.highWatermark
        }) ?? offset
    }

    /// fsyncs everything appended so far and moves the recovery point to the log end offset.
    public func flush() throws(LogError) {
        try mutate { (writer) throws(LogError) in
            try writer.ensureOpen()
            try writer.flush()
        }
    }

    /// Flushes if `flush.ms` has passed since the last flush and there is unflushed data.
    @discardableResult
    public func flushIfDue() throws(LogError) -> Bool {
        try mutate { (writer) throws(LogError) in
            try writer.ensureOpen()
            return try writer.flushIfDue()
        }
    }

    /// Replaces the configuration (topic config change). Applies to later appends, rolls,
    /// retention and flushes.
    public func updateConfig(_ config: LogConfig) {
        writer.withLock { $0.config = config }
    }

    public var config: LogConfig { writer.withLock { $0.config } }

    /// Clean close: seals the active segment (final time-index entry, indexes trimmed) and
    /// fsyncs it. Later operations throw `closed`.
    public func close() throws(LogError) {
        try mutate { (writer) throws(LogError) in try writer.close() }
    }

    /// Marks the log closed without flushing (used after its files were deleted).
    func markClosed() {
        writer.withLock { writer in
            writer.state.isClosed = true
            let state = writer.state
            published.withLock { $0 = state }
        }
    }

    // MARK: Reader side

    /// The latest published state (internal: tests inspect segments through it).
    var snapshot: LogSnapshot { published.withLock { $0 } }

    /// Reads whole batches starting with the one that contains `offset`.
    ///
    /// - Parameters:
    ///   - offset: the fetch offset; must be in [logStartOffset, logEndOffset] or this throws
    ///     `offsetOutOfRange`. At the log end the result is empty.
    ///   - maxBytes: bound on the total size of the returned batches; batches are never split.
    ///   - upperBound: only batches that end below it are returned (high watermark for
    ///     consumers, log end offset for followers).
    ///   - minOneBatch: return the first batch even if it is larger than `maxBytes`.
    /// - Returns: at most one segment's worth of contiguous batches as a ``FileSlice``. Batches
    ///   are CRC-checked the first time they are served from a file this process did not write
    ///   or recover; a damaged batch is never served (`corruptLog` if it would be the first).
    public func read(from offset: Offset, maxBytes: Int, upperBound: Offset? = nil, minOneBatch: Bool = true)
        throws(LogError) -> LogReadResult
    {
        let snapshot = self.snapshot
        return try LogReader.read(
            snapshot, from: offset, maxBytes: maxBytes, upperBound: upperBound ?? snapshot.logEndOffset,
            minOneBatch: minOneBatch)
    }

    /// ListOffsets: earliest, latest, max timestamp, or the first offset with timestamp ≥ t.
    /// Nil when no record qualifies (Kafka answers offset -1).
    public func offset(for lookup: OffsetLookup) throws(LogError) -> TimestampAndOffset? {
        try LogReader.offset(snapshot, for: lookup)
    }

    /// Shorthand for `offset(for: .timestamp(timestamp))`.
    public func offset(forTimestamp timestamp: Int64) throws(LogError) -> TimestampAndOffset? {
        try LogReader.offset(snapshot, for: .timestamp(timestamp))
    }

    /// Calls `body` with every batch header from the batch containing `offset` to the log end
    /// (producer id/epoch/sequence for rebuilding producer state), until it returns false.
    public func forEachBatch(from offset: Offset, _ body: (RecordBatchHeader) throws -> Bool) throws {
        try LogReader.forEachBatch(snapshot, from: offset, body)
    }

    /// OffsetForLeaderEpoch: the largest epoch ≤ `epoch` and the offset where it ended.
    public func endOffset(forEpoch epoch: LeaderEpoch) -> (epoch: LeaderEpoch, endOffset: Offset) {
        let snapshot = self.snapshot
        return snapshot.epochs.endOffset(forEpoch: epoch, logEndOffset: snapshot.logEndOffset)
    }

    /// The offset index's answer for `offset` without touching the log file: the segment that
    /// would hold it and the byte position from which a scan for it starts. For diagnostics and
    /// benchmarks; reads use it internally.
    public func indexLookup(_ offset: Offset) -> (segmentBaseOffset: Offset, position: Int64) {
        let snapshot = self.snapshot
        let segment = snapshot.segment(at: snapshot.segmentIndex(containing: offset))
        return (segment.baseOffset, segment.offsetIndex.lookup(offset))
    }

    /// The time index's answer for `timestamp` without touching the log file: the offset from
    /// which a scan for the first record with a timestamp ≥ `timestamp` starts (nil if no
    /// segment has such a timestamp).
    public func timeIndexLookup(_ timestamp: Int64) -> Offset? {
        let snapshot = self.snapshot
        for index in 0..<snapshot.segmentCount {
            let segment = snapshot.segment(at: index)
            if segment.maxTimestamp >= timestamp { return segment.timeIndex.lookup(timestamp) }
        }
        return nil
    }

    public var logStartOffset: Offset { snapshot.logStartOffset }
    public var logEndOffset: Offset { snapshot.logEndOffset }
    public var highWatermark: Offset { snapshot.highWatermark }
    /// Everything below it has been fsynced.
    public var recoveryPoint: Offset { snapshot.recoveryPoint }
    public var latestEpoch: LeaderEpoch? { snapshot.epochs.latestEpoch }
    public var epochEntries: [EpochEntry] { snapshot.epochs.entries }
    public var sizeInBytes: Int64 { snapshot.sizeInBytes }
    public var segmentCount: Int { snapshot.segmentCount }
    /// Base offsets of the segments, oldest first.
    public var segmentBaseOffsets: [Offset] {
        let snapshot = self.snapshot
        return snapshot.sealed.map(\.baseOffset) + [snapshot.active.baseOffset]
    }
    public var isClosed: Bool { snapshot.isClosed }
}
