import CZooKeeper
import Coordination

/// The `CoordinationStore` operations, each one asynchronous C client request
/// (`zoo_acreate2`, `zoo_awget`, `zoo_aset`, `zoo_adelete`, `zoo_awexists`, `zoo_awget_children`,
/// `zoo_amulti`). Paths are validated in Swift first, so the library never rejects a request
/// after registering its completion.
extension ZooKeeperCoordinationStore {
    @discardableResult
    public func create(_ path: String, data: [UInt8], mode: CreateMode) async throws -> CreatedNode {
        try CoordinationPath.validate(path, sequentialPrefix: mode.isSequential)
        let reply = try await submit { handle, context in
            data.withUnsafeBytes { bytes in
                zoo_acreate2(
                    handle, path, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(clamping: data.count),
                    czk_open_acl_unsafe(), mode.zooKeeperFlags, zooKeeperStringStatCompletion, context)
            }
        }
        try Self.check(reply, path: path)
        guard case .created(let createdPath, let stat?) = reply.payload else { throw Self.malformed(reply) }
        return CreatedNode(path: createdPath, stat: stat)
    }

    public func getData(_ path: String) async throws -> NodeData {
        try CoordinationPath.validate(path)
        let reply = try await submit { handle, context in
            zoo_awget(handle, path, nil, nil, zooKeeperDataCompletion, context)
        }
        return try Self.nodeData(reply, path: path)
    }

    public func getDataAndWatch(_ path: String) async throws -> (node: NodeData, watch: Watch) {
        try CoordinationPath.validate(path)
        let (token, trigger) = armWatch(path)
        do {
            let reply = try await submit { handle, context in
                zoo_awget(
                    handle, path, zooKeeperNodeWatcher, ZooKeeperHandle.watchContext(token), zooKeeperDataCompletion,
                    context)
            }
            return (try Self.nodeData(reply, path: path), Watch(path: path, trigger: trigger))
        } catch {
            disarmWatch(token)
            throw error
        }
    }

    @discardableResult
    public func setData(_ path: String, data: [UInt8], expectedVersion: ExpectedVersion) async throws -> NodeStat {
        try CoordinationPath.validate(path)
        let reply = try await submit { handle, context in
            data.withUnsafeBytes { bytes in
                zoo_aset(
                    handle, path, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(clamping: data.count),
                    expectedVersion.zooKeeperValue, zooKeeperStatCompletion, context)
            }
        }
        try Self.check(reply, path: path)
        guard case .stat(let stat) = reply.payload else { throw Self.malformed(reply) }
        return stat
    }

    public func delete(_ path: String, expectedVersion: ExpectedVersion) async throws {
        try CoordinationPath.validate(path)
        guard path != CoordinationPath.root else { throw CoordinationError.invalidPath(path) }
        let reply = try await submit { handle, context in
            zoo_adelete(handle, path, expectedVersion.zooKeeperValue, zooKeeperVoidCompletion, context)
        }
        try Self.check(reply, path: path)
    }

    public func exists(_ path: String) async throws -> NodeStat? {
        try CoordinationPath.validate(path)
        let reply = try await submit { handle, context in
            zoo_awexists(handle, path, nil, nil, zooKeeperStatCompletion, context)
        }
        return try Self.optionalStat(reply, path: path)
    }

    public func existsAndWatch(_ path: String) async throws -> (stat: NodeStat?, watch: Watch) {
        try CoordinationPath.validate(path)
        let (token, trigger) = armWatch(path)
        do {
            let reply = try await submit { handle, context in
                zoo_awexists(
                    handle, path, zooKeeperNodeWatcher, ZooKeeperHandle.watchContext(token), zooKeeperStatCompletion,
                    context)
            }
            // An exists-watch is armed both when the node exists and when it does not.
            return (try Self.optionalStat(reply, path: path), Watch(path: path, trigger: trigger))
        } catch {
            disarmWatch(token)
            throw error
        }
    }

