import BrokerCore
import Coordination

/// New topics and topic deletion (Kafka's `processTopicChange`, `onNewPartitionCreation`,
/// `TopicDeletionManager`).
extension ZooKeeperController {
    /// Re-reads `/brokers/topics` (re-arming its watch): new topics get their partitions
    /// initialised (LeaderAndIsr with `isNew` to live replicas, UpdateMetadata to all brokers);
    /// topics whose znode vanished are forgotten.
    func processTopicChange() async throws {
        let names = Set(try await armChildWatch(KafkaZNodePaths.brokerTopics, .topics))
        let known = Set(context.topics.keys)
        for removed in known.subtracting(names) { forgetTopic(removed) }
        let added = names.subtracting(known).sorted()
        guard !added.isEmpty else { return }
        try await loadTopics(added)
        let partitions = added.flatMap { context.partitions(of: $0) }
        let (initialized, elected) = try await initializeAndElect(partitions)
        logger.info("new topics", metadata: ["topics": "\(added)", "initialized": "\(initialized.count)"])
        sendLeaderAndIsr(partitions, newPartitions: initialized)
        sendUpdateMetadata(partitions)
        _ = elected
    }

    /// Re-reads `/admin/delete_topics` (re-arming its watch) and deletes the requested topics.
    func processTopicDeletions() async throws {
        try await deleteTopics(try await armChildWatch(KafkaZNodePaths.deleteTopics, .topicDeletions))
    }

    /// For each requested topic: UpdateMetadata announcing the deletion (leader -2) to all live
    /// brokers, StopReplica(delete: true) to the live replicas, then one fenced transaction
    /// deleting `/brokers/topics/T` (with partition states), `/config/topics/T` and the request.
    /// Requests for unknown topics are just removed.
    ///
    /// Unlike Kafka, it does not wait for the StopReplica answers nor retry replicas that are
    /// offline: their logs stay until the broker removes logs of unknown topics itself.
    func deleteTopics(_ topics: [String]) async throws {
        for topic in topics.sorted() {
            guard context.topics[topic] != nil else {
                try await zk.deleteTopicDeletionRequest(topic, fence: context.fence)
                continue
            }
            let partitions = context.partitions(of: topic)
            sendUpdateMetadata(states: partitions.compactMap { context.deletionState($0) })
            sendStopReplica(partitions, delete: true)
            try await zk.deleteTopicZNodes(topic, fence: context.fence)
            forgetTopic(topic)
            logger.info("deleted topic", metadata: ["topic": "\(topic)"])
        }
    }
}
