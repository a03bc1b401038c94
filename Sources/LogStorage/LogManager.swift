import BrokerCore
import Logging
import Synchronization
import SystemPackage

/// All partition logs of a broker across its `log.dirs` (Kafka's `LogManager`).
///
/// - **Loading.** `init` loads every `topic-partition` directory of every log dir. A log dir
///   without the clean-shutdown marker is recovered (see ``RecoveryReport``) from the recovery
///   points in its `recovery-point-offset-checkpoint`; log start offsets and high watermarks come
///   from `log-start-offset-checkpoint` and `replication-offset-checkpoint`. The marker is then
///   removed (it is written again by a clean ``shutdown()``). Directories ending in `-delete` are
///   removed.
/// - **Placement.** A new partition goes to the log dir holding the fewest partitions (the first
///   such dir on ties), like Kafka.
/// - **Checkpoints.** ``checkpoint()`` writes the recovery points, log start offsets and high
///   watermarks of each dir; the broker runs it periodically (Kafka: every 60 s / 5 s).
///
/// - **Rolls.** With a `segmentSyncer` (the broker passes a ``BackgroundSegmentSyncer``), the
///   fsync of a segment sealed by a roll runs there instead of in the append (see ``PartitionLog``).
///
/// Thread-safe: the partition map is guarded by one lock; each ``PartitionLog`` has its own
/// writer lock and lock-free readers.
public final class LogManager: Sendable {
    public let directories: [FilePath]
    public let defaultConfig: LogConfig
    let fileSystem: any LogFileSystem
    let clock: any TimeSource
    let logger: Logger

    private struct Entry: Sendable {
        var log: PartitionLog
        var directoryIndex: Int
    }

    private let logs: Mutex<[TopicPartition: Entry]>
    /// Runs the fsync of segments sealed by rolls off the appending threads (nil: inline).
    let segmentSyncer: (any SegmentSyncScheduler)?

    /// Loads all logs in `dirs` (creating the dirs if missing).
    ///
    /// - Parameter topicConfigs: per-topic effective configs for the logs being loaded (topics
    ///   not listed use `config`).
    public init(
        dirs: [FilePath], config: LogConfig = .default, topicConfigs: [String: LogConfig] = [:],
        fileSystem: any LogFileSystem = PosixFileSystem(), clock: any TimeSource = SystemTimeSource(),
        logger: Logger = Logger(label: "martlet.storage"), segmentSyncer: (any SegmentSyncScheduler)? = nil
    ) throws(LogError) {
        guard !dirs.isEmpty else { throw .invalidLayout("no log directories") }
        self.segmentSyncer = segmentSyncer
        self.directories = dirs
        self.defaultConfig = config
        self.fileSystem = fileSystem
        self.clock = clock
        self.logger = logger
        var loaded: [TopicPartition: Entry] = [:]
        for (index, dir) in dirs.enumerated() {
            try fileSystem.createDirectory(dir)
            let marker = dir.appending(LogFileNames.cleanShutdownMarker)
            let clean = fileSystem.exists(marker)
            let recoveryPoints = try OffsetCheckpointFile(
                path: dir.appending(LogFileNames.recoveryPointCheckpoint), fileSystem: fileSystem
            ).read()
            let startOffsets = try OffsetCheckpointFile(
                path: dir.appending(LogFileNames.logStartOffsetCheckpoint), fileSystem: fileSystem
            ).read()
            let highWatermarks = try OffsetCheckpointFile(
                path: dir.appending(LogFileNames.replicationCheckpoint), fileSystem: fileSystem
            ).read()
            if !clean { logger.warning("log dir was not shut down cleanly; recovering", metadata: ["dir": "\(dir)"]) }
            for name in try fileSystem.contentsOfDirectory(dir).sorted() {
                let path = dir.appending(name)
                guard fileSystem.isDirectory(path) else { continue }
                if name.hasSuffix(LogFileNames.deleteDirectorySuffix) {
                    try fileSystem.remove(path)
                    continue
                }
                guard let partition = LogFileNames.topicPartition(fromDirectoryName: name) else { continue }
                if let existing = loaded[partition] {
                    throw .invalidLayout(
                        "\(partition) is in both \(dirs[existing.directoryIndex]) and \(dir)")
                }
                let log = try PartitionLog.open(
                    topicPartition: partition, directory: path, config: topicConfigs[partition.topic] ?? config,
                    fileSystem: fileSystem, clock: clock, logger: logger, cleanShutdown: clean,
                    recoveryPoint: recoveryPoints[partition], logStartOffset: startOffsets[partition],
                    highWatermark: highWatermarks[partition], segmentSyncer: segmentSyncer)
                loaded[partition] = Entry(log: log, directoryIndex: index)
            }
            if clean { try fileSystem.remove(marker) }
        }
        self.logs = Mutex(loaded)
        try checkpoint()
    }

