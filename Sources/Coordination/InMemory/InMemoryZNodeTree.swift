/// The znode tree of the in-memory store as a plain value: operations mutate it and return the
/// changes that fire watches. No I/O, no sessions, no watches; `InMemoryCoordinationServer` owns
/// one and does the rest.
///
/// Semantics follow ZooKeeper's `DataTree`/`PrepRequestProcessor`: every successful write gets
/// the next zxid (a whole transaction shares one), versions start at 0, sequential names use the
/// parent's `cversion` (which, as in ZooKeeper 3.8, counts child creations only), ephemerals
/// cannot have children, `/zookeeper` exists from the start.
struct InMemoryZNodeTree: Sendable {
    struct Node: Sendable {
        var data: [UInt8]
        var stat: NodeStat
        var children: Set<String>
    }

    /// A change that fires watches.
    enum Change: Hashable, Sendable {
        case created(String)
        case deleted(String)
        case dataChanged(String)
    }

    private(set) var nodes: [String: Node]
    private(set) var lastZxid: Int64 = 0

    init(now: Int64) {
        nodes = [CoordinationPath.root: Self.newNode(data: [], zxid: 0, now: now, owner: nil)]
        for path in ["/zookeeper", "/zookeeper/config", "/zookeeper/quota"] {
            _ = try? apply(.create(path: path, data: [], mode: .persistent), zxid: 0, owner: nil, now: now)
        }
    }

    func node(at path: String) -> Node? { nodes[path] }

    func sortedChildren(of path: String) -> [String]? {
        nodes[path].map { $0.children.sorted() }
    }

    /// Applies one write or check with a fresh zxid.
    mutating func apply(_ operation: TransactionOperation, owner: SessionID?, now: Int64) throws
        -> (TransactionResult, stat: NodeStat?, changes: [Change])
    {
        let zxid = lastZxid + 1
        let result = try apply(operation, zxid: zxid, owner: owner, now: now)
        if case .checked = result.0 {} else { lastZxid = zxid }
        return result
    }

    /// Applies all operations atomically with one zxid; on failure nothing changes.
    mutating func applyTransaction(_ operations: [TransactionOperation], owner: SessionID?, now: Int64) throws
        -> (results: [TransactionResult], changes: [Change])
    {
        var scratch = self
        let zxid = lastZxid + 1
        var results: [TransactionResult] = []
        var changes: [Change] = []
        for (index, operation) in operations.enumerated() {
            do {
                let (result, _, opChanges) = try scratch.apply(operation, zxid: zxid, owner: owner, now: now)
                results.append(result)
                changes += opChanges
            } catch let error as CoordinationError {
                throw CoordinationError.transactionFailed(operationIndex: index, error: error)
            }
        }
        scratch.lastZxid = zxid
        self = scratch
        return (results, changes)
    }

    /// Deletes every ephemeral node owned by `session` (session end).
    mutating func deleteEphemerals(of session: SessionID) -> [Change] {
        let owned = nodes.filter { $0.value.stat.ephemeralOwner == session }.keys.sorted()
        guard !owned.isEmpty else { return [] }
        let zxid = lastZxid + 1
        var changes: [Change] = []
        for path in owned {
            if let deleted = try? apply(.delete(path: path, expectedVersion: .any), zxid: zxid, owner: nil, now: 0) {
                changes += deleted.changes
            }
        }
        lastZxid = zxid
        return changes
    }

    private mutating func apply(_ operation: TransactionOperation, zxid: Int64, owner: SessionID?, now: Int64) throws
        -> (TransactionResult, stat: NodeStat?, changes: [Change])
    {
        switch operation {
        case .create(let path, let data, let mode):
            let created = try create(path, data: data, mode: mode, zxid: zxid, owner: owner, now: now)
            return (.created(path: created.path), created.stat, [.created(created.path)])
        case .setData(let path, let data, let expectedVersion):
            try CoordinationPath.validate(path)
            guard var node = nodes[path] else { throw CoordinationError.noNode(path) }
            guard expectedVersion.matches(node.stat.version) else { throw CoordinationError.badVersion(path) }
            node.data = data
            node.stat.version &+= 1
            node.stat.mzxid = zxid
            node.stat.mtime = now
            node.stat.dataLength = Int32(clamping: data.count)
            nodes[path] = node
            return (.dataSet(node.stat), node.stat, [.dataChanged(path)])
        case .delete(let path, let expectedVersion):
            try CoordinationPath.validate(path)
            guard let parentPath = CoordinationPath.parent(of: path) else { throw CoordinationError.invalidPath(path) }
            guard let node = nodes[path] else { throw CoordinationError.noNode(path) }
            guard expectedVersion.matches(node.stat.version) else { throw CoordinationError.badVersion(path) }
            guard node.children.isEmpty else { throw CoordinationError.notEmpty(path) }
            nodes[path] = nil
            if var parent = nodes[parentPath] {
                parent.children.remove(CoordinationPath.name(of: path))
                parent.stat.pzxid = zxid  // ZooKeeper 3.8 bumps cversion on creates only
                parent.stat.numChildren = Int32(clamping: parent.children.count)
                nodes[parentPath] = parent
            }
            return (.deleted, nil, [.deleted(path)])
        case .check(let path, let expectedVersion):
            try CoordinationPath.validate(path)
            guard let node = nodes[path] else { throw CoordinationError.noNode(path) }
            guard expectedVersion.matches(node.stat.version) else { throw CoordinationError.badVersion(path) }
            return (.checked, node.stat, [])
        }
    }

    private mutating func create(
        _ requested: String, data: [UInt8], mode: CreateMode, zxid: Int64, owner: SessionID?, now: Int64
    ) throws -> CreatedNode {
        try CoordinationPath.validate(requested, sequentialPrefix: mode.isSequential)
        guard let parentPath = CoordinationPath.parent(of: requested) else {
            throw CoordinationError.nodeExists(requested)
        }
        guard var parent = nodes[parentPath] else { throw CoordinationError.noNode(requested) }
        guard !parent.stat.isEphemeral else { throw CoordinationError.noChildrenForEphemerals(requested) }
        let path = mode.isSequential ? requested + CoordinationPath.sequenceSuffix(parent.stat.cversion) : requested
        guard nodes[path] == nil else { throw CoordinationError.nodeExists(path) }
        let node = Self.newNode(data: data, zxid: zxid, now: now, owner: mode.isEphemeral ? owner : nil)
        nodes[path] = node
        parent.children.insert(CoordinationPath.name(of: path))
        parent.stat.cversion &+= 1
        parent.stat.pzxid = zxid
        parent.stat.numChildren = Int32(clamping: parent.children.count)
        nodes[parentPath] = parent
        return CreatedNode(path: path, stat: node.stat)
    }

    private static func newNode(data: [UInt8], zxid: Int64, now: Int64, owner: SessionID?) -> Node {
        Node(
            data: data,
            stat: NodeStat(
                czxid: zxid, mzxid: zxid, pzxid: zxid, ctime: now, mtime: now, version: 0, cversion: 0,
                aversion: 0, ephemeralOwnerRaw: owner?.rawValue ?? 0, dataLength: Int32(clamping: data.count),
                numChildren: 0),
            children: [])
    }
}
