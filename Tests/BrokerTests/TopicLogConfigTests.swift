import BrokerAPI
import LogStorage
import Testing

@testable import Broker

@Suite struct TopicLogConfigTests {
    private func defaults(_ extra: [String: String] = [:]) throws -> BrokerLogSettings {
        var pairs: [(key: String, value: String)] = [("broker.id", "0")]
        pairs += extra.map { ($0.key, $0.value) }
        return try BrokerLogSettings(BrokerConfig(properties: pairs))
    }

    @Test func overridesWinOverBrokerDefaults() throws {
        let base = try defaults(["log.retention.hours": "1", "min.insync.replicas": "2", "message.max.bytes": "5000"])
        #expect(base.logConfig.retentionMs == 3_600_000)
        let settings = TopicLogConfig.settings(
            overrides: [
                "retention.ms": "1000", "max.message.bytes": "100", "segment.bytes": "2048",
                "message.timestamp.type": "LogAppendTime", "min.insync.replicas": "3",
            ], defaults: base)
        #expect(settings.logConfig?.retentionMs == 1000)
        #expect(settings.logConfig?.maxMessageBytes == 100)
        #expect(settings.logConfig?.segmentBytes == 2048)
        #expect(settings.logConfig?.messageTimestampType == .logAppendTime)
        #expect(settings.minInSyncReplicas == 3)
    }

    @Test func noOverridesMeansBrokerDefaultsAndBadValuesAreIgnored() throws {
        let base = try defaults(["message.max.bytes": "5000", "min.insync.replicas": "2"])
        let plain = TopicLogConfig.settings(overrides: [:], defaults: base)
        #expect(plain.logConfig?.maxMessageBytes == 5000)
        #expect(plain.minInSyncReplicas == 2)
        let bad = TopicLogConfig.settings(overrides: ["max.message.bytes": "lots", "min.insync.replicas": "0"], defaults: base)
        #expect(bad.logConfig?.maxMessageBytes == 5000)
        #expect(bad.minInSyncReplicas == 2)
    }

    @Test func compactedTopicsKeepEveryRecord() throws {
        let base = try defaults(["log.retention.hours": "1", "log.retention.bytes": "1000"])
        let compacted = TopicLogConfig.settings(
            overrides: ["cleanup.policy": "compact", "segment.bytes": "104857600", "compression.type": "producer"],
            defaults: base)
        #expect(compacted.logConfig?.retentionMs == -1)
        #expect(compacted.logConfig?.retentionBytes == -1)
        #expect(compacted.logConfig?.segmentBytes == 104_857_600)
        // With delete as well, retention applies as configured.
        let both = TopicLogConfig.settings(overrides: ["cleanup.policy": "compact,delete", "retention.ms": "5"], defaults: base)
        #expect(both.logConfig?.retentionMs == 5)
        #expect(both.logConfig?.retentionBytes == 1000)
    }

    @Test func brokerLogKeysAreValidated() {
        #expect(throws: ConfigError.self) { try defaults(["log.segment.bytes": "10"]) }
        #expect(throws: ConfigError.self) { try defaults(["log.message.timestamp.type": "Sometime"]) }
    }
}
