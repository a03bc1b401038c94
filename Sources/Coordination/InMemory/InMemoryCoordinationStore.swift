/// One client session of an `InMemoryCoordinationServer`: the in-memory `CoordinationStore`.
///
/// Obtain it from `InMemoryCoordinationServer.connect()`; several stores of one server see the same
/// tree, like several brokers connected to one ZooKeeper ensemble. Besides the protocol it offers
/// deterministic fault injection (`disconnect()`, `reconnect()`, `expireSession()`,
/// `failNextOperation(with:afterApplying:)`).
///
/// Thread-safety: `Sendable`; all state lives in the server actor.
public final class InMemoryCoordinationStore: CoordinationStore {
    public let server: InMemoryCoordinationServer
    private let clientID: Int
    private let broadcaster: Broadcaster<SessionEvent>

    init(server: InMemoryCoordinationServer, clientID: Int, broadcaster: Broadcaster<SessionEvent>) {
        self.server = server
        self.clientID = clientID
        self.broadcaster = broadcaster
    }

    // MARK: CoordinationStore

    public var sessionState: SessionState {
        get async { await server.sessionState(of: clientID) }
    }

    public func sessionEvents() -> AsyncStream<SessionEvent> { broadcaster.subscribe() }

    @discardableResult
    public func create(_ path: String, data: [UInt8], mode: CreateMode) async throws -> CreatedNode {
        try await server.create(client: clientID, path, data: data, mode: mode)
    }

    public func getData(_ path: String) async throws -> NodeData {
        try await server.getData(client: clientID, path, watch: false).0
    }

    public func getDataAndWatch(_ path: String) async throws -> (node: NodeData, watch: Watch) {
        let (node, watch) = try await server.getData(client: clientID, path, watch: true)
        guard let watch else { throw CoordinationError.closed }
        return (node, watch)
    }

    @discardableResult
    public func setData(_ path: String, data: [UInt8], expectedVersion: ExpectedVersion) async throws -> NodeStat {
        try await server.setData(client: clientID, path, data: data, expectedVersion: expectedVersion)
    }

    public func delete(_ path: String, expectedVersion: ExpectedVersion) async throws {
        try await server.delete(client: clientID, path, expectedVersion: expectedVersion)
    }

    public func exists(_ path: String) async throws -> NodeStat? {
        try await server.exists(client: clientID, path, watch: false).0
    }

    public func existsAndWatch(_ path: String) async throws -> (stat: NodeStat?, watch: Watch) {
        let (stat, watch) = try await server.exists(client: clientID, path, watch: true)
        guard let watch else { throw CoordinationError.closed }
        return (stat, watch)
    }

    public func children(_ path: String) async throws -> [String] {
        try await server.children(client: clientID, path, watch: false).0
    }

    public func childrenAndWatch(_ path: String) async throws -> (children: [String], watch: Watch) {
        let (children, watch) = try await server.children(client: clientID, path, watch: true)
        guard let watch else { throw CoordinationError.closed }
        return (children, watch)
    }

    @discardableResult
    public func multi(_ operations: [TransactionOperation]) async throws -> [TransactionResult] {
        try await server.multi(client: clientID, operations)
    }

    public func close() async {
        await server.close(client: clientID)
    }

    // MARK: Fault injection

    /// Breaks the connection: publishes `.disconnected`; operations fail with `.connectionLoss`;
    /// watch events are held back. The session stays alive on the server.
    public func disconnect() async { await server.disconnect(client: clientID) }

    /// Restores the connection: `.reconnected` and the held-back watch events, or, if the session
    /// expired meanwhile, `.sessionExpired` + `.sessionStarted` with lost watches.
    public func reconnect() async { await server.reconnect(client: clientID) }

    /// Expires the session now: its ephemerals vanish (firing other sessions' watches), its own
    /// watches fire `.watchLost`; if connected the client immediately publishes `.sessionExpired`
    /// and `.sessionStarted` with a new session, otherwise it does so on `reconnect()`.
    public func expireSession() async { await server.expireSession(ofClient: clientID) }

    /// Makes the next operation fail with `error`. With `afterApplying` the operation takes effect
    /// first (a write whose answer was lost, as with a real connection loss).
    public func failNextOperation(with error: CoordinationError, afterApplying: Bool = false) async {
        await server.injectFailure(client: clientID, error, afterApplying: afterApplying)
    }
}
