/// The effective value of every topic config for a topic, as Kafka's ZooKeeper-mode
/// `ConfigHelper.describeConfigs` lists it: a topic override (TOPIC_CONFIG), else the broker's
/// `server.properties` synonym (STATIC_BROKER_CONFIG, e.g. `log.retention.hours` for
/// `retention.ms`), else Kafka 3.9's default (DEFAULT_CONFIG).
///
/// A value type, built once from the broker's properties; safe to share.
public struct TopicConfigDefaults: Sendable {
    /// A broker property that sets a topic config, and how its value converts (e.g. hours → ms).
    struct BrokerSynonym: Sendable {
        var name: String
        var multiplier: Int64 = 1
    }

    struct Entry: Sendable {
        var kafkaDefault: String
        var synonyms: [BrokerSynonym]
    }

    /// Kafka 3.9's `LogConfig` defaults and broker synonyms (`LogConfig.TopicConfigSynonyms`).
    static let table: [String: Entry] = [
        "cleanup.policy": Entry(kafkaDefault: "delete", synonyms: [.init(name: "log.cleanup.policy")]),
        "compression.type": Entry(kafkaDefault: "producer", synonyms: [.init(name: "compression.type")]),
        "delete.retention.ms": Entry(kafkaDefault: "86400000", synonyms: [.init(name: "log.cleaner.delete.retention.ms")]),
        "file.delete.delay.ms": Entry(kafkaDefault: "60000", synonyms: [.init(name: "log.segment.delete.delay.ms")]),
        "flush.messages": Entry(kafkaDefault: "\(Int64.max)", synonyms: [.init(name: "log.flush.interval.messages")]),
        "flush.ms": Entry(kafkaDefault: "\(Int64.max)", synonyms: [.init(name: "log.flush.interval.ms")]),
        "follower.replication.throttled.replicas": Entry(kafkaDefault: "", synonyms: []),
        "index.interval.bytes": Entry(kafkaDefault: "4096", synonyms: [.init(name: "log.index.interval.bytes")]),
        "leader.replication.throttled.replicas": Entry(kafkaDefault: "", synonyms: []),
        "local.retention.bytes": Entry(kafkaDefault: "-2", synonyms: [.init(name: "log.local.retention.bytes")]),
        "local.retention.ms": Entry(kafkaDefault: "-2", synonyms: [.init(name: "log.local.retention.ms")]),
        "max.compaction.lag.ms": Entry(
            kafkaDefault: "\(Int64.max)", synonyms: [.init(name: "log.cleaner.max.compaction.lag.ms")]),
        "max.message.bytes": Entry(kafkaDefault: "1048588", synonyms: [.init(name: "message.max.bytes")]),
        "message.downconversion.enable": Entry(
            kafkaDefault: "true", synonyms: [.init(name: "log.message.downconversion.enable")]),
        "message.format.version": Entry(kafkaDefault: "3.0-IV1", synonyms: [.init(name: "log.message.format.version")]),
        "message.timestamp.after.max.ms": Entry(
            kafkaDefault: "\(Int64.max)", synonyms: [.init(name: "log.message.timestamp.after.max.ms")]),
        "message.timestamp.before.max.ms": Entry(
            kafkaDefault: "\(Int64.max)", synonyms: [.init(name: "log.message.timestamp.before.max.ms")]),
        "message.timestamp.difference.max.ms": Entry(
            kafkaDefault: "\(Int64.max)", synonyms: [.init(name: "log.message.timestamp.difference.max.ms")]),
        "message.timestamp.type": Entry(kafkaDefault: "CreateTime", synonyms: [.init(name: "log.message.timestamp.type")]),
        "min.cleanable.dirty.ratio": Entry(kafkaDefault: "0.5", synonyms: [.init(name: "log.cleaner.min.cleanable.ratio")]),
        "min.compaction.lag.ms": Entry(kafkaDefault: "0", synonyms: [.init(name: "log.cleaner.min.compaction.lag.ms")]),
        "min.insync.replicas": Entry(kafkaDefault: "1", synonyms: [.init(name: "min.insync.replicas")]),
        "preallocate": Entry(kafkaDefault: "false", synonyms: [.init(name: "log.preallocate")]),
        "remote.storage.enable": Entry(kafkaDefault: "false", synonyms: []),
        "retention.bytes": Entry(kafkaDefault: "-1", synonyms: [.init(name: "log.retention.bytes")]),
        "retention.ms": Entry(
            kafkaDefault: "604800000",
            synonyms: [
                .init(name: "log.retention.ms"), .init(name: "log.retention.minutes", multiplier: 60_000),
                .init(name: "log.retention.hours", multiplier: 3_600_000),
            ]),
        "segment.bytes": Entry(kafkaDefault: "1073741824", synonyms: [.init(name: "log.segment.bytes")]),
        "segment.index.bytes": Entry(kafkaDefault: "10485760", synonyms: [.init(name: "log.index.size.max.bytes")]),
        "segment.jitter.ms": Entry(
            kafkaDefault: "0",
            synonyms: [.init(name: "log.roll.jitter.ms"), .init(name: "log.roll.jitter.hours", multiplier: 3_600_000)]),
        "segment.ms": Entry(
            kafkaDefault: "604800000",
            synonyms: [.init(name: "log.roll.ms"), .init(name: "log.roll.hours", multiplier: 3_600_000)]),
        "unclean.leader.election.enable": Entry(
            kafkaDefault: "false", synonyms: [.init(name: "unclean.leader.election.enable")]),
    ]

