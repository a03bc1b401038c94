import BrokerCore
import KafkaRecords
import LogStorage
import Logging
import NIOCore

/// One partition hosted by this broker: its log, replication state, producer state and the
/// purgatories of its event loop.
///
/// ## Ownership
/// Owned by ``eventLoop`` (chosen by ``ReplicaManager`` from the partition's hash): all mutable
/// state (role, epochs, ISR, follower progress, high watermark, producer state) is read and
/// written only on that loop (internal methods assert it). Appends run there; reads of records
/// go to the ``PartitionLog``, whose readers run concurrently with its writer. Other threads use
/// ``ReplicaManager``'s future-returning API, which hops here.
public final class Partition: @unchecked Sendable {
    public let topicPartition: TopicPartition
    public let eventLoop: any EventLoop
    let clock: any TimeSource
    let lagMs: Int64
    let producePurgatory: DelayedOperationPurgatory
    let fetchPurgatory: DelayedOperationPurgatory
    /// Persists ISR changes; nil commits them at once (single broker, tests).
    let isrUpdateWriter: (any IsrUpdateWriter)?
    let logger: Logger

    /// Loop-confined state.
    var state: PartitionState
    var log: PartitionLog?
    var producerState = ProducerStateManager()

    init(
        topicPartition: TopicPartition, localBrokerID: BrokerID, eventLoop: any EventLoop, clock: any TimeSource,
        lagMs: Int64, producePurgatory: DelayedOperationPurgatory, fetchPurgatory: DelayedOperationPurgatory,
        isrUpdateWriter: (any IsrUpdateWriter)?, logger: Logger
    ) {
        self.topicPartition = topicPartition
        self.eventLoop = eventLoop
        self.clock = clock
        self.lagMs = lagMs
        self.producePurgatory = producePurgatory
        self.fetchPurgatory = fetchPurgatory
        self.isrUpdateWriter = isrUpdateWriter
        self.logger = logger
        self.state = PartitionState(topicPartition: topicPartition, localBrokerID: localBrokerID)
    }

    /// A copy of the replication state (on the partition's loop).
    public func info() -> EventLoopFuture<PartitionInfo> {
        eventLoop.submit { self.currentInfo() }
    }

    func currentInfo() -> PartitionInfo {
        eventLoop.assertInEventLoop()
        return PartitionInfo(
            topicPartition: topicPartition, isLeader: state.isLeader, leader: state.leader, leaderEpoch: state.leaderEpoch,
            partitionEpoch: state.partitionEpoch, replicas: state.replicas, isr: state.isr,
            minInSyncReplicas: state.minInSyncReplicas, highWatermark: state.highWatermark,
            logStartOffset: log?.logStartOffset ?? .unknown, logEndOffset: log?.logEndOffset ?? .unknown)
    }

    // MARK: Role changes (LeaderAndIsr, StopReplica)

    /// Applies a LeaderAndIsr state naming this broker leader. Returns whether this broker
    /// became leader (or started a new epoch). Throws if the producer state cannot be rebuilt.
    func makeLeader(_ request: LeaderAndIsrState, log: PartitionLog) throws -> Bool {
        eventLoop.assertInEventLoop()
        attach(log, config: request.logConfig)
        try producerState.catchUp(with: log)
        state.setHighWatermark(log.highWatermark)
        let changed = state.makeLeader(
            leaderEpoch: request.leaderEpoch, partitionEpoch: request.partitionEpoch, replicas: request.replicas,
            isr: request.isr, minInSyncReplicas: request.minInSyncReplicas, leaderEndOffset: log.logEndOffset,
            nowMs: clock.nowMilliseconds)
        if let hw = state.maybeIncrementHighWatermark(leaderEndOffset: log.logEndOffset, nowMs: clock.nowMilliseconds, lagMs: lagMs) {
            log.updateHighWatermark(hw)
        }
        wakeAll()
        return changed
    }

    /// Applies a LeaderAndIsr state naming another broker leader (Kafka `Partition.makeFollower`).
    /// Returns whether the leader or role changed; waiting produces and fetches then complete.
    /// The producer state is brought up to the log end (it is kept current by follower appends
    /// from then on, so idempotence survives a later leadership change).
    func makeFollower(_ request: LeaderAndIsrState, log: PartitionLog) throws -> Bool {
        eventLoop.assertInEventLoop()
        attach(log, config: request.logConfig)
        try producerState.catchUp(with: log)
        state.setHighWatermark(log.highWatermark)
        let changed = state.makeFollower(
            leader: request.leader, leaderEpoch: request.leaderEpoch, partitionEpoch: request.partitionEpoch,
            replicas: request.replicas, isr: request.isr, minInSyncReplicas: request.minInSyncReplicas)
        wakeAll()
        return changed
    }

    /// StopReplica: no longer leader or follower; waiting operations complete with errors.
    func stop() {
        eventLoop.assertInEventLoop()
        state.stop()
        wakeAll()
    }

