import BrokerCore
import LogStorage
import NIOCore

/// The outcome of a LeaderAndIsr state for one partition.
public struct LeaderAndIsrOutcome: Sendable, Hashable {
    public var errorCode: ErrorCode
    /// Whether the role or leader changed (for makeLeader: this broker newly leads this epoch).
    public var roleChanged: Bool

    public init(errorCode: ErrorCode, roleChanged: Bool = false) {
        self.errorCode = errorCode
        self.roleChanged = roleChanged
    }
}

extension ReplicaManager {
    // MARK: LeaderAndIsr

    /// Applies a LeaderAndIsr request: partitions whose leader is this broker become leaders, the
    /// others followers. Logs are created through the LogManager when missing. A state older than
    /// the partition's (smaller leader epoch, or same epoch and smaller partition epoch) is
    /// ignored with STALE_CONTROLLER_EPOCH, as Kafka does.
    public func becomeLeaderOrFollower(_ states: [LeaderAndIsrState]) -> EventLoopFuture<[TopicPartition: LeaderAndIsrOutcome]> {
        apply(states) { state in state.leader == config.localBrokerID }
    }

    /// LeaderAndIsr for partitions this broker leads.
    public func makeLeaders(_ states: [LeaderAndIsrState]) -> EventLoopFuture<[TopicPartition: LeaderAndIsrOutcome]> {
        apply(states) { _ in true }
    }

    /// LeaderAndIsr for partitions another broker leads: the partitions whose leader or leader
    /// epoch changed start fetching through the ``FollowerFetchControl`` (from their log end
    /// offset; a log without epochs is first truncated to its high watermark).
    public func makeFollowers(_ states: [LeaderAndIsrState]) -> EventLoopFuture<[TopicPartition: LeaderAndIsrOutcome]> {
        apply(states) { _ in false }
    }

    private func apply(
        _ states: [LeaderAndIsrState], asLeader: (LeaderAndIsrState) -> Bool
    ) -> EventLoopFuture<[TopicPartition: LeaderAndIsrOutcome]> {
        let futures = states.map { request in
            let leader = asLeader(request)
            let partition = getOrCreatePartition(request.topicPartition)
            return partition.eventLoop.submit { () -> (TopicPartition, LeaderAndIsrOutcome) in
                (request.topicPartition, self.applyOnLoop(request, to: partition, asLeader: leader))
            }
        }
        return EventLoopFuture.whenAllSucceed(futures, on: eventLoops[0]).map { Dictionary($0, uniquingKeysWith: { $1 }) }
    }

    private func applyOnLoop(_ request: LeaderAndIsrState, to partition: Partition, asLeader: Bool) -> LeaderAndIsrOutcome {
        guard partition.state.accepts(leaderEpoch: request.leaderEpoch, partitionEpoch: request.partitionEpoch) else {
            logger.info(
                "ignoring stale LeaderAndIsr",
                metadata: ["partition": "\(request.topicPartition)", "leaderEpoch": "\(request.leaderEpoch)"])
            return LeaderAndIsrOutcome(errorCode: .staleControllerEpoch)
        }
        do {
            let log = try logManager.getOrCreateLog(request.topicPartition, config: request.logConfig)
            // A log loaded at start-up (or created earlier) takes the topic's current config.
            if let config = request.logConfig { log.updateConfig(config) }
            if asLeader {
                let changed = try partition.makeLeader(request, log: log)
                // Kafka's makeLeaders: stop fetching partitions led here (any in-flight fetch
                // result is dropped by the epoch check on this loop).
                followerFetchControl?.removePartitions([request.topicPartition])
                return LeaderAndIsrOutcome(errorCode: .none, roleChanged: changed)
            }
            let changed = try partition.makeFollower(request, log: log)
            if let control = followerFetchControl {
                if request.leader.rawValue < 0 {
                    // No leader (offline partition): nothing to fetch from until a LeaderAndIsr names one.
                    control.removePartitions([request.topicPartition])
                } else if changed, let position = try partition.startFollowing() {
                    // Kafka's makeFollowers: a new leader or epoch restarts fetching from the log end.
                    control.addPartitions([position])
                }
            }
            return LeaderAndIsrOutcome(errorCode: .none, roleChanged: changed)
        } catch let error as LogError {
            logger.error("LeaderAndIsr failed", metadata: ["partition": "\(request.topicPartition)", "error": "\(error)"])
            return LeaderAndIsrOutcome(errorCode: error.errorCode)
        } catch {
            logger.error("LeaderAndIsr failed", metadata: ["partition": "\(request.topicPartition)", "error": "\(error)"])
            return LeaderAndIsrOutcome(errorCode: .kafkaStorageError)
        }
    }

