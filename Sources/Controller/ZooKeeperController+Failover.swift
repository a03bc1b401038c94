import BrokerCore
import Coordination

/// Becoming the active controller (Kafka's `onControllerFailover`).
extension ZooKeeperController {
    /// Arms the controller's child watches, reads brokers, topics and partition states, sends
    /// UpdateMetadata to every live broker, initialises partitions without state, elects leaders
    /// for offline ones, sends LeaderAndIsr to every live replica, then processes pending topic
    /// deletions. ISR change notifications pending at failover are deleted (the full state was
    /// just read).
    func onControllerFailover(_ fence: ControllerEpochFence) async throws {
        generation &+= 1
        isActive = true
        context = ControllerContext(fence: fence)
        updateStatus(activeController: brokerID)

        for name in try await armChildWatch(KafkaZNodePaths.brokerIDs, .brokers) {
            guard let id = KafkaZNodePaths.brokerID(fromChildName: name), let broker = try await readLiveBroker(id) else {
                continue
            }
            context.liveBrokers[id] = broker
        }
        try await loadTopics(try await armChildWatch(KafkaZNodePaths.brokerTopics, .topics))
        let deletions = try await armChildWatch(KafkaZNodePaths.deleteTopics, .topicDeletions)
        let notifications = try await armChildWatch(KafkaZNodePaths.isrChangeNotification, .isrChanges)
        try await zk.deleteIsrChangeNotifications(notifications, fence: fence)

        for broker in context.sortedLiveBrokers { startQueue(for: broker) }
        let all = context.allPartitions
        sendUpdateMetadata(all)
        let (initialized, elected) = try await initializeAndElect(all)
        sendLeaderAndIsr(all, newPartitions: initialized)
        let changed = initialized.union(elected)
        if !changed.isEmpty { sendUpdateMetadata(changed.sorted()) }
        logger.info(
            "controller failover done",
            metadata: [
                "epoch": "\(fence.epoch)", "brokers": "\(context.liveBrokers.keys.sorted())",
                "partitions": "\(all.count)",
            ])
        try await deleteTopics(deletions)
    }
}
