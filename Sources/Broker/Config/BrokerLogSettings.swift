import LogStorage

/// Broker-level defaults for partitions, read from Kafka's `log.*` and replication keys in
/// ``BrokerConfig/rawProperties`` (topic-level overrides come from `/config/topics/T` later).
public struct BrokerLogSettings: Sendable {
    public var logConfig: LogConfig
    public var minInSyncReplicas: Int
    public var uncleanLeaderElectionEnable: Bool
    public var replicaLagTimeMaxMs: Int64

    public init(_ config: BrokerConfig) throws(ConfigError) {
        var reader = PropertyReader(config.rawProperties.map { ($0.key, $0.value) })
        var log = LogConfig.default
        log.segmentBytes = Int(try reader.int64("log.segment.bytes", default: Int64(log.segmentBytes), range: 14...Int64(Int32.max)))
        let rollHours = try reader.int64("log.roll.hours", default: 168, range: 1...Int64(Int32.max))
        log.segmentMs = try reader.int64("log.roll.ms", default: rollHours * 3_600_000, range: 1...Int64.max)
        let retentionHours = try reader.int64("log.retention.hours", default: 168, range: -1...Int64(Int32.max))
        let retentionMinutes = try reader.int64(
            "log.retention.minutes", default: retentionHours < 0 ? -1 : retentionHours * 60, range: -1...Int64(Int32.max))
        log.retentionMs = try reader.int64(
            "log.retention.ms", default: retentionMinutes < 0 ? -1 : retentionMinutes * 60_000, range: -1...Int64.max)
        log.retentionBytes = try reader.int64("log.retention.bytes", default: -1, range: -1...Int64.max)
        log.maxMessageBytes = Int(try reader.int64("message.max.bytes", default: Int64(log.maxMessageBytes), range: 0...Int64(Int32.max)))
        log.indexIntervalBytes = Int(try reader.int64("log.index.interval.bytes", default: Int64(log.indexIntervalBytes), range: 0...Int64(Int32.max)))
        log.segmentIndexBytes = Int(try reader.int64("log.index.size.max.bytes", default: Int64(log.segmentIndexBytes), range: 4...Int64(Int32.max)))
        log.flushIntervalMessages = try reader.int64("log.flush.interval.messages", default: log.flushIntervalMessages, range: 1...Int64.max)
        log.flushIntervalMs = try reader.int64("log.flush.interval.ms", default: log.flushIntervalMs, range: 0...Int64.max)
        switch try reader.string("log.message.timestamp.type", default: "CreateTime") {
        case "CreateTime": log.messageTimestampType = .createTime
        case "LogAppendTime": log.messageTimestampType = .logAppendTime
        case let other:
            throw ConfigError(key: "log.message.timestamp.type", value: other, reason: "expected CreateTime or LogAppendTime")
        }
        logConfig = log
        minInSyncReplicas = Int(try reader.int64("min.insync.replicas", default: 1, range: 1...Int64(Int32.max)))
        uncleanLeaderElectionEnable = try reader.bool("unclean.leader.election.enable", default: false)
        replicaLagTimeMaxMs = try reader.int64("replica.lag.time.max.ms", default: 30_000, range: 1...Int64.max)
    }
}