    // MARK: StopReplica

    /// StopReplica: stops hosting the partitions (waiting produces and fetches complete with
    /// NOT_LEADER_OR_FOLLOWER) and, with `delete`, deletes their logs. Unknown partitions answer
    /// NONE (their logs are still deleted if present).
    public func stopReplicas(_ topicPartitions: [TopicPartition], delete: Bool) -> EventLoopFuture<[TopicPartition: ErrorCode]> {
        let futures = topicPartitions.map { topicPartition -> EventLoopFuture<(TopicPartition, ErrorCode)> in
            let removed = removePartition(topicPartition)
            let loop = removed?.eventLoop ?? eventLoop(for: topicPartition)
            return loop.submit {
                removed?.stop()
                self.followerFetchControl?.removePartitions([topicPartition])
                guard delete else { return (topicPartition, ErrorCode.none) }
                do {
                    try self.logManager.deleteLog(topicPartition)
                    return (topicPartition, ErrorCode.none)
                } catch let error as LogError {
                    return (topicPartition, error.errorCode)
                } catch {
                    return (topicPartition, ErrorCode.kafkaStorageError)
                }
            }
        }
        return EventLoopFuture.whenAllSucceed(futures, on: eventLoops[0]).map { Dictionary($0, uniquingKeysWith: { $1 }) }
    }

    // MARK: Periodic jobs and shutdown

    /// Schedules the periodic jobs (ISR expiry and purgatory purge on every loop, high-watermark
    /// checkpoint on the first). Call once.
    public func start() {
        let isrInterval = max(config.replicaLagTimeMaxMs / 2, 1)
        var tasks: [RepeatedTask] = []
        for (index, loop) in eventLoops.enumerated() {
            tasks.append(
                loop.scheduleRepeatedTask(initialDelay: .milliseconds(isrInterval), delay: .milliseconds(isrInterval)) { _ in
                    self.runIsrExpiry(loopIndex: index)
                })
        }
        if config.highWatermarkCheckpointIntervalMs > 0 {
            let interval = TimeAmount.milliseconds(config.highWatermarkCheckpointIntervalMs)
            tasks.append(
                eventLoops[0].scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
                    self.checkpointHighWatermarks()
                })
        }
        storePeriodicTasks(tasks)
    }

    /// The ISR check and purgatory purge for the partitions of one loop (on that loop).
    func runIsrExpiry(loopIndex index: Int) {
        for partition in allPartitions where partition.eventLoop === eventLoops[index] {
            partition.maybeShrinkIsr()
        }
        producePurgatories[index].purgeCompleted()
        fetchPurgatories[index].purgeCompleted()
    }

    /// Writes the high-watermark (and recovery-point, log-start) checkpoints now.
    public func checkpointHighWatermarks() {
        do {
            try logManager.checkpoint()
        } catch {
            logger.error("high watermark checkpoint failed", metadata: ["error": "\(error)"])
        }
    }

    /// Cancels the periodic jobs, stops every partition (waiting operations complete with
    /// NOT_LEADER_OR_FOLLOWER) and writes a last checkpoint. The logs stay open: close them with
    /// `LogManager.shutdown()` afterwards.
    public func shutdown() -> EventLoopFuture<Void> {
        for task in takePeriodicTasks() { task.cancel() }
        let stopped = removeAllPartitions().map { partition in partition.eventLoop.submit { partition.stop() } }
        return EventLoopFuture.andAllSucceed(stopped, on: eventLoops[0]).map { self.checkpointHighWatermarks() }
    }
}
