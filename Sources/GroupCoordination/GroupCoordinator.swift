import BrokerCore
import KafkaProtocol
import Logging
import NIOCore

/// The classic group coordinator: one actor owns every group of the `__consumer_offsets`
/// partitions this broker leads, their timers and their parked JoinGroup/SyncGroup requests.
///
/// Requests mutate a ``Group`` value and execute the returned ``GroupAction``s: parked requests
/// are answered, group metadata is written through the ``GroupLogStore`` (acks=all, timeout
/// `offsetCommitTimeoutMs`). Timers are deadlines kept in the groups; a background task calls
/// ``tick()`` every `timerTickIntervalMs` (tests set 0 and call it themselves), and each request
/// first fires its group's due timers, so expiry never depends on the tick's granularity.
///
/// Leadership changes (``onElection(partition:leaderEpoch:)`` / ``onResignation(partition:leaderEpoch:)``)
/// are queued in call order and applied by one task; loading runs in the background.
/// Call ``shutdown()`` when done: it stops the background tasks.
public actor GroupCoordinator: GroupCoordinatorService {
    /// Where a partition of `__consumer_offsets` stands on this broker.
    enum PartitionState: Equatable {
        /// Being loaded by the load with this token.
        case loading(token: UInt64)
        case owned
    }

    enum Command: Sendable {
        case election(partition: Int32, leaderEpoch: LeaderEpoch)
        case resignation(partition: Int32, leaderEpoch: LeaderEpoch?)
        case barrier(CheckedContinuation<Void, Never>)
    }

    struct MemberKey: Hashable {
        var groupID: String
        var memberID: String
    }

    /// Which API a group-id check is for (empty ids are allowed for some, as in Kafka).
    enum GroupAPI {
        case membership, offsetCommit, offsetFetch, describe, delete, offsetDelete
        var allowsEmptyGroupID: Bool {
            switch self {
            case .offsetCommit, .offsetFetch, .describe, .delete: true
            case .membership, .offsetDelete: false
            }
        }
    }

    let config: GroupCoordinatorConfig
    let store: any GroupLogStore
    let partitionExists: @Sendable (TopicPartition) -> Bool
    let clock: any TimeSource
    let logger: Logger

    var groups: [String: Group] = [:]
    var partitionStates: [Int32: PartitionState] = [:]
    var partitionEpochs: [Int32: LeaderEpoch] = [:]
    var loadTasks: [Int32: Task<Void, Never>] = [:]
    var nextLoadToken: UInt64 = 0
    var nextIncarnation: UInt64 = 0
    var joinWaiters: [MemberKey: [OneShotResult<JoinOutcome>]] = [:]
    var syncWaiters: [MemberKey: [OneShotResult<SyncOutcome>]] = [:]
    var isActive = true
    var nextRetentionCheckMs: Int64
    let commands: AsyncStream<Command>.Continuation

    /// Maximum bytes per read while loading a partition (Kafka's `offsets.load.buffer.size`).
    static let loadBufferSize = 5 * 1024 * 1024

    public init(
        config: GroupCoordinatorConfig, store: any GroupLogStore,
        partitionExists: @escaping @Sendable (TopicPartition) -> Bool, clock: any TimeSource, logger: Logger
    ) {
        self.config = config
        self.store = store
        self.partitionExists = partitionExists
        self.clock = clock
        self.logger = logger
        self.nextRetentionCheckMs = Int64(clock.monotonicNanoseconds / 1_000_000) + config.offsetsRetentionCheckIntervalMs
        let (stream, continuation) = AsyncStream.makeStream(of: Command.self, bufferingPolicy: .unbounded)
        self.commands = continuation
        Task { [weak self] in
            for await command in stream {
                guard let self else { return }
                await self.handle(command)
            }
        }
        let interval = config.timerTickIntervalMs
        if interval > 0 {
            Task { [weak self] in
                while true {
                    try? await Task.sleep(for: .milliseconds(interval))
                    guard let self, await self.isActive else { return }
                    await self.tick()
                }
            }
        }
    }

    // MARK: GroupCoordinatorService basics

    public nonisolated func partition(for groupID: String) -> Int32 {
        offsetsPartition(for: groupID, partitionCount: config.offsetsTopicPartitionCount)
    }

    public nonisolated func onElection(partition: Int32, leaderEpoch: LeaderEpoch) {
        commands.yield(.election(partition: partition, leaderEpoch: leaderEpoch))
    }

    public nonisolated func onResignation(partition: Int32, leaderEpoch: LeaderEpoch?) {
        commands.yield(.resignation(partition: partition, leaderEpoch: leaderEpoch))
    }

    public func shutdown() async {
        guard isActive else { return }
        isActive = false
        commands.finish()
        for task in loadTasks.values { task.cancel() }
        loadTasks.removeAll()
        partitionStates.removeAll()
        let now = currentTime()
        for groupID in groups.keys.sorted() {
            let actions = groups[groupID]?.unload(answering: .notCoordinator, now: now) ?? []
            deliver(actions, groupID: groupID)
        }
        groups.removeAll()
        answerOrphanedWaiters()
    }

    /// Fires due timers of every group and, when due, expires old offsets. Called by the
    /// background task; tests call it after moving their clock.
    public func tick() async {
        guard isActive else { return }
        let now = currentTime()
        for groupID in groups.keys.sorted() {
            if let deadline = groups[groupID]?.nextDeadline, deadline <= now.monotonicMs {
                await fireTimers(groupID)
            }
        }
        if now.monotonicMs >= nextRetentionCheckMs {
            nextRetentionCheckMs = now.monotonicMs + max(config.offsetsRetentionCheckIntervalMs, 1)
            await expireOffsets()
        }
    }

    /// Returns once every queued election/resignation has been applied and every load it started
    /// has finished. For tests and orderly start-up.
    public func waitForLoads() async {
        await withCheckedContinuation { continuation in
            if isActive { commands.yield(.barrier(continuation)) } else { continuation.resume() }
        }
        for task in loadTasks.values { await task.value }
    }

    /// A copy of a group's state, nil if unknown here. For tests and diagnostics.
    public func group(_ groupID: String) -> Group? { groups[groupID] }

    // MARK: Shared helpers

    func currentTime() -> GroupTime {
        GroupTime(wallMs: clock.nowMilliseconds, monotonicMs: Int64(clock.monotonicNanoseconds / 1_000_000))
    }

    /// Kafka's `validateGroupStatus`: INVALID_GROUP_ID, COORDINATOR_NOT_AVAILABLE after shutdown,
    /// COORDINATOR_LOAD_IN_PROGRESS while the group's partition loads, NOT_COORDINATOR if this
    /// broker does not lead it.
    func statusError(_ groupID: String, api: GroupAPI) -> ErrorCode? {
        if groupID.isEmpty && !api.allowsEmptyGroupID { return .invalidGroupId }
        if !isActive { return .coordinatorNotAvailable }
        switch partitionStates[partition(for: groupID)] {
        case .loading: return .coordinatorLoadInProgress
        case .owned: return nil
        case nil: return .notCoordinator
        }
    }

    /// A new Empty group registered under `groupID`.
    func createGroup(_ groupID: String, now: GroupTime) {
        var group = Group(
            groupID: groupID, initialRebalanceDelayMs: config.groupInitialRebalanceDelayMs, maxSize: config.groupMaxSize,
            now: now)
        nextIncarnation += 1
        group.incarnation = nextIncarnation
        groups[groupID] = group
    }

    /// Fires the group's due timers.
    func fireTimers(_ groupID: String) async {
        let now = currentTime()
        guard let deadline = groups[groupID]?.nextDeadline, deadline <= now.monotonicMs,
            let actions = groups[groupID]?.expireTimers(now: now)
        else { return }
        await execute(actions, groupID: groupID)
    }

    /// Performs `actions` of `groupID`: answers first (synchronously, so no parked request is
    /// mistaken for an orphan meanwhile), then writes, each write feeding its result back.
    func execute(_ actions: [GroupAction], groupID: String) async {
        deliver(actions, groupID: groupID)
        for action in actions {
            guard case .storeGroup(let store) = action else { continue }
            await storeGroup(store, groupID: groupID)
        }
    }

    /// Delivers the answers among `actions`, then answers parked requests whose member no longer
    /// waits (removed, fenced, unloaded) so that no request is left hanging.
    func deliver(_ actions: [GroupAction], groupID: String) {
        for action in actions {
            switch action {
            case .completeJoin(let memberID, let outcome):
                for waiter in joinWaiters.removeValue(forKey: MemberKey(groupID: groupID, memberID: memberID)) ?? [] {
                    waiter.deliver(outcome)
                }
            case .completeSync(let memberID, let outcome):
                for waiter in syncWaiters.removeValue(forKey: MemberKey(groupID: groupID, memberID: memberID)) ?? [] {
                    waiter.deliver(outcome)
                }
            case .storeGroup:
                break
            }
        }
        answerOrphanedWaiters()
    }

    func answerOrphanedWaiters() {
        for key in Array(joinWaiters.keys) {
            guard let group = groups[key.groupID] else {
                for waiter in joinWaiters.removeValue(forKey: key) ?? [] {
                    waiter.deliver(.failure(.notCoordinator, memberID: key.memberID))
                }
                continue
            }
            if group.member(key.memberID)?.isAwaitingJoin != true {
                for waiter in joinWaiters.removeValue(forKey: key) ?? [] {
                    waiter.deliver(.failure(.unknownMemberId, memberID: ""))
                }
            }
        }
        for key in Array(syncWaiters.keys) {
            guard let group = groups[key.groupID] else {
                for waiter in syncWaiters.removeValue(forKey: key) ?? [] { waiter.deliver(.failure(.notCoordinator)) }
                continue
            }
            if group.member(key.memberID)?.isAwaitingSync != true {
                for waiter in syncWaiters.removeValue(forKey: key) ?? [] { waiter.deliver(.failure(.unknownMemberId)) }
            }
        }
    }

    func parkJoin(groupID: String, memberID: String) -> OneShotResult<JoinOutcome> {
        let waiter = OneShotResult<JoinOutcome>()
        joinWaiters[MemberKey(groupID: groupID, memberID: memberID), default: []].append(waiter)
        return waiter
    }

    func parkSync(groupID: String, memberID: String) -> OneShotResult<SyncOutcome> {
        let waiter = OneShotResult<SyncOutcome>()
        syncWaiters[MemberKey(groupID: groupID, memberID: memberID), default: []].append(waiter)
        return waiter
    }

    /// Writes the group's metadata record and reports the result to the group.
    func storeGroup(_ groupStore: GroupStore, groupID: String) async {
        let partition = partition(for: groupID)
        let batch = GroupRecords.batch(
            [(key: GroupRecords.groupKey(groupID), value: GroupRecords.groupValue(groupStore.value))],
            timestamp: clock.nowMilliseconds)
        let result = await store.append(partition: partition, batch: batch, timeoutMs: config.offsetCommitTimeoutMs)
        let error = GroupStoreErrors.forGroupMetadata(result.errorCode)
        if result.errorCode != .none {
            logger.warning(
                "writing group metadata failed",
                metadata: ["group": "\(groupID)", "error": "\(result.errorCode)", "generation": "\(groupStore.value.generation)"])
        }
        guard let actions = groups[groupID]?.groupStored(groupStore, error: error, now: currentTime()) else {
            answerOrphanedWaiters()
            return
        }
        await execute(actions, groupID: groupID)
    }

    /// Appends tombstones (and nothing else); errors are logged only, as Kafka does: the next
    /// cleanup writes them again if the state is still there.
    func appendTombstones(_ keys: [ByteBuffer], partition: Int32) async {
        guard !keys.isEmpty else { return }
        let batch = GroupRecords.batch(keys.map { (key: $0, value: nil) }, timestamp: clock.nowMilliseconds)
        let result = await store.append(partition: partition, batch: batch, timeoutMs: config.offsetCommitTimeoutMs)
        if result.errorCode != .none {
            logger.warning(
                "writing tombstones to __consumer_offsets failed",
                metadata: ["partition": "\(partition)", "error": "\(result.errorCode)"])
        }
    }

    /// Removes the given offsets of a group (already taken out of the group), marks an Empty
    /// group without offsets Dead and drops it, and writes the tombstones (Kafka's
    /// `cleanupGroupMetadata`; no group tombstone for generation 0, offsets-only groups).
    func cleanUp(_ groupID: String, removedOffsets: [TopicPartition]) async {
        guard var group = groups[groupID] else { return }
        let now = currentTime()
        if group.state == .empty && !group.hasOffsets { group.markDead(now: now) }
        var tombstones = removedOffsets.map { GroupRecords.offsetKey(group: groupID, partition: $0) }
        if group.state == .dead {
            groups[groupID] = nil
            answerOrphanedWaiters()
            if group.generationID > 0 { tombstones.append(GroupRecords.groupKey(groupID)) }
        } else {
            groups[groupID] = group
        }
        await appendTombstones(tombstones, partition: partition(for: groupID))
    }
}
