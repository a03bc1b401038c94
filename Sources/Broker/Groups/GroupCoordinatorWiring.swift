import BrokerAPI
import BrokerCore
import Controller
import GroupCoordination
import Logging
import Replication

/// The consumer-group part of the broker, built by ``BrokerService``: the coordinator over
/// `__consumer_offsets` (``ReplicaGroupLogStore``), the creator of that topic, the group API
/// handlers, and the listener that tells the coordinator which offsets partitions it leads.
///
/// Lifecycle: built before the listeners bind (so the first LeaderAndIsr already reaches the
/// coordinator); ``shutdown()`` after the listeners close and before the replica manager stops.
struct GroupCoordinatorWiring: Sendable {
    let coordinator: any GroupCoordinatorService
    /// Creates `__consumer_offsets` on first use; nil without ZooKeeper (nothing to create it in).
    let offsetsTopic: OffsetsTopicCreator?
    /// FindCoordinator, JoinGroup ... OffsetDelete (see ``GroupHandlers``).
    let handlers: [any KafkaAPIHandler]

    /// For LeaderAndIsr and StopReplica.
    var leadershipListener: any PartitionLeadershipListener {
        GroupCoordinatorLeadershipListener(coordinator: coordinator)
    }

    /// - Parameters:
    ///   - topicSettings: a topic's effective settings (for `__consumer_offsets`' min.insync.replicas).
    ///   - topicAdmin: writes `__consumer_offsets` to ZooKeeper; nil for a broker without ZooKeeper.
    init(
        settings: GroupCoordinatorSettings, replicaManager: ReplicaManager, cache: MetadataCache,
        topicSettings: @escaping @Sendable (String) -> TopicSettings, topicAdmin: (any TopicAdmin)?, logger: Logger
    ) {
        let store = ReplicaGroupLogStore(
            replicaManager: replicaManager,
            minInSyncReplicas: { topicSettings(TopicName.consumerOffsets).minInSyncReplicas })
        coordinator = Self.makeCoordinator(config: settings.coordinator, store: store, cache: cache, logger: logger)
        offsetsTopic = topicAdmin.map { admin in
            OffsetsTopicCreator(
                settings: settings.offsetsTopic, admin: admin,
                assign: { partitions, factor, brokers in
                    try ReplicaAssignor.assign(partitionCount: partitions, replicationFactor: factor, brokers: brokers)
                }, logger: logger)
        }
        handlers = GroupHandlers.make(coordinator: coordinator, cache: cache, offsetsTopic: offsetsTopic)
    }

    /// Answers waiting group requests and stops the coordinator's timers.
    func shutdown() async {
        await coordinator.shutdown()
    }

    /// The one place the concrete coordinator of module GroupCoordination is constructed.
    /// `partitionExists` (OffsetCommit's UNKNOWN_TOPIC_OR_PARTITION check) reads this broker's
    /// metadata cache.
    static func makeCoordinator(
        config: GroupCoordinatorConfig, store: any GroupLogStore, cache: MetadataCache, logger: Logger
    ) -> any GroupCoordinatorService {
        GroupCoordinator(
            config: config, store: store,
            partitionExists: { topicPartition in
                cache.snapshot.topics[topicPartition.topic]?.partitions.contains { $0.index == topicPartition.partition }
                    ?? false
            },
            clock: SystemTimeSource(), logger: logger)
    }
}
