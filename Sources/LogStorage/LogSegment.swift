import BrokerCore
import Synchronization
import SystemPackage

/// The files of one segment: `<base>.log`, `<base>.index`, `<base>.timeindex`.
///
/// Immutable identity shared by the writer and by readers' snapshots; the changing facts (size,
/// index entry counts, next offset) live in the value ``SegmentState``. Files stay open while
/// anything references this object (a reader's slice included), even after deletion.
final class LogSegment: Sendable {
    let baseOffset: Offset
    let log: any LogFile
    let offsetIndexFile: any IndexFile
    let timeIndexFile: any IndexFile
    let logPath: FilePath
    let offsetIndexPath: FilePath
    let timeIndexPath: FilePath
    /// Bytes [0, verifiedEnd) of the `.log` passed a CRC check in this process (appended after
    /// validation, recovered, or verified by a first read). Reads CRC-check anything beyond.
    let verifiedEnd: Atomic<Int64>

    init(directory: FilePath, baseOffset: Offset, fileSystem: any LogFileSystem, create: Bool) throws(LogError) {
        self.baseOffset = baseOffset
        logPath = LogFileNames.segmentFile(in: directory, base: baseOffset, suffix: LogFileNames.logSuffix)
        offsetIndexPath = LogFileNames.segmentFile(in: directory, base: baseOffset, suffix: LogFileNames.indexSuffix)
        timeIndexPath = LogFileNames.segmentFile(in: directory, base: baseOffset, suffix: LogFileNames.timeIndexSuffix)
        log = try fileSystem.openFile(logPath, create: create)
        offsetIndexFile = try fileSystem.openIndex(offsetIndexPath)
        timeIndexFile = try fileSystem.openIndex(timeIndexPath)
        verifiedEnd = Atomic(0)
    }

    /// Raises `verifiedEnd` to `position` (never lowers it).
    func markVerified(upTo position: Int64) {
        var current = verifiedEnd.load(ordering: .acquiring)
        while current < position {
            let (exchanged, original) = verifiedEnd.compareExchange(
                expected: current, desired: position, ordering: .acquiringAndReleasing)
            if exchanged { return }
            current = original
        }
    }

    /// After a truncation the verified range may not extend past the new end.
    func resetVerified(to position: Int64) {
        verifiedEnd.store(position, ordering: .releasing)
    }

    func deleteFiles(_ fileSystem: any LogFileSystem) throws(LogError) {
        try fileSystem.remove(logPath)
        try fileSystem.remove(offsetIndexPath)
        try fileSystem.remove(timeIndexPath)
    }
}

/// The state of one segment as the writer maintains it and readers see it in a snapshot.
///
/// Invariants: `size` bytes of the `.log` are whole, CRC-valid batches with increasing offsets in
/// [baseOffset, nextOffset); index entries cover only those bytes.
struct SegmentState: Sendable {
    let segment: LogSegment
    var size: Int64
    /// The offset after the segment's last batch (`baseOffset` when empty).
    var nextOffset: Offset
    var offsetIndex: OffsetIndex
    var timeIndex: TimeIndex
    /// Largest batch `maxTimestamp` in the segment (-1 if none) and the last offset of the first
    /// batch that reached it.
    var maxTimestamp: Int64
    var offsetOfMaxTimestamp: Offset
    /// Log bytes appended since the last offset-index entry.
    var bytesSinceLastIndexEntry: Int
    /// `maxTimestamp` of the first batch (Kafka's `rollingBasedTimestamp`), for `segment.ms`.
    var firstBatchTimestamp: Int64?
    /// When the segment was created or loaded (wall-clock ms), the `segment.ms` fallback.
    var createdAtMs: Int64

    var baseOffset: Offset { segment.baseOffset }
    var isEmpty: Bool { size == 0 }

    /// Maps the segment's index files with `offsetEntries`/`timeEntries` valid entries each (0
    /// for new segments). A `writable` (active) segment gets the configured capacity, which
    /// preallocates the files; a sealed one maps just its valid entries.
    static func open(
        _ segment: LogSegment, config: LogConfig, offsetEntries: Int, timeEntries: Int, size: Int64, nextOffset: Offset,
        nowMs: Int64, writable: Bool
    ) throws(LogError) -> SegmentState {
        let offsetCapacity = writable ? max(config.offsetIndexEntries, offsetEntries + 1) : offsetEntries
        let timeCapacity = writable ? max(config.timeIndexEntries, timeEntries + 1) : timeEntries
        let offsetMemory = try segment.offsetIndexFile.map(capacity: offsetCapacity * OffsetIndex.entrySize)
        let timeMemory = try segment.timeIndexFile.map(capacity: timeCapacity * TimeIndex.entrySize)
        return SegmentState(
            segment: segment, size: size, nextOffset: nextOffset,
            offsetIndex: OffsetIndex(
                file: segment.offsetIndexFile, baseOffset: segment.baseOffset, memory: offsetMemory,
                capacity: offsetCapacity, count: offsetEntries),
            timeIndex: TimeIndex(
                file: segment.timeIndexFile, baseOffset: segment.baseOffset, memory: timeMemory, capacity: timeCapacity,
                count: timeEntries),
            maxTimestamp: -1, offsetOfMaxTimestamp: segment.baseOffset, bytesSinceLastIndexEntry: 0,
            firstBatchTimestamp: nil, createdAtMs: nowMs)
    }

    /// Seals the segment: records the final time-index entry and trims both index files to
    /// their valid entries (Kafka's `onBecomeInactiveSegment`).
    mutating func seal() throws(LogError) {
        timeIndex.maybeAppend(timestamp: maxTimestamp, offset: offsetOfMaxTimestamp)
        try segment.offsetIndexFile.trim(to: offsetIndex.validBytes)
        try segment.timeIndexFile.trim(to: timeIndex.validBytes)
    }

    /// Makes a sealed (trimmed) segment writable again, e.g. after truncation made it the last.
    mutating func reactivate(config: LogConfig) throws(LogError) {
        try offsetIndex.grow(toEntries: max(config.offsetIndexEntries, offsetIndex.count + 1))
        try timeIndex.grow(toEntries: max(config.timeIndexEntries, timeIndex.count + 1))
        // Regrow the files themselves to the mapped size (mappings are reused when big enough).
        _ = try segment.offsetIndexFile.map(capacity: offsetIndex.capacity * OffsetIndex.entrySize)
        _ = try segment.timeIndexFile.map(capacity: timeIndex.capacity * TimeIndex.entrySize)
    }

    /// fsyncs the log and both indexes.
    func sync() throws(LogError) {
        try segment.log.sync()
        try segment.offsetIndexFile.sync()
        try segment.timeIndexFile.sync()
    }
}
