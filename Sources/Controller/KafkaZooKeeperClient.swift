import BrokerCore
import Coordination

/// Typed access to Kafka's znodes over a `CoordinationStore`: Kafka's `KafkaZkClient` (and the
/// topic-creation part of `AdminZkClient`).
///
/// Reads retry on connection loss until the session is back (Kafka's
/// `retryRequestsUntilConnected`). Controller writes take a `ControllerEpochFence` and are sent as
/// one `multi` led by a check on `/controller_epoch`'s version: a failed check throws
/// `ControllerMovedError` and nothing is written. Writes that may have been applied before a
/// connection loss are retried and recognised (a create finding its own data, a conditional update
/// finding the data it wrote).
///
/// Thread-safety: a `Sendable` value; all methods may be called concurrently (the store is).
public struct KafkaZooKeeperClient: Sendable {
    public let store: any CoordinationStore

    public init(store: any CoordinationStore) {
        self.store = store
    }

    /// Makes sure the persistent paths Kafka creates at start-up exist (`ZkData.PersistentZkPaths`:
    /// `/consumers`, `/brokers/ids`, `/brokers/topics`, `/config/changes`, `/admin/delete_topics`,
    /// `/brokers/seqid`, `/isr_change_notification`, `/latest_producer_id_block`,
    /// `/log_dir_event_notification`, `/config/{topics,clients,users,brokers,ips}`).
    public func ensurePersistentPaths() async throws {
        for path in KafkaZNodePaths.persistentPaths {
            try await retrying { try await store.ensurePersistentPath(path) }
        }
    }

    /// The cluster id in `/cluster/id`, creating it with `proposed` if absent (Kafka's
    /// `getClusterId.getOrElse(createOrGetClusterId(proposed))`). Every broker of a cluster gets
    /// the same id, whoever created it.
    public func getOrCreateClusterID(proposed: String) async throws -> String {
        if let existing = try await readData(KafkaZNodePaths.clusterID) {
            return try ClusterIDZNode.decode(existing.data)
        }
        do {
            try await retrying {
                do {
                    try await store.createRecursive(KafkaZNodePaths.clusterID, data: ClusterIDZNode.encode(proposed))
                } catch CoordinationError.nodeExists {
                    return  // another broker (or our own lost answer) created it: read below
                }
            }
        }
        guard let created = try await readData(KafkaZNodePaths.clusterID) else {
            throw CoordinationError.noNode(KafkaZNodePaths.clusterID)
        }
        return try ClusterIDZNode.decode(created.data)
    }

    // MARK: Helpers shared by the extensions

    /// Runs `operation`, waiting for the connection and retrying on connection loss.
    @discardableResult
    func retrying<T: Sendable>(_ operation: @Sendable () async throws -> T) async throws -> T {
        try await store.retryingOnConnectionLoss(operation)
    }

    /// A node's data and stat, nil if it does not exist.
    func readData(_ path: String) async throws -> NodeData? {
        try await retrying {
            do {
                return try await store.getData(path)
            } catch CoordinationError.noNode {
                return nil
            }
        }
    }

    /// A node's children, empty if it does not exist.
    func readChildren(_ path: String) async throws -> [String] {
        try await retrying {
            do {
                return try await store.children(path)
            } catch CoordinationError.noNode {
                return []
            }
        }
    }

    /// Runs `operations` as one multi led by the fence check. Throws `ControllerMovedError` when
    /// the check fails; other failures are rethrown as `CoordinationError.transactionFailed` with
    /// the index of the failing operation among `operations` (the check not counted).
    @discardableResult
    func fencedMulti(_ operations: [TransactionOperation], fence: ControllerEpochFence) async throws
        -> [TransactionResult]
    {
        let check = TransactionOperation.check(
            path: KafkaZNodePaths.controllerEpoch, expectedVersion: .exactly(fence.epochZkVersion))
        do {
            let results = try await store.multi([check] + operations)
            return Array(results.dropFirst())
        } catch CoordinationError.transactionFailed(let index, let error) {
            if index == 0 {
                throw ControllerMovedError(
                    "controller epoch \(fence.epoch) (zkVersion \(fence.epochZkVersion)) was superseded: \(error)")
            }
            throw CoordinationError.transactionFailed(operationIndex: index - 1, error: error)
        }
    }
}
