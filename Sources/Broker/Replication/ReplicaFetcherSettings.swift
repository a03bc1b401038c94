import BrokerAPI
import BrokerCore
import ReplicaFetcher

/// The replica fetchers' settings from Kafka's broker keys in ``BrokerConfig/rawProperties``
/// (`replica.fetch.wait.max.ms`, `replica.fetch.min.bytes`, `replica.fetch.max.bytes`,
/// `replica.fetch.response.max.bytes`, `replica.fetch.backoff.ms`, `replica.socket.timeout.ms`;
/// Kafka's defaults), and how a leader's endpoint is found.
enum ReplicaFetcherSettings {
    static let keys: Set<String> = [
        "replica.fetch.wait.max.ms", "replica.fetch.min.bytes", "replica.fetch.max.bytes",
        "replica.fetch.response.max.bytes", "replica.fetch.backoff.ms", "replica.socket.timeout.ms",
        "num.replica.fetchers",
    ]

    static func config(_ broker: BrokerConfig) throws(ConfigError) -> ReplicaFetcherConfig {
        var reader = PropertyReader(broker.rawProperties.map { ($0.key, $0.value) })
        var config = ReplicaFetcherConfig(localBrokerID: broker.brokerID)
        config.fetchWaitMaxMs = try reader.int32("replica.fetch.wait.max.ms", default: config.fetchWaitMaxMs, range: 0...Int32.max)
        config.fetchMinBytes = try reader.int32("replica.fetch.min.bytes", default: config.fetchMinBytes, range: 0...Int32.max)
        config.fetchMaxBytes = try reader.int32("replica.fetch.max.bytes", default: config.fetchMaxBytes, range: 0...Int32.max)
        config.fetchResponseMaxBytes = try reader.int32(
            "replica.fetch.response.max.bytes", default: config.fetchResponseMaxBytes, range: 0...Int32.max)
        config.fetchBackoffMs = try reader.int64("replica.fetch.backoff.ms", default: config.fetchBackoffMs, range: 0...Int64(Int32.max))
        config.socketTimeoutMs = try reader.int64("replica.socket.timeout.ms", default: config.socketTimeoutMs, range: 1...Int64(Int32.max))
        return config
    }

    /// A broker's endpoint on the inter-broker listener, from the metadata cache (Kafka's
    /// `metadataCache.getAliveBrokerNode(leaderId, interBrokerListenerName)`).
    static func endpointResolver(cache: MetadataCache, listenerName: String) -> @Sendable (BrokerID) -> BrokerEndpoint? {
        { broker in
            guard let endpoint = cache.snapshot.brokers[broker]?.endpoints[listenerName] else { return nil }
            return BrokerEndpoint(host: endpoint.host, port: endpoint.port)
        }
    }
}
