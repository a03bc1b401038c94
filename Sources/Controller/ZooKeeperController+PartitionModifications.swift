import BrokerCore
import Coordination

/// Partition additions (CreatePartitions): Kafka's `PartitionModificationsHandler` and
/// `processPartitionModifications`.
///
/// Design: every topic znode `/brokers/topics/T` the controller loads carries a one-shot data
/// watch (armed by `loadTopics`, re-armed each time it fires), because ZooKeeper's child watch on
/// `/brokers/topics` does not fire when a child's data changes. When it fires the controller
/// re-reads the assignment; partitions it did not know are initialised exactly as a new topic's
/// (`initializeAndElect`, LeaderAndIsr with `isNew`, UpdateMetadata to every live broker).
/// Changes to the replicas of existing partitions (reassignment) are not supported and ignored.
/// A watch that fires for a deleted topic is not re-armed (the `/brokers/topics` child watch
/// handles deletion).
extension ZooKeeperController {
    /// Reads `/brokers/topics/T` and arms a data watch on it for this incarnation. Nil if absent.
    /// Throws `KafkaZNodeDecodingError` for a malformed assignment (the watch is still armed).
    func watchTopicAssignment(_ topic: String) async throws -> TopicAssignment? {
        let store = zk.store
        let path = KafkaZNodePaths.topic(topic)
        let read: (node: NodeData, watch: Watch)? = try await zk.retrying {
            do {
                return try await store.getDataAndWatch(path)
            } catch CoordinationError.noNode {
                return nil
            }
        }
        guard let read else { return nil }
        spawnWatchTask(read.watch, .topicPartitions(topic))
        return try TopicAssignment(decoding: read.node.data)
    }

    /// The topic znode's data changed: initialise the partitions that are new.
    func processPartitionModifications(_ topic: String) async throws {
        guard let known = context.topics[topic] else { return }
        let fresh: TopicAssignment?
        do {
            fresh = try await watchTopicAssignment(topic)
        } catch let error as KafkaZNodeDecodingError {
            logger.error("ignoring malformed assignment change", metadata: ["topic": "\(topic)", "error": "\(error)"])
            return
        }
        guard let fresh else { return }
        let added = fresh.partitions.filter { known.partitions[$0.key] == nil }
        let changed = fresh.partitions.filter { id, replicas in known.partitions[id].map { $0 != replicas } ?? false }
        if !changed.isEmpty {
            logger.warning(
                "ignoring replica changes of existing partitions (reassignment is not supported)",
                metadata: ["topic": "\(topic)", "partitions": "\(changed.keys.sorted())"])
        }
        guard !added.isEmpty else { return }
        for (id, replicas) in added { context.topics[topic]?.partitions[id] = replicas }
        let partitions = added.keys.sorted().map { TopicPartition(topic, $0) }
        for partition in partitions {
            if let state = try await zk.partitionState(partition) { context.partitionStates[partition] = state }
        }
        let (initialized, _) = try await initializeAndElect(partitions)
        logger.info(
            "new partitions", metadata: ["topic": "\(topic)", "partitions": "\(added.keys.sorted())"])
        sendLeaderAndIsr(partitions, newPartitions: initialized)
        sendUpdateMetadata(partitions)
    }
}
