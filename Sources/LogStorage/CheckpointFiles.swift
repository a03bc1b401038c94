import BrokerCore
import SystemPackage

/// Kafka's per-log-dir offset checkpoint files (`recovery-point-offset-checkpoint`,
/// `replication-offset-checkpoint`, `log-start-offset-checkpoint`):
///
/// ```
/// 0                      version
/// 2                      number of entries
/// my-topic 0 1234        topic partition offset
/// other 3 42
/// ```
/// Written crash-atomically (temp file, fsync, rename, directory fsync). Thread-safe (stateless).
public struct OffsetCheckpointFile: Sendable {
    public let path: FilePath
    let fileSystem: any LogFileSystem

    public init(path: FilePath, fileSystem: any LogFileSystem) {
        self.path = path
        self.fileSystem = fileSystem
    }

    public func write(_ offsets: [TopicPartition: Offset]) throws(LogError) {
        var text = "0\n\(offsets.count)\n"
        for (partition, offset) in offsets.sorted(by: { $0.key < $1.key }) {
            text += "\(partition.topic) \(partition.partition) \(offset.rawValue)\n"
        }
        try fileSystem.writeFileAtomically(path, contents: Array(text.utf8))
    }

    /// The entries; empty if the file does not exist. Throws `invalidLayout` if malformed.
    public func read() throws(LogError) -> [TopicPartition: Offset] {
        guard let bytes = try fileSystem.readWholeFile(path) else { return [:] }
        let lines = try CheckpointText.lines(bytes, path: path)
        var result: [TopicPartition: Offset] = [:]
        for line in lines {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count == 3, let partition = Int32(fields[1]), let offset = Int64(fields[2]) else {
                throw .invalidLayout("malformed line '\(line)' in \(path)")
            }
            result[TopicPartition(String(fields[0]), partition)] = Offset(offset)
        }
        return result
    }
}

/// A partition's `leader-epoch-checkpoint`: version 0, count, then `epoch startOffset` lines.
public struct LeaderEpochCheckpointFile: Sendable {
    public let path: FilePath
    let fileSystem: any LogFileSystem

    public init(path: FilePath, fileSystem: any LogFileSystem) {
        self.path = path
        self.fileSystem = fileSystem
    }

    public func write(_ entries: [EpochEntry]) throws(LogError) {
        var text = "0\n\(entries.count)\n"
        for entry in entries { text += "\(entry.epoch.rawValue) \(entry.startOffset.rawValue)\n" }
        try fileSystem.writeFileAtomically(path, contents: Array(text.utf8))
    }

    public func read() throws(LogError) -> [EpochEntry] {
        guard let bytes = try fileSystem.readWholeFile(path) else { return [] }
        return try CheckpointText.lines(bytes, path: path).map { (line) throws(LogError) in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count == 2, let epoch = Int32(fields[0]), let offset = Int64(fields[1]) else {
                throw .invalidLayout("malformed line '\(line)' in \(path)")
            }
            return EpochEntry(epoch: LeaderEpoch(epoch), startOffset: Offset(offset))
        }
    }
}

enum CheckpointText {
    /// Checks the version (0) and count header; returns the entry lines.
    static func lines(_ bytes: [UInt8], path: FilePath) throws(LogError) -> [Substring] {
        let text = String(decoding: bytes, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        guard lines.count >= 2, lines[0] == "0", let count = Int(lines[1]), count >= 0, lines.count - 2 == count else {
            throw .invalidLayout("malformed checkpoint header in \(path)")
        }
        return Array(lines.dropFirst(2))
    }
}
