import BrokerCore
import Coordination

/// Topic config changes: `/config/topics/T` plus `/config/changes/config_change_<seq>`
/// notifications, as Kafka's `AdminZkClient.changeTopicConfig` writes them.
extension KafkaZooKeeperClient {
    /// Whether `/brokers/topics/T` exists.
    public func topicExists(_ topic: String) async throws -> Bool {
        try await retrying { try await store.exists(KafkaZNodePaths.topic(topic)) != nil }
    }

    /// Replaces the topic's config (creating `/config/topics/T` if missing), then creates a
    /// persistent-sequential change notification `{"version":2,"entity_path":"topics/T"}` so every
    /// broker re-reads it. Returns the notification's path.
    @discardableResult
    public func changeTopicConfig(_ topic: String, config: [String: String]) async throws -> String {
        let path = KafkaZNodePaths.configEntity(.topics, topic)
        let data = EntityConfig(config).encoded()
        try await retrying {
            do {
                _ = try await store.setData(path, data: data, expectedVersion: .any)
            } catch CoordinationError.noNode {
                do {
                    _ = try await store.createRecursive(path, data: data, mode: .persistent)
                } catch CoordinationError.nodeExists {
                    _ = try await store.setData(path, data: data, expectedVersion: .any)
                }
            }
        }
        let notification = ConfigChangeNotification(entityType: .topics, entityName: topic).encoded()
        return try await retrying {
            try await store.createRecursive(
                KafkaZNodePaths.configChangeSequencePrefix, data: notification, mode: .persistentSequential)
        }.path
    }

    /// The pending config change notifications' child names, sorted (oldest first).
    public func configChangeNotificationNames() async throws -> [String] {
        try await readChildren(KafkaZNodePaths.configChanges).filter { $0.hasPrefix(KafkaZNodePaths.configChangePrefix) }.sorted()
    }

    /// The notification `name`; nil if it vanished or cannot be decoded.
    public func configChangeNotification(named name: String) async throws -> ConfigChangeNotification? {
        guard let node = try await readData(CoordinationPath.join(KafkaZNodePaths.configChanges, name)) else { return nil }
        return try? ConfigChangeNotification(decoding: node.data)
    }
}
