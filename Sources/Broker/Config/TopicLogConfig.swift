import BrokerAPI
import LogStorage

/// A topic's effective settings: its overrides from `/config/topics/T` over the broker defaults
/// (Kafka's `LogConfig.fromProps(brokerDefaults, topicOverrides)`). Invalid override values (which
/// the admin APIs refuse to write) are ignored, keeping the default.
///
/// `cleanup.policy` without `delete` (i.e. `compact`, which only `__consumer_offsets` gets: the
/// admin APIs still refuse it for user topics) turns off time and size retention, as in Kafka,
/// where such a topic's segments are only ever compacted. Martlet does not compact yet, so such a
/// log keeps every record (never losing committed offsets) and grows.
enum TopicLogConfig {
    static func settings(overrides: [String: String], defaults: BrokerLogSettings) -> TopicSettings {
        var log = defaults.logConfig
        func long(_ key: String) -> Int64? { overrides[key].flatMap { Int64($0) } }
        if let v = long("retention.ms") { log.retentionMs = v }
        if let v = long("retention.bytes") { log.retentionBytes = v }
        if let v = long("segment.bytes"), v >= 14 { log.segmentBytes = Int(v) }
        if let v = long("segment.ms"), v >= 1 { log.segmentMs = v }
        if let v = long("max.message.bytes"), v >= 0 { log.maxMessageBytes = Int(v) }
        if let v = long("index.interval.bytes"), v >= 0 { log.indexIntervalBytes = Int(v) }
        if let v = long("segment.index.bytes"), v >= 4 { log.segmentIndexBytes = Int(v) }
        if let v = long("flush.messages"), v >= 1 { log.flushIntervalMessages = v }
        if let v = long("flush.ms"), v >= 0 { log.flushIntervalMs = v }
        switch overrides["message.timestamp.type"] {
        case "CreateTime": log.messageTimestampType = .createTime
        case "LogAppendTime": log.messageTimestampType = .logAppendTime
        default: break
        }
        if let policy = overrides["cleanup.policy"] {
            let policies = policy.split(separator: ",").map { $0.trimmingWhitespace().lowercased() }
            if policies.contains("compact") && !policies.contains("delete") {
                log.retentionMs = -1
                log.retentionBytes = -1
            }
        }
        let minIsr = long("min.insync.replicas").map { Int($0) }.flatMap { $0 >= 1 ? $0 : nil }
        return TopicSettings(minInSyncReplicas: minIsr ?? defaults.minInSyncReplicas, logConfig: log)
    }
}
