import BrokerCore

/// Topic-level configuration names Kafka 3.9 knows (`TopicConfig`), and what Martlet accepts.
///
/// Validation as Kafka's `LogConfig.validate`: unknown names and unparsable values are
/// INVALID_CONFIG. `cleanup.policy=compact` is rejected clearly until compaction exists, except
/// on `__consumer_offsets`, which is created compacted (Martlet keeps all of its records instead).
public enum TopicConfigs {
    public enum Kind: Sendable { case long, int, boolean, string, double, list }

    public static let known: [String: Kind] = [
        "cleanup.policy": .list, "compression.type": .string, "delete.retention.ms": .long,
        "file.delete.delay.ms": .long, "flush.messages": .long, "flush.ms": .long,
        "follower.replication.throttled.replicas": .list, "index.interval.bytes": .int,
        "leader.replication.throttled.replicas": .list, "local.retention.bytes": .long,
        "local.retention.ms": .long, "max.compaction.lag.ms": .long, "max.message.bytes": .int,
        "message.downconversion.enable": .boolean, "message.format.version": .string,
        "message.timestamp.after.max.ms": .long, "message.timestamp.before.max.ms": .long,
        "message.timestamp.difference.max.ms": .long, "message.timestamp.type": .string,
        "min.cleanable.dirty.ratio": .double, "min.compaction.lag.ms": .long, "min.insync.replicas": .int,
        "preallocate": .boolean, "remote.storage.enable": .boolean, "retention.bytes": .long,
        "retention.ms": .long, "segment.bytes": .int, "segment.index.bytes": .int, "segment.jitter.ms": .long,
        "segment.ms": .long, "unclean.leader.election.enable": .boolean,
    ]

    /// The reason `name=value` is invalid for `topic`, or nil.
    public static func validationError(name: String, value: String?, topic: String? = nil) -> String? {
        guard let kind = known[name] else { return "Unknown topic config name: \(name)" }
        guard let value else { return nil }
        let ok: Bool =
            switch kind {
            case .long: Int64(value) != nil
            case .int: Int32(value) != nil
            case .boolean: value.lowercased() == "true" || value.lowercased() == "false"
            case .double: Double(value) != nil
            case .string, .list: true
            }
        guard ok else { return "Invalid value \(value) for configuration \(name)" }
        switch name {
        case "cleanup.policy":
            let policies = value.split(separator: ",").map { $0.trimmingCharacters() }
            if policies.contains("compact"), topic != TopicName.consumerOffsets {
                return "Invalid value \(value) for configuration cleanup.policy: compaction is not supported by Martlet yet"
            }
            if !policies.allSatisfy({ $0 == "delete" || $0 == "compact" }) {
                return "Invalid value \(value) for configuration cleanup.policy: String must be one of: compact, delete"
            }
        case "message.timestamp.type":
            if value != "CreateTime" && value != "LogAppendTime" {
                return "Invalid value \(value) for configuration message.timestamp.type: String must be one of: CreateTime, LogAppendTime"
            }
        case "min.insync.replicas":
            if (Int32(value) ?? 0) < 1 { return "Invalid value \(value) for configuration min.insync.replicas: Value must be at least 1" }
        case "segment.bytes":
            if (Int32(value) ?? 0) < 14 { return "Invalid value \(value) for configuration segment.bytes: Value must be at least 14" }
        default: break
        }
        return nil
    }
}

extension Substring {
    fileprivate func trimmingCharacters() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
