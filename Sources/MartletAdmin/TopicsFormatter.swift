import BrokerCore
import KafkaProtocol

/// Text output of `martlet topics`, shaped like Kafka 3.9's `kafka-topics.sh`. Pure functions.
public enum TopicsFormatter {
    /// `--list`: one name per line.
    public static func list(_ names: [String]) -> String {
        names.map { $0 + "\n" }.joined()
    }

    /// `--describe` of one topic: the summary line, then one tab-indented line per partition:
    /// ```
    /// Topic: t\tTopicId: ...\tPartitionCount: 2\tReplicationFactor: 3\tConfigs: retention.ms=1000
    /// \tTopic: t\tPartition: 0\tLeader: 1\tReplicas: 1,2,0\tIsr: 1,2,0\tElr: N/A\tLastKnownElr: N/A
    /// ```
    /// The topic id is left out when it is the zero UUID; a leaderless partition prints `Leader: none`.
    /// `configs` are the entries not at their default (Kafka's `!isDefault`).
    public static func describe(_ topic: TopicDescription, configs: [ConfigEntry]) -> String {
        var out = "Topic: \(topic.name)"
        if topic.topicID != .zero { out += "\tTopicId: \(topic.topicID)" }
        out += "\tPartitionCount: \(topic.partitions.count)"
        out += "\tReplicationFactor: \(topic.replicationFactor)"
        out += "\tConfigs: " + configs.map { "\($0.name)=\($0.isSensitive ? "" : ($0.value ?? ""))" }.joined(separator: ",")
        out += "\n"
        for p in topic.partitions {
            out += "\tTopic: \(topic.name)\tPartition: \(p.partition)"
            out += "\tLeader: " + (p.leader == .none ? "none" : "\(p.leader)")
            out += "\tReplicas: " + p.replicas.map(\.description).joined(separator: ",")
            out += "\tIsr: " + p.isr.map(\.description).joined(separator: ",")
            out += "\tElr: N/A\tLastKnownElr: N/A"
            if !p.offlineReplicas.isEmpty { out += "\tOffline: " + p.offlineReplicas.map(\.description).joined(separator: ",") }
            out += "\n"
        }
        return out
    }

    /// Entries Kafka prints in `Configs:`: those not at their default (source DEFAULT_CONFIG = 5).
    public static func nonDefault(_ entries: [ConfigEntry]) -> [ConfigEntry] {
        entries.filter { $0.source != 5 }
    }

    /// `--create` success line.
    public static func created(_ name: String) -> String { "Created topic \(name).\n" }

    /// Kafka's prefix for a failed topic command (printed on stderr).
    public static func error(_ error: any Error) -> String {
        "Error while executing topic command : \(error)\n"
    }
}
