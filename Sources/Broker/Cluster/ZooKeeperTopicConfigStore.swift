import BrokerAPI
import Controller

/// Topic config overrides in ZooKeeper (`/config/topics/T`), changed with a
/// `/config/changes/config_change_` notification like Kafka's AdminZkClient. Any broker may write.
/// Thread-safety: stateless; ``KafkaZooKeeperClient`` is Sendable.
struct ZooKeeperTopicConfigStore: TopicConfigStore {
    let zk: KafkaZooKeeperClient

    func topicExists(_ topic: String) async throws -> Bool { try await zk.topicExists(topic) }

    func topicConfig(_ topic: String) async throws -> [String: String] { try await zk.topicConfig(topic) }

    func setTopicConfig(_ topic: String, _ config: [String: String]) async throws {
        try await zk.changeTopicConfig(topic, config: config)
    }
}
