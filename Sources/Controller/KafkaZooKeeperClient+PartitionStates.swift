import BrokerCore
import Coordination

/// A partition's state znode content with its znode version (Kafka's partition epoch, which
/// conditional updates check).
public struct VersionedPartitionState: Hashable, Sendable {
    public var state: LeaderIsrAndControllerEpoch
    public var zkVersion: Int32

    public init(state: LeaderIsrAndControllerEpoch, zkVersion: Int32) {
        self.state = state
        self.zkVersion = zkVersion
    }
}

/// The outcome of a conditional partition state update.
public enum PartitionStateUpdate: Hashable, Sendable {
    /// Written; the znode's new version.
    case updated(zkVersion: Int32)
    /// The znode changed since it was read (a leader's ISR update): the current state, or nil if
    /// the znode is gone. Nothing was written.
    case versionConflict(current: VersionedPartitionState?)
}

/// Partition states at `/brokers/topics/T/partitions/P/state`.
extension KafkaZooKeeperClient {
    /// One partition's state, nil if it has none yet.
    public func partitionState(_ partition: TopicPartition) async throws -> VersionedPartitionState? {
        guard let node = try await readData(KafkaZNodePaths.partitionState(partition)) else { return nil }
        return VersionedPartitionState(
            state: try LeaderIsrAndControllerEpoch(decoding: node.data), zkVersion: node.stat.version)
    }

    /// The states of those `partitions` that have one.
    public func partitionStates(_ partitions: some Sequence<TopicPartition>) async throws
        -> [TopicPartition: VersionedPartitionState]
    {
        var states: [TopicPartition: VersionedPartitionState] = [:]
        for partition in partitions {
            if let state = try await partitionState(partition) { states[partition] = state }
        }
        return states
    }

    /// Creates a partition's first state (and its parent znodes) fenced by the controller epoch
    /// (Kafka's `createTopicPartitionStatesRaw`). Returns the znode version (0). Throws
    /// `ControllerMovedError`, or `CoordinationError.nodeExists` if another state exists.
    @discardableResult
    public func createPartitionState(
        _ partition: TopicPartition, _ state: LeaderIsrAndControllerEpoch, fence: ControllerEpochFence
    ) async throws -> Int32 {
        let statePath = KafkaZNodePaths.partitionState(partition)
        let data = state.encoded()
        return try await retrying {
            var operations: [TransactionOperation] = []
            for parent in [KafkaZNodePaths.topicPartitions(partition.topic), KafkaZNodePaths.partition(partition)] {
                if try await store.exists(parent) == nil {
                    operations.append(.create(path: parent, data: [], mode: .persistent))
                }
            }
            operations.append(.create(path: statePath, data: data, mode: .persistent))
            do {
                try await fencedMulti(operations, fence: fence)
                return 0
            } catch CoordinationError.transactionFailed(_, .nodeExists(let path)) where path == statePath {
                if let existing = try await readData(statePath), existing.data == data { return existing.stat.version }
                throw CoordinationError.nodeExists(statePath)
            }
        }
    }

    /// Writes a partition's state if its znode still has `expectedVersion`, fenced by the
    /// controller epoch (Kafka's `updateLeaderAndIsr`). Throws `ControllerMovedError` when fenced.
    public func updatePartitionState(
        _ partition: TopicPartition, _ state: LeaderIsrAndControllerEpoch, expectedVersion: Int32,
        fence: ControllerEpochFence
    ) async throws -> PartitionStateUpdate {
        let path = KafkaZNodePaths.partitionState(partition)
        let data = state.encoded()
        return try await retrying {
            do {
                let results = try await fencedMulti(
                    [.setData(path: path, data: data, expectedVersion: .exactly(expectedVersion))], fence: fence)
                guard case .dataSet(let stat)? = results.first else { return .updated(zkVersion: expectedVersion + 1) }
                return .updated(zkVersion: stat.version)
            } catch CoordinationError.transactionFailed(_, .badVersion), CoordinationError.transactionFailed(_, .noNode) {
                // Our own write whose answer was lost reads back as our data one version later.
                guard let current = try await readData(path) else { return .versionConflict(current: nil) }
                if current.data == data && current.stat.version == expectedVersion + 1 {
                    return .updated(zkVersion: current.stat.version)
                }
                return .versionConflict(
                    current: VersionedPartitionState(
                        state: try LeaderIsrAndControllerEpoch(decoding: current.data), zkVersion: current.stat.version))
            }
        }
    }
}