    /// Every topic config without overrides, by name.
    public let defaults: [String: DescribedConfig]

    /// - Parameter brokerProperties: the broker's `server.properties` (only keys set there count
    ///   as STATIC_BROKER_CONFIG).
    public init(brokerProperties: [String: String]) {
        var defaults: [String: DescribedConfig] = [:]
        for (name, entry) in Self.table {
            var synonyms: [DescribedConfig.Synonym] = []
            var effective: (value: String, source: ConfigSource)?
            for synonym in entry.synonyms {
                guard let raw = brokerProperties[synonym.name] else { continue }
                synonyms.append(.init(name: synonym.name, value: raw, source: .staticBrokerConfig))
                if effective == nil {
                    let value =
                        synonym.multiplier == 1
                        ? raw
                        : Int64(raw.trimmingSpaces()).map { $0 < 0 ? "\($0)" : "\($0.multipliedReportingOverflow(by: synonym.multiplier).partialValue)" }
                            ?? raw
                    effective = (value, .staticBrokerConfig)
                }
            }
            if let first = entry.synonyms.first {
                synonyms.append(.init(name: first.name, value: entry.kafkaDefault, source: .defaultConfig))
            }
            defaults[name] = DescribedConfig(
                name: name, value: effective?.value ?? entry.kafkaDefault, source: effective?.source ?? .defaultConfig,
                type: TopicConfigs.known[name].map(ConfigType.init) ?? .string, synonyms: synonyms)
        }
        self.defaults = defaults
    }

    /// Every topic config of a topic with `overrides`, sorted by name. Unknown override names
    /// (written by other tools) are listed as TOPIC_CONFIG strings.
    public func describe(overrides: [String: String]) -> [DescribedConfig] {
        var all = defaults
        for (name, value) in overrides {
            var config = all[name] ?? DescribedConfig(name: name, value: value, source: .topicConfig, type: .string)
            config.synonyms.insert(.init(name: name, value: value, source: .topicConfig), at: 0)
            config.value = value
            config.source = .topicConfig
            all[name] = config
        }
        return all.keys.sorted().compactMap { all[$0] }
    }

    /// The effective value of every topic config with `overrides` applied, by name.
    public func effectiveValues(overrides: [String: String]) -> [String: String] {
        var values = defaults.compactMapValues(\.value)
        for (name, value) in overrides { values[name] = value }
        return values
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
