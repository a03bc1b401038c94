import CZooKeeper
import Coordination
import Logging

/// The `CoordinationStore` over a real ZooKeeper ensemble, through the multi-threaded C client.
///
/// Life cycle: `connect(_:)` returns once the first session is established (creating the chroot
/// first if configured). The C client reconnects by itself after connection loss (publishing
/// `.disconnected` then `.reconnected`); operations meanwhile fail at once with `.connectionLoss`.
/// When the session expires, the store publishes `.sessionExpired`, fires the old session's
/// watches with `.watchLost`, replaces the C handle with a new session and publishes
/// `.sessionStarted`; owners then re-create ephemerals (see `EphemeralNodeKeeper`), re-arm watches
/// and re-run elections. `close()` ends the session.
///
/// Concurrency: an actor owns the C handle. C callbacks never touch actor state: completions
/// resume the awaiting task directly (`ZooKeeperOperationBox`), session changes and fired watches
/// are yielded into an `AsyncStream` the actor consumes in order. Every request ends exactly once:
/// requests the library never completes (it can drop some while closing) are completed after
/// `zookeeper_close` with `.closed` (or `.sessionExpired` for a replaced handle). No `zoo_*` call
/// happens after `zookeeper_close`, and the blocking `zookeeper_init`/`zookeeper_close` run on
/// dedicated threads, never on Swift concurrency or NIO threads.
///
/// Dropping the last reference without `close()` closes the handle in the background.
public actor ZooKeeperCoordinationStore: CoordinationStore {
    public nonisolated let configuration: ZooKeeperConfiguration
    let logger: Logger
    private let broadcaster = Broadcaster<SessionEvent>()
    private let handleEvents: AsyncStream<ZooKeeperHandleEvent>
    private let handleEventsInput: AsyncStream<ZooKeeperHandleEvent>.Continuation
    private var machine = ZooKeeperSessionStateMachine()
    private var handle: ZooKeeperHandle?
    private var generation: UInt64 = 0
    private var watches: [UInt64: ArmedWatch] = [:]
    private var lastWatchToken: UInt64 = 0
    private var eventLoop: Task<Void, Never>?
    private var closing: Task<Void, Never>?

    struct ArmedWatch {
        let generation: UInt64
        let path: String
        let trigger: WatchTrigger
    }

    /// Connects and waits for the first session (at most `configuration.connectionTimeout`).
    /// Throws `CoordinationError.connectionLoss` if no session could be established in time.
    public static func connect(
        _ configuration: ZooKeeperConfiguration,
        logger: Logger = Logger(label: "martlet.zookeeper")
    ) async throws -> ZooKeeperCoordinationStore {
        if configuration.createChrootIfMissing, let chroot = configuration.connectString.chroot {
            var plain = configuration
            plain.connectString = configuration.connectString.withoutChroot
            plain.createChrootIfMissing = false
            let root = try await connect(plain, logger: logger)
            do {
                try await root.ensurePersistentPath(chroot)
            } catch {
                await root.close()
                throw error
            }
            await root.close()
        }
        let store = ZooKeeperCoordinationStore(configuration: configuration, logger: logger)
        do {
            try await store.start()
            try await withTimeout(configuration.connectionTimeout, onTimeout: .connectionLoss) {
                try await store.waitUntilConnected()
            }
        } catch {
            await store.close()
            throw error
        }
        return store
    }

    private init(configuration: ZooKeeperConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        (handleEvents, handleEventsInput) = AsyncStream.makeStream(
            of: ZooKeeperHandleEvent.self, bufferingPolicy: .unbounded)
    }

    deinit {
        handleEventsInput.finish()
        eventLoop?.cancel()
        if let handle { Task.detached { await handle.close() } }
        for watch in watches.values { watch.trigger.fire(WatchEvent(type: .watchLost, path: watch.path)) }
        broadcaster.finish(with: .closed)
    }

    // MARK: Session

    public var sessionState: SessionState { machine.sessionState }

    public nonisolated func sessionEvents() -> AsyncStream<SessionEvent> { broadcaster.subscribe() }

    /// The current session's credentials, while a session is held.
    public var sessionCredentials: ZooKeeperSessionCredentials? {
        guard let handle, machine.sessionState.sessionID != nil else { return nil }
        return handle.credentials
    }

    /// The session timeout the server granted, while a session is held.
    public var negotiatedSessionTimeout: Duration? {
        guard let handle, machine.sessionState.sessionID != nil else { return nil }
        return .milliseconds(handle.negotiatedSessionTimeoutMilliseconds)
    }

    public func close() async {
        if closing == nil {
            closing = Task { await self.performClose() }
        }
        await closing?.value
    }

    private func performClose() async {
        _ = machine.close()
        let old = handle
        handle = nil
        generation += 1
        if let old { await old.close() }
        handleEventsInput.finish()
        await eventLoop?.value
        loseWatches { _ in true }
        broadcaster.finish(with: .closed)
    }

    /// Opens the first handle, then starts consuming its events. Handle events are only ever
    /// processed after their handle is installed: here they wait in the stream until the loop
    /// starts; a renewal (`renewHandle`) runs inside the loop, which holds them back meanwhile.
    private func start() async throws {
        try await openHandle(retrying: false)
        let events = handleEvents
        eventLoop = Task { [weak self] in
            for await event in events {
                guard let self else { return }
                await self.process(event)
            }
        }
    }

    /// Opens a handle for the current generation. Without `retrying`, a failure to create the
    /// handle (e.g. unresolvable hosts) throws; with it, retries with backoff until closed.
    private func openHandle(retrying: Bool) async throws {
        var delay = Duration.milliseconds(100)
        while !machine.isClosed {
            let current = generation
            let opened = await ZooKeeperHandle.open(
                configuration.connectString, sessionTimeoutMilliseconds: configuration.sessionTimeoutMilliseconds,
                generation: current, events: handleEventsInput)
            if let opened {
                guard !machine.isClosed, current == generation else {
                    await opened.close()
                    return
                }
                handle = opened
                machine.handleReplaced()
                return
            }
            guard retrying else {
                throw CoordinationError.unexpected(
                    code: -8, message: "cannot create a ZooKeeper client for '\(configuration.connectString)'")
            }
            logger.warning("cannot create a ZooKeeper client, retrying", metadata: ["retryIn": "\(delay)"])
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(5))
        }
    }

    private func process(_ event: ZooKeeperHandleEvent) async {
        switch event {
        case .session(let eventGeneration, let state):
            guard eventGeneration == generation, let handle else { return }
            if state == ZOO_CONNECTED_STATE {
                perform(machine.connected(handle.credentials.sessionID))
            } else if state == ZOO_CONNECTING_STATE || state == ZOO_ASSOCIATING_STATE
                || state == ZOO_NOTCONNECTED_STATE
            {
                perform(machine.disconnected())
            } else if state == ZOO_EXPIRED_SESSION_STATE || state == ZOO_AUTH_FAILED_STATE {
                if case .renewSession(let announcement) = machine.expired() {
                    logger.info("ZooKeeper session expired, establishing a new one")
                    if let announcement { broadcaster.publish(announcement) }
                    loseWatches { $0 == eventGeneration }
                    await renewHandle()
                }
            }
        case .watch(_, let token, let type, let state, let path):
            guard let armed = watches[token] else { return }
            if type == ZOO_SESSION_EVENT {
                if state == ZOO_EXPIRED_SESSION_STATE || state == ZOO_AUTH_FAILED_STATE {
                    watches[token] = nil
                    armed.trigger.fire(WatchEvent(type: .watchLost, path: armed.path))
                }
                return
            }
            watches[token] = nil
            armed.trigger.fire(WatchEvent(type: Self.watchEventType(type), path: path))
        }
    }

    private func perform(_ action: ZooKeeperSessionStateMachine.Action) {
        switch action {
        case .none: return
        case .publish(let event):
            logger.debug("ZooKeeper session event", metadata: ["event": "\(event)"])
            broadcaster.publish(event)
        case .renewSession:
            return  // only returned by `expired()`, handled in `process`
        }
    }

    private func renewHandle() async {
        let old = handle
        handle = nil
        generation += 1
        if let old { await old.close(completingPendingWith: ZSESSIONEXPIRED.rawValue) }
        try? await openHandle(retrying: true)
    }

    // MARK: Watches

    /// Arms a watch entry before the request is sent, so its event always finds it.
    func armWatch(_ path: String) -> (token: UInt64, trigger: WatchTrigger) {
        lastWatchToken += 1
        let trigger = WatchTrigger()
        watches[lastWatchToken] = ArmedWatch(generation: generation, path: path, trigger: trigger)
        return (lastWatchToken, trigger)
    }

    /// Forgets a watch the server did not register (the request failed).
    func disarmWatch(_ token: UInt64) {
        watches[token] = nil
    }

    private func loseWatches(where belongs: (UInt64) -> Bool) {
        let lost = watches.filter { belongs($0.value.generation) }
        for (token, armed) in lost.sorted(by: { $0.key < $1.key }) {
            watches[token] = nil
            armed.trigger.fire(WatchEvent(type: .watchLost, path: armed.path))
        }
    }

    private static func watchEventType(_ type: Int32) -> WatchEventType {
        switch type {
        case ZOO_CREATED_EVENT: .nodeCreated
        case ZOO_DELETED_EVENT: .nodeDeleted
        case ZOO_CHANGED_EVENT: .nodeDataChanged
        case ZOO_CHILD_EVENT: .nodeChildrenChanged
        default: .watchLost
        }
    }

    // MARK: Requests

    /// Sends one request through `call(handle, context)` and awaits its reply. Fails at once with
    /// `.connectionLoss` (or `.closed`) when no session is connected.
    func submit(
        multiRequest: ZooKeeperMultiRequest? = nil,
        _ call: (OpaquePointer, UnsafeMutableRawPointer) -> Int32
    ) async throws -> ZooKeeperReply {
        guard let handle, machine.acceptsOperations else {
            throw machine.isClosed ? CoordinationError.closed : CoordinationError.connectionLoss
        }
        return await withCheckedContinuation { continuation in
            let box = ZooKeeperOperationBox(continuation, requests: handle.requests, multiRequest: multiRequest)
            let context = handle.requests.register(box)
            let code = call(handle.raw, context)
            guard code != ZooKeeperResultCode.ok else { return }
            // ZMARSHALLINGERROR may come after the library registered the completion: leave the
            // box registered then (a late completion or `abandonAll` takes it back).
            if code != ZooKeeperResultCode.marshallingError { _ = handle.requests.take(context) }
            box.complete(ZooKeeperReply(code: code, payload: .none))
        }
    }
}
