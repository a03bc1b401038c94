import BrokerCore
import Controller
import Coordination
import Logging
import Replication

/// Leaders' ISR changes written to ZooKeeper as Kafka does in ZooKeeper mode before AlterPartition
/// (`ZkAlterPartitionManager` → `ReplicationUtils.updateLeaderAndIsr`):
///
/// 1. a conditional `setData` of `/brokers/topics/T/partitions/P/state` expecting the partition
///    epoch (the znode version) the leader knows, keeping leader, leader epoch, recovery state and
///    the controller epoch of the state's author (the same the controller put in LeaderAndIsr),
///    replacing the ISR;
/// 2. on BADVERSION (or a lost answer) it re-reads the znode: if it already holds this ISR under
///    this leader and epoch, that is our own write (committed with its version); if the leader
///    or leader epoch moved on, the change is dropped (``IsrUpdateOutcome/rejected``: a new
///    LeaderAndIsr will come); otherwise it is retried against the current version;
/// 3. committed changes are announced to the controller through
///    `/isr_change_notification/isr_change_<seq>` (batched, see ``IsrChangePropagator``).
///
/// Thread-safety: `Sendable`; each write runs in its own task (ZooKeeper calls are async).
struct ZooKeeperIsrUpdateWriter: IsrUpdateWriter {
    let zk: KafkaZooKeeperClient
    let propagator: IsrChangePropagator
    let logger: Logger
    /// Attempts against a moving znode version before giving up (the change is then dropped and
    /// a later ISR check proposes it again).
    static let maxAttempts = 5

    func write(_ update: IsrUpdate, completion: @escaping @Sendable (IsrUpdateOutcome) -> Void) {
        Task {
            let outcome = await perform(update)
            if case .committed = outcome { await propagator.record(update.topicPartition) }
            completion(outcome)
        }
    }

    func perform(_ update: IsrUpdate) async -> IsrUpdateOutcome {
        let path = KafkaZNodePaths.partitionState(update.topicPartition)
        var expected = update.partitionEpoch
        for _ in 0..<Self.maxAttempts {
            let current: VersionedPartitionState?
            do {
                current = try await zk.partitionState(update.topicPartition)
            } catch {
                logger.warning("cannot read partition state for ISR update", metadata: ["path": "\(path)", "error": "\(error)"])
                return .failed
            }
            guard let current else { return .rejected }
            guard current.state.leader == update.leader, current.state.leaderEpoch == update.leaderEpoch else {
                logger.info(
                    "partition state moved on; dropping ISR update",
                    metadata: [
                        "partition": "\(update.topicPartition)", "leaderEpoch": "\(update.leaderEpoch)",
                        "znodeLeaderEpoch": "\(current.state.leaderEpoch)",
                    ])
                return .rejected
            }
            if current.zkVersion != expected {
                // Our own write whose answer was lost, or a state written meanwhile in this epoch.
                if current.state.isr == update.isr { return .committed(partitionEpoch: current.zkVersion) }
                expected = current.zkVersion
            }
            var next = current.state
            next.isr = update.isr
            let data = next.encoded()
            let version = expected
            do {
                let stat = try await zk.store.retryingOnConnectionLoss {
                    try await zk.store.setData(path, data: data, expectedVersion: .exactly(version))
                }
                logger.info(
                    "ISR written",
                    metadata: [
                        "partition": "\(update.topicPartition)", "isr": "\(update.isr.map(\.rawValue))",
                        "partitionEpoch": "\(stat.version)",
                    ])
                return .committed(partitionEpoch: stat.version)
            } catch CoordinationError.badVersion {
                continue
            } catch CoordinationError.noNode {
                return .rejected
            } catch {
                logger.warning("ISR update failed", metadata: ["path": "\(path)", "error": "\(error)"])
                return .failed
            }
        }
        return .failed
    }
}
