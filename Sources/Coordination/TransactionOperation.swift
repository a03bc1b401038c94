/// One operation of a multi-operation transaction (ZooKeeper `multi`): all apply or none do.
///
/// Kafka fences controller writes with a leading `.check(controllerEpochPath, .exactly(v))`.
public enum TransactionOperation: Hashable, Sendable {
    case create(path: String, data: [UInt8], mode: CreateMode)
    case setData(path: String, data: [UInt8], expectedVersion: ExpectedVersion)
    case delete(path: String, expectedVersion: ExpectedVersion)
    /// Requires the node to exist at the expected version (`.any`: only to exist).
    case check(path: String, expectedVersion: ExpectedVersion)

    public var path: String {
        switch self {
        case .create(let path, _, _), .setData(let path, _, _), .delete(let path, _), .check(let path, _):
            path
        }
    }
}

/// The result of one operation of a successful transaction, in operation order.
public enum TransactionResult: Hashable, Sendable {
    /// The created node's actual path (ZooKeeper returns no stat for creates inside `multi`).
    case created(path: String)
    case dataSet(NodeStat)
    case deleted
    case checked
}
