import BrokerCore
import Coordination

/// ISR change notifications (Kafka's `processIsrChangeNotification`): leaders that wrote an ISR
/// change themselves announce it under `/isr_change_notification`.
extension ZooKeeperController {
    /// Re-reads the notifications (re-arming the watch), re-reads the named partitions' states,
    /// sends UpdateMetadata for them to every live broker and deletes the notifications.
    func processIsrChangeNotifications() async throws {
        let names = try await armChildWatch(KafkaZNodePaths.isrChangeNotification, .isrChanges)
            .filter { $0.hasPrefix(KafkaZNodePaths.isrChangePrefix) }
        guard !names.isEmpty else { return }
        var partitions: Set<TopicPartition> = []
        for name in names {
            if let named = try await zk.isrChangeNotification(named: name) { partitions.formUnion(named) }
        }
        let known = partitions.filter { context.topics[$0.topic]?.partitions[$0.partition] != nil }.sorted()
        let fresh = try await zk.partitionStates(known)
        context.partitionStates.merge(fresh) { _, new in new }
        sendUpdateMetadata(known)
        try await zk.deleteIsrChangeNotifications(names, fence: context.fence)
    }
}