    public func children(_ path: String) async throws -> [String] {
        try CoordinationPath.validate(path)
        let reply = try await submit { handle, context in
            zoo_awget_children(handle, path, nil, nil, zooKeeperStringsCompletion, context)
        }
        return try Self.children(reply, path: path)
    }

    public func childrenAndWatch(_ path: String) async throws -> (children: [String], watch: Watch) {
        try CoordinationPath.validate(path)
        let (token, trigger) = armWatch(path)
        do {
            let reply = try await submit { handle, context in
                zoo_awget_children(
                    handle, path, zooKeeperNodeWatcher, ZooKeeperHandle.watchContext(token), zooKeeperStringsCompletion,
                    context)
            }
            return (try Self.children(reply, path: path), Watch(path: path, trigger: trigger))
        } catch {
            disarmWatch(token)
            throw error
        }
    }

    @discardableResult
    public func multi(_ operations: [TransactionOperation]) async throws -> [TransactionResult] {
        if operations.isEmpty { return [] }
        for operation in operations {
            var sequential = false
            if case .create(_, _, let mode) = operation { sequential = mode.isSequential }
            try CoordinationPath.validate(operation.path, sequentialPrefix: sequential)
        }
        let request = ZooKeeperMultiRequest(operations, acl: czk_open_acl_unsafe())
        let reply = try await submit(multiRequest: request) { handle, context in
            zoo_amulti(
                handle, Int32(request.count), request.operations, request.results, zooKeeperMultiCompletion, context)
        }
        let replies: [ZooKeeperReply.MultiOperationReply]
        if case .multi(let operationReplies) = reply.payload {
            replies = operationReplies
        } else {
            replies = []
        }
        guard reply.isOK else {
            if ZooKeeperResultCode.perOperation.contains(reply.code),
                let index = replies.firstIndex(where: {
                    $0.code != ZooKeeperResultCode.ok && $0.code != ZooKeeperResultCode.runtimeInconsistency
                }), index < operations.count
            {
                throw CoordinationError.transactionFailed(
                    operationIndex: index,
                    error: CoordinationError(zooKeeperCode: replies[index].code, path: operations[index].path))
            }
            throw CoordinationError(zooKeeperCode: reply.code, path: operations.first?.path ?? "")
        }
        guard replies.count == operations.count else { throw Self.malformed(reply) }
        return try zip(operations, replies).map { operation, operationReply in
            switch operation {
            case .create:
                guard let path = operationReply.createdPath else { throw Self.malformed(reply) }
                return .created(path: path)
            case .setData:
                guard let stat = operationReply.stat else { throw Self.malformed(reply) }
                return .dataSet(stat)
            case .delete: return .deleted
            case .check: return .checked
            }
        }
    }

    // MARK: Reply mapping

    private static func check(_ reply: ZooKeeperReply, path: String) throws {
        guard reply.isOK else { throw CoordinationError(zooKeeperCode: reply.code, path: path) }
    }

    private static func nodeData(_ reply: ZooKeeperReply, path: String) throws -> NodeData {
        try check(reply, path: path)
        guard case .data(let data, let stat) = reply.payload else { throw malformed(reply) }
        return NodeData(data: data, stat: stat)
    }

    private static func optionalStat(_ reply: ZooKeeperReply, path: String) throws -> NodeStat? {
        if reply.code == ZooKeeperResultCode.noNode { return nil }
        try check(reply, path: path)
        guard case .stat(let stat) = reply.payload else { throw malformed(reply) }
        return stat
    }

    private static func children(_ reply: ZooKeeperReply, path: String) throws -> [String] {
        try check(reply, path: path)
        guard case .children(let names) = reply.payload else { throw malformed(reply) }
        return names.sorted()
    }

    private static func malformed(_ reply: ZooKeeperReply) -> CoordinationError {
        .unexpected(code: reply.code, message: "unexpected reply shape from the ZooKeeper client")
    }
}
