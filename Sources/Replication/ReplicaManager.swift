import BrokerCore
import LogStorage
import Logging
import NIOCore
import Synchronization

/// The partitions this broker hosts and the data-path API over them (Kafka `ReplicaManager`):
/// produce (``appendRecords(_:acks:timeoutMs:)``), fetch (``fetchMessages(_:)``), ListOffsets
/// (``offsetForTimestamp(_:timestamp:isolation:currentLeaderEpoch:)``), LeaderAndIsr
/// (``becomeLeaderOrFollower(_:)``, ``makeLeaders(_:)``, ``makeFollowers(_:)``), StopReplica
/// (``stopReplicas(_:delete:)``), and the follower side the replica fetchers drive
/// (``appendFetchedRecords(_:)``, ``truncateOnDivergence(_:leaderEpoch:divergingEpoch:endOffset:)``,
/// ``resetAfterOutOfRange(_:leaderEpoch:leaderLogStartOffset:leaderLogEndOffset:)``; role changes
/// start and stop fetching through the ``FollowerFetchControl``). Leaders' ISR changes are
/// persisted through the ``IsrUpdateWriter`` before they count.
///
/// ## Threading
/// Each partition is owned by one event loop, chosen by a stable hash of its topic partition
/// over ``eventLoops``; its state is touched only there (see ``Partition``). All methods may be
/// called from any thread and return futures; hop results to your channel's loop yourself.
/// The partition registry (topic partition → ``Partition``) is the one shared map, guarded by a
/// `Mutex` that is held only to look up, insert or remove entries.
///
/// ## Periodic jobs
/// ``start()`` schedules on the loops: the ISR check and purgatory purge every
/// `replica.lag.time.max.ms / 2` (each loop for its partitions), and the high-watermark
/// checkpoint (`LogManager.checkpoint()`) every `replica.high.watermark.checkpoint.interval.ms`
/// on the first loop. ``shutdown()`` cancels them, completes waiting operations and writes a
/// final checkpoint (closing the logs stays with `LogManager.shutdown()`).
public final class ReplicaManager: Sendable {
    public let config: ReplicaManagerConfig
    public let logManager: LogManager
    public let eventLoops: [any EventLoop]
    let clock: any TimeSource
    let logger: Logger
    let isrUpdateWriter: (any IsrUpdateWriter)?
    /// One produce and one fetch purgatory per loop (same index as `eventLoops`).
    let producePurgatories: [DelayedOperationPurgatory]
    let fetchPurgatories: [DelayedOperationPurgatory]
    private let partitions = Mutex<[TopicPartition: Partition]>([:])
    private let periodicTasks = Mutex<[RepeatedTask]>([])
    private let fetchControl = Mutex<(any FollowerFetchControl)?>(nil)

    /// - Parameters:
    ///   - eventLoops: the loops partitions are spread over (e.g. every loop of the server's
    ///     group); must not be empty.
    ///   - isrUpdateWriter: persists the ISR changes leaders make (ZooKeeper); nil applies them
    ///     at once (a broker without a cluster, tests).
    public init(
        config: ReplicaManagerConfig, logManager: LogManager, eventLoops: [any EventLoop],
        clock: any TimeSource = SystemTimeSource(), isrUpdateWriter: (any IsrUpdateWriter)? = nil,
        logger: Logger = Logger(label: "martlet.replication")
    ) {
        precondition(!eventLoops.isEmpty, "ReplicaManager needs at least one event loop")
        self.config = config
        self.logManager = logManager
        self.eventLoops = eventLoops
        self.clock = clock
        self.logger = logger
        self.isrUpdateWriter = isrUpdateWriter
        self.producePurgatories = eventLoops.map { DelayedOperationPurgatory(name: "produce", eventLoop: $0) }
        self.fetchPurgatories = eventLoops.map { DelayedOperationPurgatory(name: "fetch", eventLoop: $0) }
    }

    /// Uses every loop of `group`.
    public convenience init(
        config: ReplicaManagerConfig, logManager: LogManager, group: any EventLoopGroup,
        clock: any TimeSource = SystemTimeSource(), isrUpdateWriter: (any IsrUpdateWriter)? = nil,
        logger: Logger = Logger(label: "martlet.replication")
    ) {
        self.init(
            config: config, logManager: logManager, eventLoops: Array(group.makeIterator()), clock: clock,
            isrUpdateWriter: isrUpdateWriter, logger: logger)
    }

    // MARK: Partitions

