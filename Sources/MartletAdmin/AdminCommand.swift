/// A `martlet topics ...` / `martlet groups ...` command, parsed and validated; the executable
/// maps its arguments to one of these and prints the ``AdminCommandOutput``.
public enum AdminCommand: Sendable, Hashable {
    case listTopics(excludeInternal: Bool)
    /// `topic` nil = every topic.
    case describeTopics(topic: String?, excludeInternal: Bool)
    case createTopic(NewTopic)
    case deleteTopic(String)
    case listGroups
    case describeGroup(String, sections: GroupDescribeSections)
    case deleteGroups([String])

    /// Builds the create command from CLI values, checking them as kafka-topics does
    /// (partitions ≥ 1, replication factor in 1...32767, `key=value` configs).
    public static func createTopic(
        name: String, partitions: Int, replicationFactor: Int, configs: [String]
    ) throws(AdminError) -> AdminCommand {
        guard partitions >= 1, partitions <= Int(Int32.max) else {
            throw .invalidArgument("The partitions must be greater than 0")
        }
        guard replicationFactor >= 1, replicationFactor <= Int(Int16.max) else {
            throw .invalidArgument("The replication factor must be between 1 and \(Int16.max) inclusive")
        }
        var pairs: [ConfigPair] = []
        for config in configs { pairs.append(try ConfigPair.parse(config)) }
        return .createTopic(
            NewTopic(name: name, partitions: Int32(partitions), replicationFactor: Int16(replicationFactor), configs: pairs))
    }
}

/// Which tables `groups describe` prints: Kafka's `--offsets` (the default there) and `--state`.
/// Martlet prints both when neither flag is given.
public struct GroupDescribeSections: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let offsets = GroupDescribeSections(rawValue: 1)
    public static let state = GroupDescribeSections(rawValue: 2)
    public static let all: GroupDescribeSections = [.offsets, .state]
}

/// What a command printed and its exit status (0 = success, 1 = failure).
public struct AdminCommandOutput: Sendable, Hashable {
    public var stdout: String
    public var stderr: String
    public var exitCode: Int32

    public init(stdout: String = "", stderr: String = "", exitCode: Int32 = 0) {
        self.stdout = stdout
        self.stderr = stderr
        self.exitCode = exitCode
    }
}
