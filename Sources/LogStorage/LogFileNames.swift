import BrokerCore
import SystemPackage

/// File names of Kafka's on-disk layout (`LogFileUtils`).
public enum LogFileNames {
    public static let logSuffix = "log"
    public static let indexSuffix = "index"
    public static let timeIndexSuffix = "timeindex"
    public static let recoveryPointCheckpoint = "recovery-point-offset-checkpoint"
    public static let replicationCheckpoint = "replication-offset-checkpoint"
    public static let logStartOffsetCheckpoint = "log-start-offset-checkpoint"
    public static let cleanShutdownMarker = ".kafka_cleanshutdown"
    public static let leaderEpochCheckpoint = "leader-epoch-checkpoint"
    /// Suffix of a partition directory scheduled for deletion.
    public static let deleteDirectorySuffix = "-delete"
    /// Suffixes of leftovers that loading removes (temporary and half-deleted files).
    static let leftoverSuffixes = [".tmp", ".deleted", ".cleaned", ".swap"]

    /// `%020d` of the base offset: `00000000000000000042`.
    public static func prefix(_ offset: Offset) -> String {
        let digits = String(offset.rawValue)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }

    public static func segmentFile(in directory: FilePath, base: Offset, suffix: String) -> FilePath {
        directory.appending("\(prefix(base)).\(suffix)")
    }

    /// The base offset of a segment file name like `00000000000000000042.log`, if it is one.
    public static func baseOffset(ofFileNamed name: String, suffix: String) -> Offset? {
        let ending = "." + suffix
        guard name.hasSuffix(ending) else { return nil }
        let stem = name.dropLast(ending.count)
        guard stem.count == 20, stem.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int64(stem) else { return nil }
        return Offset(value)
    }

    /// The partition directory name, `topic-partition`.
    public static func partitionDirectoryName(_ partition: TopicPartition) -> String { partition.description }

    /// Parses `topic-partition` (the partition is after the last dash).
    public static func topicPartition(fromDirectoryName name: String) -> TopicPartition? {
        guard let dash = name.lastIndex(of: "-") else { return nil }
        let topic = String(name[..<dash])
        guard !topic.isEmpty, let partition = Int32(name[name.index(after: dash)...]), partition >= 0 else { return nil }
        return TopicPartition(topic, partition)
    }
}

/// Path splitting on the string form. (swift-system's component parsing is avoided on hot paths:
/// its debug-build invariant checks trapped intermittently under parallel tests here.)
enum PathText {
    static func parent(of path: FilePath) -> FilePath {
        let text = path.string
        guard let slash = text.lastIndex(of: "/") else { return FilePath(".") }
        return slash == text.startIndex ? FilePath("/") : FilePath(String(text[..<slash]))
    }
}