    /// The log of `partition`, if this broker has it.
    public func log(for partition: TopicPartition) -> PartitionLog? {
        logs.withLock { $0[partition]?.log }
    }

    /// All logs.
    public var allLogs: [TopicPartition: PartitionLog] {
        logs.withLock { $0.mapValues(\.log) }
    }

    /// The log dir holding `partition`.
    public func directory(of partition: TopicPartition) -> FilePath? {
        logs.withLock { entries in entries[partition].map { directories[$0.directoryIndex] } }
    }

    /// Returns the existing log of `partition`, or creates an empty one (in the log dir with the
    /// fewest partitions) with `config` (default: the manager's config).
    public func getOrCreateLog(_ partition: TopicPartition, config: LogConfig? = nil) throws(LogError) -> PartitionLog {
        try logs.withLock { (entries) throws(LogError) -> PartitionLog in
            if let existing = entries[partition] { return existing.log }
            var counts = [Int](repeating: 0, count: directories.count)
            for entry in entries.values { counts[entry.directoryIndex] += 1 }
            let index = counts.indices.min(by: { counts[$0] < counts[$1] }) ?? 0
            let path = directories[index].appending(LogFileNames.partitionDirectoryName(partition))
            let log = try PartitionLog.open(
                topicPartition: partition, directory: path, config: config ?? defaultConfig, fileSystem: fileSystem,
                clock: clock, logger: logger, cleanShutdown: true, segmentSyncer: segmentSyncer)
            try fileSystem.syncDirectory(directories[index])
            entries[partition] = Entry(log: log, directoryIndex: index)
            logger.info("created log", metadata: ["partition": "\(partition)", "dir": "\(directories[index])"])
            return log
        }
    }

    /// Deletes the log of `partition` and its directory (StopReplica with delete). The directory
    /// is first renamed to `<name>.<n>-delete` so a crash mid-way cannot resurrect it. Reads in
    /// flight keep their open files.
    public func deleteLog(_ partition: TopicPartition) throws(LogError) {
        try logs.withLock { (entries) throws(LogError) in
            guard let entry = entries.removeValue(forKey: partition) else { return }
            entry.log.markClosed()
            let dir = directories[entry.directoryIndex]
            let doomed = dir.appending(
                "\(LogFileNames.partitionDirectoryName(partition)).\(clock.nowMilliseconds)\(LogFileNames.deleteDirectorySuffix)")
            try fileSystem.rename(entry.log.directory, to: doomed)
            try fileSystem.syncDirectory(dir)
            try fileSystem.remove(doomed)
            logger.info("deleted log", metadata: ["partition": "\(partition)"])
        }
    }

    /// Writes each log dir's recovery-point, log-start-offset and replication (high watermark)
    /// checkpoint files.
    public func checkpoint() throws(LogError) {
        let snapshot = logs.withLock { $0 }
        for (index, dir) in directories.enumerated() {
            var recoveryPoints: [TopicPartition: Offset] = [:]
            var startOffsets: [TopicPartition: Offset] = [:]
            var highWatermarks: [TopicPartition: Offset] = [:]
            for (partition, entry) in snapshot where entry.directoryIndex == index {
                recoveryPoints[partition] = entry.log.recoveryPoint
                startOffsets[partition] = entry.log.logStartOffset
                highWatermarks[partition] = entry.log.highWatermark
            }
            try OffsetCheckpointFile(path: dir.appending(LogFileNames.recoveryPointCheckpoint), fileSystem: fileSystem)
                .write(recoveryPoints)
            try OffsetCheckpointFile(path: dir.appending(LogFileNames.logStartOffsetCheckpoint), fileSystem: fileSystem)
                .write(startOffsets)
            try OffsetCheckpointFile(path: dir.appending(LogFileNames.replicationCheckpoint), fileSystem: fileSystem)
                .write(highWatermarks)
        }
    }

    /// Runs retention on every log; returns what was deleted per partition (only non-empty).
    @discardableResult
    public func applyRetention() throws(LogError) -> [TopicPartition: RetentionResult] {
        var results: [TopicPartition: RetentionResult] = [:]
        for (partition, log) in allLogs {
            let result = try log.applyRetention()
            if result.deletedSegments > 0 { results[partition] = result }
        }
        return results
    }

    /// Flushes logs whose `flush.ms` has passed.
    public func flushDirtyLogs() throws(LogError) {
        for log in allLogs.values { try log.flushIfDue() }
    }

    /// Clean shutdown: closes (flushes) every log, writes the checkpoints, then the clean-shutdown
    /// marker in each log dir, so the next start skips recovery.
    public func shutdown() throws(LogError) {
        for log in allLogs.values { try log.close() }
        try checkpoint()
        for dir in directories {
            try fileSystem.writeFileAtomically(dir.appending(LogFileNames.cleanShutdownMarker), contents: [])
        }
    }
}
