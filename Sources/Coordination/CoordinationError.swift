/// Errors of coordination-store operations (ZooKeeper's `KeeperException` codes Kafka cares about).
///
/// Paths in associated values are the paths the caller passed (relative to the chroot).
public indirect enum CoordinationError: Error, Hashable, Sendable {
    /// The node (or, for create, its parent) does not exist.
    case noNode(String)
    /// A node already exists at the path.
    case nodeExists(String)
    /// The node's version is not the expected one.
    case badVersion(String)
    /// The node has children and cannot be deleted.
    case notEmpty(String)
    /// Ephemeral nodes cannot have children.
    case noChildrenForEphemerals(String)
    /// The path is not a valid znode path (or the server rejected the arguments).
    case invalidPath(String)
    /// The ACL forbids the operation.
    case notAuthorized(String)
    /// Not connected, or the connection broke before the answer arrived. The operation may or may
    /// not have been applied. Retry after `waitUntilConnected()`.
    case connectionLoss
    /// The session expired; its ephemeral nodes and watches are gone. The store establishes a new
    /// session on its own and announces it with `SessionEvent.sessionStarted`.
    case sessionExpired
    /// The server did not answer in time.
    case operationTimeout
    /// The store was closed.
    case closed
    /// A multi-operation transaction failed at `operationIndex` with `error`; nothing was applied.
    case transactionFailed(operationIndex: Int, error: CoordinationError)
    /// Any other ZooKeeper result code, with its message.
    case unexpected(code: Int32, message: String)

    /// True for errors after which the same request may succeed once the connection is back.
    public var isConnectionProblem: Bool {
        switch self {
        case .connectionLoss, .operationTimeout: true
        default: false
        }
    }

    /// For `.transactionFailed`, the error of the failing operation; otherwise `self`.
    public var rootCause: CoordinationError {
        if case .transactionFailed(_, let error) = self { return error.rootCause }
        return self
    }
}
