import BrokerAPI
import Replication

/// The data-path API handlers (Produce, Fetch, ListOffsets, OffsetForLeaderEpoch) over the
/// replica manager.
enum DataPathHandlers {
    static func make(
        replicaManager: ReplicaManager, topicSettings: @escaping @Sendable (String) -> TopicSettings
    ) -> [any KafkaAPIHandler] {
        []
    }
}
