import BrokerCore
import Coordination

/// ISR change notifications under `/isr_change_notification`.
extension KafkaZooKeeperClient {
    /// Announces ISR changes to the controller (a leader after shrinking or expanding an ISR it
    /// wrote itself, Kafka's `propagateIsrChanges`): a persistent-sequential
    /// `isr_change_<seq>` node. Returns its path.
    @discardableResult
    public func createIsrChangeNotification(_ partitions: Set<TopicPartition>) async throws -> String {
        let data = IsrChangeNotification(partitions: partitions).encoded()
        return try await retrying {
            try await store.createRecursive(KafkaZNodePaths.isrChangeSequencePrefix, data: data, mode: .persistentSequential)
        }.path
    }

    /// The pending notifications' child names, sorted (oldest first).
    public func isrChangeNotificationNames() async throws -> [String] {
        try await readChildren(KafkaZNodePaths.isrChangeNotification)
            .filter { $0.hasPrefix(KafkaZNodePaths.isrChangePrefix) }
    }

    /// The partitions named by the notification `name`; nil if it vanished or cannot be decoded.
    public func isrChangeNotification(named name: String) async throws -> Set<TopicPartition>? {
        let path = CoordinationPath.join(KafkaZNodePaths.isrChangeNotification, name)
        guard let node = try await readData(path) else { return nil }
        return try? IsrChangeNotification(decoding: node.data).partitions
    }

    /// Deletes processed notifications, fenced by the controller epoch. Missing ones are fine.
    public func deleteIsrChangeNotifications(_ names: [String], fence: ControllerEpochFence) async throws {
        for name in names {
            let path = CoordinationPath.join(KafkaZNodePaths.isrChangeNotification, name)
            do {
                try await retrying { try await fencedMulti([.delete(path: path, expectedVersion: .any)], fence: fence) }
            } catch CoordinationError.transactionFailed(_, .noNode) {
                continue
            }
        }
    }
}