    private func attach(_ newLog: PartitionLog, config: LogConfig?) {
        if log !== newLog {
            log = newLog
            producerState.reset()
        }
        if let config, newLog.config != config { newLog.updateConfig(config) }
    }

    func wakeAll() {
        producePurgatory.checkAndComplete(topicPartition)
        fetchPurgatory.checkAndComplete(topicPartition)
    }

    // MARK: Follower progress and ISR

    /// Records a follower's fetch position (leader only). Returns NOT_LEADER_OR_FOLLOWER if this
    /// broker is not the leader or `replica` is not an assigned follower.
    func updateFollowerFetchState(replica: BrokerID, fetchOffset: Offset) -> ErrorCode? {
        eventLoop.assertInEventLoop()
        guard let log else { return .notLeaderOrFollower }
        guard
            let changes = state.updateFollowerFetchState(
                replica: replica, fetchOffset: fetchOffset, leaderEndOffset: log.logEndOffset, nowMs: clock.nowMilliseconds,
                lagMs: lagMs)
        else { return .notLeaderOrFollower }
        apply(changes)
        return nil
    }

    /// The periodic ISR check (leader only).
    func maybeShrinkIsr() {
        eventLoop.assertInEventLoop()
        guard let log, state.isLeader else { return }
        apply(state.maybeShrinkIsr(leaderEndOffset: log.logEndOffset, nowMs: clock.nowMilliseconds, lagMs: lagMs))
    }

    /// Sets `min.insync.replicas` (topic config change); may let the high watermark move.
    func setMinInSyncReplicas(_ value: Int) {
        eventLoop.assertInEventLoop()
        let value = max(value, 1)
        guard value != state.minInSyncReplicas else { return }
        state.minInSyncReplicas = value
        if let log, let hw = state.maybeIncrementHighWatermark(
            leaderEndOffset: log.logEndOffset, nowMs: clock.nowMilliseconds, lagMs: lagMs)
        {
            apply([.highWatermarkAdvanced(hw)])
        }
        producePurgatory.checkAndComplete(topicPartition)
    }

    func apply(_ changes: [PartitionStateChange]) {
        for change in changes {
            switch change {
            case .highWatermarkAdvanced(let hw):
                log?.updateHighWatermark(hw)
                producePurgatory.checkAndComplete(topicPartition)
                fetchPurgatory.checkAndComplete(topicPartition)
            case .isrUpdateProposed(let isr):
                proposeIsr(isr)
            case .isrCommitted(let isr):
                logger.info(
                    "ISR changed",
                    metadata: [
                        "partition": "\(topicPartition)", "isr": "\(isr.map(\.rawValue))",
                        "partitionEpoch": "\(state.partitionEpoch)",
                    ])
                producePurgatory.checkAndComplete(topicPartition)
            }
        }
    }

    /// Writes a proposed ISR through the writer (or commits it at once without one) and commits
    /// it on this loop when the write succeeded and the change is still the one in flight.
    private func proposeIsr(_ isr: [BrokerID]) {
        guard let writer = isrUpdateWriter else {
            commitIsr(isr, partitionEpoch: state.partitionEpoch)
            return
        }
        let update = IsrUpdate(
            topicPartition: topicPartition, leader: state.localBrokerID, leaderEpoch: state.leaderEpoch, isr: isr,
            partitionEpoch: state.partitionEpoch)
        logger.info(
            "proposing ISR change",
            metadata: [
                "partition": "\(topicPartition)", "isr": "\(isr.map(\.rawValue))",
                "partitionEpoch": "\(update.partitionEpoch)",
            ])
        let loop = eventLoop
        writer.write(update) { outcome in
            if loop.inEventLoop {
                self.isrUpdateCompleted(update, outcome)
            } else {
                loop.execute { self.isrUpdateCompleted(update, outcome) }
            }
        }
    }

    /// The writer answered `update` (on this loop).
    func isrUpdateCompleted(_ update: IsrUpdate, _ outcome: IsrUpdateOutcome) {
        eventLoop.assertInEventLoop()
        // A LeaderAndIsr since then replaced the state: the answer is obsolete.
        guard state.isLeader, state.leaderEpoch == update.leaderEpoch, state.pendingIsr == update.isr else { return }
        switch outcome {
        case .committed(let partitionEpoch):
            commitIsr(update.isr, partitionEpoch: partitionEpoch)
        case .rejected:
            logger.info(
                "ISR change rejected; waiting for LeaderAndIsr",
                metadata: ["partition": "\(topicPartition)", "isr": "\(update.isr.map(\.rawValue))"])
        case .failed:
            state.abandonIsrUpdate(update.isr)
        }
    }

    private func commitIsr(_ isr: [BrokerID], partitionEpoch: Int32) {
        guard let log,
            let changes = state.commitIsrUpdate(
                isr, partitionEpoch: partitionEpoch, leaderEndOffset: log.logEndOffset, nowMs: clock.nowMilliseconds,
                lagMs: lagMs)
        else { return }
        apply(changes)
    }
}
