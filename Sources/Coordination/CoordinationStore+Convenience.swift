/// Convenience forms and Kafka's recursive helpers (`KafkaZkClient.createRecursive`,
/// `makeSurePersistentPathExists`, `deleteRecursive`), written against the protocol so they work
/// for every implementation.
extension CoordinationStore {
    /// Creates a persistent node.
    @discardableResult
    public func create(_ path: String, data: [UInt8] = []) async throws -> CreatedNode {
        try await create(path, data: data, mode: .persistent)
    }

    /// Writes data without a version check.
    @discardableResult
    public func setData(_ path: String, data: [UInt8]) async throws -> NodeStat {
        try await setData(path, data: data, expectedVersion: .any)
    }

    /// Deletes without a version check.
    public func delete(_ path: String) async throws {
        try await delete(path, expectedVersion: .any)
    }

    /// The current session, if one is held.
    public var sessionID: SessionID? {
        get async { await sessionState.sessionID }
    }

    /// Creates `path` with `data` and `mode`, first creating missing ancestors as empty persistent
    /// nodes. Fails with `.nodeExists` if `path` itself exists.
    @discardableResult
    public func createRecursive(_ path: String, data: [UInt8] = [], mode: CreateMode = .persistent) async throws
        -> CreatedNode
    {
        do {
            return try await create(path, data: data, mode: mode)
        } catch CoordinationError.noNode {
            try await ensurePersistentPath(ancestorsOf: path)
            return try await create(path, data: data, mode: mode)
        }
    }

    /// Makes sure `path` and its ancestors exist, creating missing ones as empty persistent nodes.
    public func ensurePersistentPath(_ path: String) async throws {
        try CoordinationPath.validate(path)
        if path == CoordinationPath.root { return }
        if try await exists(path) != nil { return }
        try await ensurePersistentPath(ancestorsOf: path)
        try await createIgnoringExisting(path)
    }

    /// Deletes `path` and everything below it (children first). A missing node is not an error.
    public func deleteRecursive(_ path: String) async throws {
        let children: [String]
        do {
            children = try await self.children(path)
        } catch CoordinationError.noNode {
            return
        }
        for child in children {
            try await deleteRecursive(CoordinationPath.join(path, child))
        }
        do {
            try await delete(path, expectedVersion: .any)
        } catch CoordinationError.noNode {
            return
        }
    }

    private func ensurePersistentPath(ancestorsOf path: String) async throws {
        for ancestor in CoordinationPath.ancestors(of: path) {
            try await createIgnoringExisting(ancestor)
        }
    }

    private func createIgnoringExisting(_ path: String) async throws {
        do {
            _ = try await create(path, data: [], mode: .persistent)
        } catch CoordinationError.nodeExists {
            return
        }
    }
}
