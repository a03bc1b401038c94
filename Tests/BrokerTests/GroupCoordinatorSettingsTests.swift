import BrokerAPI
import Testing

@testable import Broker

@Suite struct GroupCoordinatorSettingsTests {
    private func settings(_ extra: [String: String] = [:]) throws(ConfigError) -> GroupCoordinatorSettings {
        var pairs: [(key: String, value: String)] = [("broker.id", "0")]
        pairs += extra.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return try GroupCoordinatorSettings(BrokerConfig(properties: pairs))
    }

    @Test func kafkaDefaults() throws {
        let defaults = try settings()
        #expect(defaults.offsetsTopic == OffsetsTopicSettings(partitionCount: 50, replicationFactor: 3, segmentBytes: 104_857_600))
        let coordinator = defaults.coordinator
        #expect(coordinator.offsetsTopicPartitionCount == 50)
        #expect(coordinator.offsetsRetentionMs == 10_080 * 60_000)
        #expect(coordinator.offsetsRetentionCheckIntervalMs == 600_000)
        #expect(coordinator.offsetCommitTimeoutMs == 5000)
        #expect(coordinator.offsetMetadataMaxBytes == 4096)
        #expect(coordinator.groupMinSessionTimeoutMs == 6000)
        #expect(coordinator.groupMaxSessionTimeoutMs == 1_800_000)
        #expect(coordinator.groupInitialRebalanceDelayMs == 3000)
        #expect(coordinator.groupMaxSize == Int(Int32.max))
    }

    @Test func readsKafkaKeys() throws {
        let read = try settings([
            "offsets.topic.num.partitions": "8", "offsets.topic.replication.factor": "1",
            "offsets.topic.segment.bytes": "1048576", "offsets.retention.minutes": "2",
            "offsets.retention.check.interval.ms": "1000", "offsets.commit.timeout.ms": "700",
            "offset.metadata.max.bytes": "16", "group.min.session.timeout.ms": "100",
            "group.max.session.timeout.ms": "20000", "group.initial.rebalance.delay.ms": "0", "group.max.size": "4",
        ])
        #expect(read.offsetsTopic == OffsetsTopicSettings(partitionCount: 8, replicationFactor: 1, segmentBytes: 1_048_576))
        #expect(read.coordinator.offsetsTopicPartitionCount == 8)
        #expect(read.coordinator.offsetsRetentionMs == 120_000)
        #expect(read.coordinator.offsetsRetentionCheckIntervalMs == 1000)
        #expect(read.coordinator.offsetCommitTimeoutMs == 700)
        #expect(read.coordinator.offsetMetadataMaxBytes == 16)
        #expect(read.coordinator.groupMinSessionTimeoutMs == 100)
        #expect(read.coordinator.groupMaxSessionTimeoutMs == 20000)
        #expect(read.coordinator.groupInitialRebalanceDelayMs == 0)
        #expect(read.coordinator.groupMaxSize == 4)
    }

    @Test(arguments: [
        ("offsets.topic.num.partitions", "0"), ("offsets.topic.num.partitions", "many"),
        ("offsets.topic.replication.factor", "0"), ("offsets.topic.replication.factor", "40000"),
        ("offsets.topic.segment.bytes", "0"), ("offsets.retention.minutes", "0"),
        ("offsets.retention.check.interval.ms", "0"), ("offsets.commit.timeout.ms", "0"), ("group.max.size", "0"),
        ("group.min.session.timeout.ms", "6s"), ("offset.metadata.max.bytes", "4k"),
    ])
    func invalidValuesAreRejectedNamingTheKey(key: String, value: String) {
        let error = #expect(throws: ConfigError.self) { try settings([key: value]) }
        #expect(error?.key == key)
    }

    @Test func groupKeysAreNotReportedAsUnknown() throws {
        let keys = [
            "offsets.topic.num.partitions", "offsets.topic.replication.factor", "offsets.topic.segment.bytes",
            "offsets.retention.minutes", "offsets.retention.check.interval.ms", "offsets.commit.timeout.ms",
            "offset.metadata.max.bytes", "group.min.session.timeout.ms", "group.max.session.timeout.ms",
            "group.initial.rebalance.delay.ms", "group.max.size",
        ]
        let config = try BrokerConfig(properties: [("broker.id", "0")] + keys.map { ($0, "1") })
        #expect(config.unknownKeys.isEmpty)
    }
}