    /// Index into ``eventLoops`` of the loop owning `partition`: a topic's partitions go round
    /// the loops in partition order, starting at a loop chosen by an FNV-1a hash of the topic
    /// name (stable across runs). A topic with at least as many partitions as loops thus has
    /// them spread evenly (a hash per partition left 6 partitions on 2 of 3 loops for some names).
    public func loopIndex(for partition: TopicPartition) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in partition.topic.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let count = UInt64(eventLoops.count)
        return Int((hash % count + UInt64(UInt32(bitPattern: partition.partition)) % count) % count)
    }

    /// The loop owning `partition`.
    public func eventLoop(for partition: TopicPartition) -> any EventLoop { eventLoops[loopIndex(for: partition)] }

    /// The hosted partition, if any.
    public func partition(_ topicPartition: TopicPartition) -> Partition? {
        partitions.withLock { $0[topicPartition] }
    }

    /// All hosted partitions.
    public var allPartitions: [Partition] { partitions.withLock { Array($0.values) } }

    /// Returns the hosted partition, registering a new one (no role, no log yet) if needed.
    public func getOrCreatePartition(_ topicPartition: TopicPartition) -> Partition {
        partitions.withLock { map in
            if let existing = map[topicPartition] { return existing }
            let index = loopIndex(for: topicPartition)
            let created = Partition(
                topicPartition: topicPartition, localBrokerID: config.localBrokerID, eventLoop: eventLoops[index],
                clock: clock, lagMs: config.replicaLagTimeMaxMs, producePurgatory: producePurgatories[index],
                fetchPurgatory: fetchPurgatories[index], isrUpdateWriter: isrUpdateWriter, logger: logger)
            map[topicPartition] = created
            return created
        }
    }

    func removePartition(_ topicPartition: TopicPartition) -> Partition? {
        partitions.withLock { $0.removeValue(forKey: topicPartition) }
    }

    func removeAllPartitions() -> [Partition] {
        partitions.withLock { map in
            defer { map.removeAll() }
            return Array(map.values)
        }
    }

    /// Connects the replica fetchers (set once by the composition root, before the first
    /// LeaderAndIsr). Without them followers do not fetch.
    public func setFollowerFetchControl(_ control: any FollowerFetchControl) {
        fetchControl.withLock { $0 = control }
    }

    var followerFetchControl: (any FollowerFetchControl)? { fetchControl.withLock { $0 } }

    func storePeriodicTasks(_ tasks: [RepeatedTask]) { periodicTasks.withLock { $0.append(contentsOf: tasks) } }

    func takePeriodicTasks() -> [RepeatedTask] {
        periodicTasks.withLock { tasks in
            defer { tasks.removeAll() }
            return tasks
        }
    }

    /// A copy of a partition's state, nil if not hosted.
    public func partitionInfo(_ topicPartition: TopicPartition) -> EventLoopFuture<PartitionInfo?> {
        guard let partition = partition(topicPartition) else {
            return eventLoop(for: topicPartition).makeSucceededFuture(nil)
        }
        return partition.info().map { Optional($0) }
    }

    /// Sets a topic's `min.insync.replicas` on its hosted partitions (topic config change).
    public func updateMinInSyncReplicas(topic: String, to value: Int) -> EventLoopFuture<Void> {
        let targets = allPartitions.filter { $0.topicPartition.topic == topic }
        let futures = targets.map { partition in partition.eventLoop.submit { partition.setMinInSyncReplicas(value) } }
        return EventLoopFuture.andAllSucceed(futures, on: eventLoops[0])
    }

    // MARK: Follower progress

    /// Records that follower `replica` fetched `partition` at `fetchOffset` (its log end
    /// offset). Leader only; may add it to the ISR, advance the high watermark and complete
    /// acks=all produces. Fetches with `replicaID ≥ 0` call this themselves.
    /// - Returns: `.none`, NOT_LEADER_OR_FOLLOWER, or UNKNOWN_TOPIC_OR_PARTITION.
    public func updateFollowerFetchState(
        _ topicPartition: TopicPartition, replica: BrokerID, fetchOffset: Offset
    ) -> EventLoopFuture<ErrorCode> {
        guard let partition = partition(topicPartition) else {
            return eventLoop(for: topicPartition).makeSucceededFuture(.unknownTopicOrPartition)
        }
        return partition.eventLoop.submit {
            partition.updateFollowerFetchState(replica: replica, fetchOffset: fetchOffset) ?? ErrorCode.none
        }
    }

    /// Runs the ISR check of every hosted partition now (the periodic job does this every
    /// `replica.lag.time.max.ms / 2`).
    public func maybeShrinkIsr() -> EventLoopFuture<Void> {
        let futures = allPartitions.map { partition in partition.eventLoop.submit { partition.maybeShrinkIsr() } }
        return EventLoopFuture.andAllSucceed(futures, on: eventLoops[0])
    }
}
