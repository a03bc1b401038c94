import BrokerAPI
import Replication

/// The data-path API handlers (Produce, Fetch, ListOffsets, OffsetForLeaderEpoch) over the
/// replica manager.
enum DataPathHandlers {
    static func make(
        replicaManager: ReplicaManager, metadataCache: MetadataCache,
        topicSettings: @escaping @Sendable (String) -> TopicSettings
    ) -> [any KafkaAPIHandler] {
        [
            ProduceHandler(
                replicaManager: replicaManager, metadataCache: metadataCache,
                minInSyncReplicas: { topicSettings($0).minInSyncReplicas }),
            FetchHandler(replicaManager: replicaManager, metadataCache: metadataCache),
            ListOffsetsHandler(replicaManager: replicaManager, metadataCache: metadataCache),
            OffsetForLeaderEpochHandler(replicaManager: replicaManager, metadataCache: metadataCache),
        ]
    }
}
