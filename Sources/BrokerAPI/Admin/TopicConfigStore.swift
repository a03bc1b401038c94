/// Where topic config overrides live (ZooKeeper's `/config/topics/T` in a ZooKeeper-mode
/// cluster). Injected into the config handlers so this layer does not depend on ZooKeeper.
///
/// Thread-safety: implementations are `Sendable` and may be called concurrently.
public protocol TopicConfigStore: Sendable {
    /// Whether the topic exists in the cluster's source of truth (`/brokers/topics/T`).
    func topicExists(_ topic: String) async throws -> Bool

    /// The topic's overrides, empty when it has none.
    func topicConfig(_ topic: String) async throws -> [String: String]

    /// Replaces the topic's overrides, then announces the change to every broker (Kafka's
    /// `AdminZkClient.changeTopicConfig`: writes `/config/topics/T`, then a persistent-sequential
    /// `/config/changes/config_change_` notification naming `topics/T`).
    func setTopicConfig(_ topic: String, _ config: [String: String]) async throws
}
