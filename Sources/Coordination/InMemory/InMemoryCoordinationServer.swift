import BrokerCore

/// An in-memory stand-in for a ZooKeeper ensemble: one znode tree shared by any number of client
/// sessions (`connect()`), with deterministic fault injection per client.
///
/// What it models: versions and zxids, ephemeral nodes deleted when their session ends, sequential
/// names, atomic transactions, one-shot watches, disconnection (operations fail with
/// `.connectionLoss`; watch events are held back and delivered on reconnection, as ZooKeeper does),
/// and session expiry (ephemerals vanish, the expired session's watches fire `.watchLost`, the
/// client learns of it at once if connected or on reconnection, then starts a new session).
/// What it does not model: time-based expiry (expire explicitly), ACLs, quotas, size limits.
///
/// Thread-safety: an actor; it owns the tree, the watches and every client's state.
public actor InMemoryCoordinationServer {
    struct Client {
        let broadcaster: Broadcaster<SessionEvent>
        var session: SessionID
        var connected = true
        var closed = false
        /// The server expired the session while the client was disconnected.
        var expiredUnnoticed = false
        /// Watch events held back while disconnected (or lost triggers after an unnoticed expiry).
        var pending: [(WatchTrigger, WatchEvent)] = []
        var injectedFailures: [InjectedFailure] = []
    }

    struct InjectedFailure {
        let error: CoordinationError
        let afterApplying: Bool
    }

    private let timeSource: any TimeSource
    private var tree: InMemoryZNodeTree
    private var watches = InMemoryWatchTable()
    private var clients: [Int: Client] = [:]
    private var nextClient = 0
    private var nextSession: Int64 = 0x100_0000_0000

    public init(timeSource: any TimeSource = SystemTimeSource()) {
        self.timeSource = timeSource
        self.tree = InMemoryZNodeTree(now: timeSource.nowMilliseconds)
    }

    /// Opens a new client with a new, connected session.
    public func connect() -> InMemoryCoordinationStore {
        nextClient += 1
        let broadcaster = Broadcaster<SessionEvent>()
        clients[nextClient] = Client(broadcaster: broadcaster, session: newSessionID())
        return InMemoryCoordinationStore(server: self, clientID: nextClient, broadcaster: broadcaster)
    }

    /// Every path in the tree, sorted (for assertions and debugging).
    public var allPaths: [String] { tree.nodes.keys.sorted() }

    /// Expires `session` server-side, whichever client holds it. Unknown sessions are ignored.
    public func expire(_ session: SessionID) {
        guard let id = clients.first(where: { $0.value.session == session && !$0.value.closed })?.key else { return }
        expireSession(ofClient: id)
    }

    // MARK: Client operations (called by InMemoryCoordinationStore)

    func sessionState(of id: Int) -> SessionState {
        guard let client = clients[id], !client.closed else { return .closed }
        return client.connected ? .connected(client.session) : .disconnected(client.session)
    }

    func create(client id: Int, _ path: String, data: [UInt8], mode: CreateMode) throws -> CreatedNode {
        try write(client: id, .create(path: path, data: data, mode: mode)) { result, stat in
            guard case .created(let actual) = result, let stat else { throw CoordinationError.closed }
            return CreatedNode(path: actual, stat: stat)
        }
    }

    func setData(client id: Int, _ path: String, data: [UInt8], expectedVersion: ExpectedVersion) throws -> NodeStat {
        try write(client: id, .setData(path: path, data: data, expectedVersion: expectedVersion)) { _, stat in
            guard let stat else { throw CoordinationError.closed }
            return stat
        }
    }

    func delete(client id: Int, _ path: String, expectedVersion: ExpectedVersion) throws {
        try write(client: id, .delete(path: path, expectedVersion: expectedVersion)) { _, _ in () }
    }

    func multi(client id: Int, _ operations: [TransactionOperation]) throws -> [TransactionResult] {
        let failure = try admit(id)
        if operations.isEmpty { return try finish([], failure) }
        let owner = clients[id]?.session
        if let failure, !failure.afterApplying { throw failure.error }
        let (results, changes) = try tree.applyTransaction(operations, owner: owner, now: timeSource.nowMilliseconds)
        fire(changes)
        return try finish(results, failure)
    }

    func getData(client id: Int, _ path: String, watch: Bool) throws -> (NodeData, Watch?) {
        let failure = try admit(id)
        if let failure, !failure.afterApplying { throw failure.error }
        try CoordinationPath.validate(path)
        guard let node = tree.node(at: path) else { throw CoordinationError.noNode(path) }
        let armed = watch ? arm(client: id, .data, path) : nil
        return try finish((NodeData(data: node.data, stat: node.stat), armed), failure)
    }

    func exists(client id: Int, _ path: String, watch: Bool) throws -> (NodeStat?, Watch?) {
        let failure = try admit(id)
        if let failure, !failure.afterApplying { throw failure.error }
        try CoordinationPath.validate(path)
        let armed = watch ? arm(client: id, .data, path) : nil
        return try finish((tree.node(at: path)?.stat, armed), failure)
    }

    func children(client id: Int, _ path: String, watch: Bool) throws -> ([String], Watch?) {
        let failure = try admit(id)
        if let failure, !failure.afterApplying { throw failure.error }
        try CoordinationPath.validate(path)
        guard let names = tree.sortedChildren(of: path) else { throw CoordinationError.noNode(path) }
        let armed = watch ? arm(client: id, .children, path) : nil
        return try finish((names, armed), failure)
    }

    func close(client id: Int) {
        guard var client = clients[id], !client.closed else { return }
        client.closed = true
        let lost = watches.removeAll(of: client.session).map { ($0.trigger, $0.lost) } + client.pending
        client.pending = []
        clients[id] = client
        for (trigger, event) in lost { trigger.fire(WatchEvent(type: .watchLost, path: event.path)) }
        fire(tree.deleteEphemerals(of: client.session))
        client.broadcaster.finish(with: .closed)
    }

    // MARK: Fault injection (called by InMemoryCoordinationStore)

    func disconnect(client id: Int) {
        guard var client = clients[id], !client.closed, client.connected else { return }
        client.connected = false
        clients[id] = client
        client.broadcaster.publish(.disconnected(client.session))
    }

    func reconnect(client id: Int) {
        guard var client = clients[id], !client.closed, !client.connected else { return }
        client.connected = true
        if client.expiredUnnoticed {
            clients[id] = client
            noticeExpiry(ofClient: id)
            return
        }
        let pending = client.pending
        client.pending = []
        clients[id] = client
        client.broadcaster.publish(.reconnected(client.session))
        for (trigger, event) in pending { trigger.fire(event) }
    }

    func expireSession(ofClient id: Int) {
        guard var client = clients[id], !client.closed, !client.expiredUnnoticed else { return }
        let lost = watches.removeAll(of: client.session)
        if client.connected {
            fire(tree.deleteEphemerals(of: client.session))
            for registration in lost { registration.trigger.fire(registration.lost) }
            noticeExpiry(ofClient: id)
        } else {
            client.expiredUnnoticed = true
            client.pending += lost.map { ($0.trigger, $0.lost) }
            clients[id] = client
            fire(tree.deleteEphemerals(of: client.session))
        }
    }

    func injectFailure(client id: Int, _ error: CoordinationError, afterApplying: Bool) {
        clients[id]?.injectedFailures.append(InjectedFailure(error: error, afterApplying: afterApplying))
    }

    // MARK: Internals

    private func newSessionID() -> SessionID {
        nextSession += 1
        return SessionID(nextSession)
    }

    /// The client learns that its session expired: lost watches fire, a new session starts.
    private func noticeExpiry(ofClient id: Int) {
        guard var client = clients[id] else { return }
        let old = client.session
        let pending = client.pending
        client.pending = []
        client.expiredUnnoticed = false
        client.session = newSessionID()
        clients[id] = client
        for (trigger, event) in pending { trigger.fire(WatchEvent(type: .watchLost, path: event.path)) }
        client.broadcaster.publish(.sessionExpired(old))
        client.broadcaster.publish(.sessionStarted(client.session))
    }

    /// Checks that the client may run an operation now and pops an injected failure.
    private func admit(_ id: Int) throws -> InjectedFailure? {
        guard var client = clients[id], !client.closed else { throw CoordinationError.closed }
        guard client.connected else { throw CoordinationError.connectionLoss }
        guard !client.injectedFailures.isEmpty else { return nil }
        let failure = client.injectedFailures.removeFirst()
        clients[id] = client
        return failure
    }

    private func finish<T>(_ value: T, _ failure: InjectedFailure?) throws -> T {
        if let failure { throw failure.error }
        return value
    }

    private func write<T>(
        client id: Int, _ operation: TransactionOperation, _ map: (TransactionResult, NodeStat?) throws -> T
    ) throws -> T {
        let failure = try admit(id)
        if let failure, !failure.afterApplying { throw failure.error }
        let owner = clients[id]?.session
        let (result, stat, changes) = try tree.apply(operation, owner: owner, now: timeSource.nowMilliseconds)
        fire(changes)
        return try finish(try map(result, stat), failure)
    }

    private func arm(client id: Int, _ kind: InMemoryWatchTable.Kind, _ path: String) -> Watch? {
        guard let client = clients[id] else { return nil }
        let trigger = WatchTrigger()
        watches.add(.init(client: id, session: client.session, path: path, trigger: trigger), kind: kind, path: path)
        return Watch(path: path, trigger: trigger)
    }

    private func fire(_ changes: [InMemoryZNodeTree.Change]) {
        for change in changes {
            for (registration, event) in watches.fire(for: change) {
                guard var client = clients[registration.client] else { continue }
                if client.connected && !client.closed {
                    registration.trigger.fire(event)
                } else {
                    client.pending.append((registration.trigger, event))
                    clients[registration.client] = client
                }
            }
        }
    }
}
