/// A ZooKeeper-shaped coordination store: a tree of znodes with versions, ephemeral and sequential
/// nodes, atomic multi-operation transactions and one-shot watches, seen through one session.
///
/// Two implementations exist: `ZooKeeperCoordinationStore` (module ZooKeeperCoordination, a real
/// ZooKeeper ensemble) and `InMemoryCoordinationStore` (fast tests, deterministic fault injection).
///
/// Contracts shared by all implementations:
/// - Paths are absolute znode paths (see `CoordinationPath`); with a chroot they are relative to it.
/// - Operations are `async` and never block a thread; they are not cancellable (they finish when
///   the answer arrives or the connection breaks).
/// - While the session is not connected, operations fail at once with `.connectionLoss`; use
///   `waitUntilConnected()` or `retryingOnConnectionLoss(_:)` to wait for it.
/// - Errors are `CoordinationError`.
/// - Children are returned sorted by name.
/// - Watches are one-shot; each armed watch fires exactly once (see `Watch`). A watch from
///   `getDataAndWatch` fires on data change or deletion; from `existsAndWatch` also on creation;
///   from `childrenAndWatch` on child creation/deletion or deletion of the node itself.
/// - When a session expires the store opens a new one by itself and reports both through
///   `sessionEvents()`; everything tied to the old session (ephemerals, watches) is gone.
///
/// Thread-safety: implementations are `Sendable`; all methods may be called concurrently.
public protocol CoordinationStore: Sendable {
    /// The session's current state.
    var sessionState: SessionState { get async }

    /// A new subscription to session events from now on (not replayed). The stream ends after
    /// `.closed`. Any number of subscriptions may exist.
    func sessionEvents() -> AsyncStream<SessionEvent>

    /// Creates a node. Fails with `.nodeExists`, `.noNode` (missing parent) or
    /// `.noChildrenForEphemerals`. For sequential modes the returned path carries the suffix.
    @discardableResult
    func create(_ path: String, data: [UInt8], mode: CreateMode) async throws -> CreatedNode

    /// Reads a node's data and stat. Fails with `.noNode`.
    func getData(_ path: String) async throws -> NodeData

    /// Reads a node and arms a watch on it (data change or deletion). Fails with `.noNode`, in
    /// which case no watch is armed.
    func getDataAndWatch(_ path: String) async throws -> (node: NodeData, watch: Watch)

    /// Writes a node's data if its version matches. Fails with `.noNode` or `.badVersion`.
    @discardableResult
    func setData(_ path: String, data: [UInt8], expectedVersion: ExpectedVersion) async throws -> NodeStat

    /// Deletes a node if its version matches. Fails with `.noNode`, `.badVersion` or `.notEmpty`.
    func delete(_ path: String, expectedVersion: ExpectedVersion) async throws

    /// The node's stat, or nil if it does not exist.
    func exists(_ path: String) async throws -> NodeStat?

    /// The node's stat (or nil) and a watch that fires on creation, data change or deletion.
    func existsAndWatch(_ path: String) async throws -> (stat: NodeStat?, watch: Watch)

    /// The names of a node's children, sorted. Fails with `.noNode`.
    func children(_ path: String) async throws -> [String]

    /// The children and a watch that fires when a child is created or deleted, or the node is
    /// deleted. Fails with `.noNode`, in which case no watch is armed.
    func childrenAndWatch(_ path: String) async throws -> (children: [String], watch: Watch)

    /// Applies all operations atomically, or none. On failure throws
    /// `.transactionFailed(operationIndex:error:)` naming the first failing operation. An empty
    /// list succeeds without contacting the server.
    @discardableResult
    func multi(_ operations: [TransactionOperation]) async throws -> [TransactionResult]

    /// Ends the session (its ephemeral nodes are deleted), fires all armed watches with
    /// `.watchLost`, publishes `.closed` and ends event streams. Idempotent; later operations fail
    /// with `.closed`. Returns once no callback of the underlying client can run any more.
    func close() async
}
