import BrokerCore
import Coordination
import Logging

/// Kafka's ZooKeeper-mode controller (`KafkaController`): one runs on every broker; the one that
/// wins the election at `/controller` manages leaders and ISRs for the whole cluster, writing
/// partition states fenced by its epoch and pushing LeaderAndIsr / UpdateMetadata / StopReplica
/// to brokers through a `ControllerChannel`.
///
/// Lifecycle: create it, run `run()` in a task for as long as the broker lives (it elects at once
/// and re-elects whenever `/controller` disappears or the ZooKeeper session is renewed), call
/// `shutdown()` to stop (then `run()` returns). Register the broker itself separately
/// (`KafkaZooKeeperClient.registerBroker`).
///
/// Concurrency: an actor; all events (watches, session changes, controlled shutdowns) go through
/// one queue and are processed one at a time by `run()`. Requests to brokers go out through one
/// serial queue per broker, so a slow broker never blocks the controller. While ZooKeeper is
/// unreachable, event processing waits for the connection.
///
/// Not implemented: preferred leader election (`auto.leader.rebalance.enable`), partition
/// reassignment, log-dir events.
public actor ZooKeeperController {
    public nonisolated let configuration: ControllerConfiguration
    let zk: KafkaZooKeeperClient
    let channel: any ControllerChannel
    let timeSource: any TimeSource
    let logger: Logger

    private let events: AsyncStream<ControllerEvent>
    let eventSink: AsyncStream<ControllerEvent>.Continuation
    private let sessionEventStream: AsyncStream<SessionEvent>
    private let statusBroadcaster = Broadcaster<ControllerStatus>()

    /// Who controls the cluster, as this controller knows it.
    public private(set) var status = ControllerStatus.unknown
    /// True while active (then `context` is valid).
    var isActive = false
    var context = ControllerContext.inactive
    /// Bumped on every election and resignation; child watches of older incarnations are ignored.
    var generation: UInt64 = 0
    var queues = BrokerRequestQueues()
    private var electedSession: SessionID?
    private var controllerWatchToken: UInt64?
    private var watchTasks: [UInt64: Task<Void, Never>] = [:]
    private var nextWatchToken: UInt64 = 0
    private var stopping = false

    var brokerID: BrokerID { configuration.brokerID }

    /// - Parameters:
    ///   - store: this broker's coordination session (the controller subscribes to its session
    ///     events now, so none are missed before `run()`).
    ///   - channel: how to reach brokers.
    public init(
        configuration: ControllerConfiguration, store: any CoordinationStore, channel: any ControllerChannel,
        timeSource: any TimeSource = SystemTimeSource(), logger: Logger = Logger(label: "martlet.controller")
    ) {
        self.configuration = configuration
        self.zk = KafkaZooKeeperClient(store: store)
        self.channel = channel
        self.timeSource = timeSource
        var logger = logger
        logger[metadataKey: "broker"] = "\(configuration.brokerID)"
        self.logger = logger
        (events, eventSink) = AsyncStream.makeStream(of: ControllerEvent.self, bufferingPolicy: .unbounded)
        sessionEventStream = store.sessionEvents()
        eventSink.yield(.startup)
    }

    // MARK: Public API

    /// Processes events until `shutdown()` or until the store is closed. Call once.
    public func run() async {
        let sink = eventSink
        let sessionEvents = sessionEventStream
        let forwarder = Task {
            for await event in sessionEvents { sink.yield(.session(event)) }
        }
        for await event in events {
            await process(event)
        }
        forwarder.cancel()
        for task in watchTasks.values { task.cancel() }
        watchTasks = [:]
        queues.stopAll()
        statusBroadcaster.finish()
    }

    /// Stops the controller: resigns if active (deleting `/controller` so another broker takes
    /// over at once) and makes `run()` return. Pending controlled shutdowns fail with
    /// `ClusterMetadataError.controllerStopped`.
    public nonisolated func shutdown() {
        eventSink.yield(.shutdown)
    }

    /// A new subscription to status changes (not replayed; read `status` after subscribing).
    public nonisolated func statusUpdates() -> AsyncStream<ControllerStatus> {
        statusBroadcaster.subscribe()
    }

    /// The controller id in `/controller` (nil if none), read from ZooKeeper now.
    public func currentController() async throws -> BrokerID? {
        try await zk.currentController()
    }

    /// Kafka's ControlledShutdown: moves leadership of every partition `broker` leads to another
    /// live ISR member (ISR without the broker, leader epoch + 1), removes it from the ISR of
    /// partitions it follows, and returns the replicated partitions it still leads (no other ISR
    /// member could take over); the broker retries until this is empty, then exits.
    ///
    /// Throws `ClusterMetadataError.notController` (not active), `.brokerNotAvailable` (not
    /// registered), `.staleBrokerEpoch` (`brokerEpoch` older than the registration's), or
    /// `.controllerStopped`.
    public nonisolated func controlledShutdown(broker: BrokerID, brokerEpoch: BrokerEpoch) async throws
        -> Set<TopicPartition>
    {
        try await withCheckedThrowingContinuation { continuation in
            let result = eventSink.yield(
                .controlledShutdown(broker: broker, brokerEpoch: brokerEpoch, reply: continuation))
            if case .terminated = result {
                continuation.resume(throwing: ClusterMetadataError.controllerStopped)
            }
        }
    }

    // MARK: Event processing

    private func process(_ event: ControllerEvent) async {
        if stopping {
            if case .controlledShutdown(_, _, let reply) = event {
                reply.resume(throwing: ClusterMetadataError.controllerStopped)
            }
            return
        }
        switch event {
        case .startup:
            await elect()
        case .session(let sessionEvent):
            await handleSession(sessionEvent)
        case .watchFired(let znode, let type, let generation, let token):
            watchTasks[token] = nil
            await handleWatch(znode, type: type, generation: generation, token: token)
        case .controlledShutdown(let broker, let brokerEpoch, let reply):
            do {
                let remaining = try await guarded { try await self.processControlledShutdown(broker, brokerEpoch) }
                reply.resume(returning: remaining)
            } catch {
                reply.resume(throwing: error)
            }
        case .shutdown:
            await stop(deletingControllerZNode: true)
        }
    }

    private func handleSession(_ event: SessionEvent) async {
        switch event {
        case .sessionExpired:
            logger.info("ZooKeeper session expired")
            if isActive { resign() }
            controllerWatchToken = nil
            updateStatus(activeController: nil)
        case .sessionStarted(let session):
            if isActive && electedSession == session { return }
            if isActive { resign() }
            controllerWatchToken = nil
            await elect()
        case .closed:
            await stop(deletingControllerZNode: false)
        case .disconnected, .reconnected:
            return
        }
    }

    private func handleWatch(_ znode: WatchedZNode, type: WatchEventType, generation: UInt64, token: UInt64) async {
        if case .controller = znode {
            guard token == controllerWatchToken else { return }
            controllerWatchToken = nil
            // A lost watch means a new session: `.sessionStarted` re-arms it and re-elects.
            if type != .watchLost { await handleControllerChange() }
            return
        }
        guard isActive, generation == self.generation, type != .watchLost else { return }
        do {
            try await guarded {
                switch znode {
                case .brokers: try await self.processBrokerChange()
                case .topics: try await self.processTopicChange()
                case .topicDeletions: try await self.processTopicDeletions()
                case .isrChanges: try await self.processIsrChangeNotifications()
                case .topicPartitions(let topic): try await self.processPartitionModifications(topic)
                case .controller: return
                }
            }
        } catch {
            logger.error("controller event failed", metadata: ["znode": "\(znode)", "error": "\(error)"])
        }
    }

    /// Runs a handler; on `ControllerMovedError` resigns (Kafka's `triggerControllerMove`) before
    /// rethrowing.
    func guarded<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as ControllerMovedError {
            logger.warning("controller moved; resigning", metadata: ["error": "\(error)"])
            let fence = context.fence
            if isActive {
                resign()
                try? await zk.deleteController(fence: fence)
            }
            updateStatus(activeController: try? await zk.currentController())
            throw error
        }
    }

    // MARK: Election

    /// Kafka's `elect`: arm the `/controller` watch; if nobody controls, try to win the election.
    private func elect() async {
        if isActive { return }
        do {
            if let current = try await armControllerWatch() {
                updateStatus(activeController: current)
                return
            }
            let fence = try await zk.registerControllerAndIncrementEpoch(brokerID, timestamp: timeSource.nowMilliseconds)
            electedSession = await zk.store.sessionID
            logger.info("elected controller", metadata: ["epoch": "\(fence.epoch)"])
            try await guarded { try await self.onControllerFailover(fence) }
        } catch is ControllerMovedError {
            updateStatus(activeController: try? await zk.currentController())
        } catch {
            logger.error("controller election failed", metadata: ["error": "\(error)"])
        }
    }

    /// `/controller` changed or vanished: resign if it is no longer us, elect if it is gone.
    private func handleControllerChange() async {
        do {
            let current = try await armControllerWatch()
            if isActive && current != brokerID {
                logger.info("another broker became controller; resigning")
                resign()
            }
            if current == nil {
                await elect()
            } else {
                updateStatus(activeController: current)
            }
        } catch {
            logger.error("cannot read /controller", metadata: ["error": "\(error)"])
        }
    }

    /// Arms the exists-watch on `/controller` (once) and returns the controller id in it.
    private func armControllerWatch() async throws -> BrokerID? {
        let store = zk.store
        let stat: NodeStat?
        if controllerWatchToken == nil {
            let (found, watch) = try await zk.retrying { try await store.existsAndWatch(KafkaZNodePaths.controller) }
            controllerWatchToken = spawnWatchTask(watch, .controller)
            stat = found
        } else {
            stat = try await zk.retrying { try await store.exists(KafkaZNodePaths.controller) }
        }
        guard stat != nil else { return nil }
        return try await zk.currentController()
    }

    /// Becomes inactive (Kafka's `onControllerResignation`): forgets the context, stops the
    /// broker queues (dropping what they hold), ignores the watches armed while active.
    func resign() {
        guard isActive else { return }
        logger.info("resigning as controller", metadata: ["epoch": "\(context.fence.epoch)"])
        isActive = false
        generation &+= 1
        context = .inactive
        electedSession = nil
        queues.stopAll()
        updateStatus(activeController: status.activeController == brokerID ? nil : status.activeController)
    }

    private func stop(deletingControllerZNode: Bool) async {
        if isActive {
            let fence = context.fence
            resign()
            if deletingControllerZNode { try? await zk.deleteController(fence: fence) }
        }
        stopping = true
        eventSink.finish()
    }

    // MARK: Helpers for the handlers

    /// Publishes the status after a change.
    func updateStatus(activeController: BrokerID?) {
        let new = ControllerStatus(
            isActive: isActive, activeController: isActive ? brokerID : activeController,
            epoch: isActive ? context.fence.epoch : nil)
        guard new != status else { return }
        status = new
        statusBroadcaster.publish(new)
    }

    /// Reads `path`'s children and arms a child watch reported as `znode` for this incarnation.
    /// A missing `path` is created first (Kafka's persistent paths).
    func armChildWatch(_ path: String, _ znode: WatchedZNode) async throws -> [String] {
        let store = zk.store
        let (children, watch) = try await zk.retrying {
            do {
                return try await store.childrenAndWatch(path)
            } catch CoordinationError.noNode {
                try await store.ensurePersistentPath(path)
                return try await store.childrenAndWatch(path)
            }
        }
        spawnWatchTask(watch, znode)
        return children
    }

    @discardableResult
    func spawnWatchTask(_ watch: Watch, _ znode: WatchedZNode) -> UInt64 {
        nextWatchToken &+= 1
        let token = nextWatchToken
        let generation = self.generation
        let sink = eventSink
        watchTasks[token] = Task {
            guard let event = try? await watch.event() else { return }
            sink.yield(.watchFired(znode, type: event.type, generation: generation, token: token))
        }
        return token
    }
}
