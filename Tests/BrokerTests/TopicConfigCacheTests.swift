import BrokerAPI
import Logging
import LogStorage
import Testing

@testable import Broker

@Suite struct TopicConfigCacheTests {
    private func cache() throws -> TopicConfigCache {
        let settings = try BrokerLogSettings(
            BrokerConfig(properties: [("broker.id", "0"), ("log.retention.hours", "1"), ("log.retention.bytes", "1000")]))
        return TopicConfigCache(zk: nil, defaults: settings, logger: Logger(label: "test"))
    }

    @Test func unreadableOverridesLeaveOrdinaryTopicsOnTheBrokerDefaults() async throws {
        let cache = try cache()
        #expect(cache.cached("orders").logConfig == nil)
        #expect(await cache.load(["orders"])["orders"]?.logConfig == nil)
    }

    @Test func consumerOffsetsNeverFallsBackToTimeOrSizeRetention() async throws {
        let cache = try cache()
        let cached = try #require(cache.cached("__consumer_offsets").logConfig)
        #expect(cached.retentionMs == -1)
        #expect(cached.retentionBytes == -1)
        let loaded = try #require(await cache.load(["__consumer_offsets"])["__consumer_offsets"]?.logConfig)
        #expect(loaded.retentionMs == -1)
        #expect(loaded.retentionBytes == -1)
    }
}
