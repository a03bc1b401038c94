/// Keeps ephemeral znodes (broker registrations, `/controller`-like claims) alive across session
/// expiry: after every new session it re-creates the nodes it was asked to keep.
///
/// Creation is "checked" like Kafka's `KafkaZkClient.checkedEphemeralCreate`: if the node already
/// exists and is owned by the current session (a create whose answer was lost) it counts as
/// created; if it is owned by an earlier session of this keeper (an expiry the server has not
/// cleaned up yet) it is deleted and created again; if another session owns it, `.nodeExists` is
/// thrown (e.g. a second broker with the same id).
///
/// Usage: create the keeper, run `run()` in a task for as long as the store lives, then call
/// `create(_:data:)` for each node to keep. Observe `events()` to learn new `czxid`s (Kafka's broker
/// epoch changes on re-registration) and failures.
///
/// Thread-safety: an actor.
public actor EphemeralNodeKeeper {
    /// Outcome of re-creating a kept node after a new session started.
    public enum Event: Hashable, Sendable {
        case recreated(CreatedNode)
        case recreationFailed(path: String, error: CoordinationError)
    }

    private let store: any CoordinationStore
    private let sessionEvents: AsyncStream<SessionEvent>
    private let broadcaster = Broadcaster<Event>()
    private var kept: [String: [UInt8]] = [:]
    private var ownSessions: Set<SessionID> = []

    /// Subscribes to `store`'s session events immediately, so none are missed before `run()`.
    public init(store: any CoordinationStore) {
        self.store = store
        self.sessionEvents = store.sessionEvents()
    }

    /// A new subscription to re-creation outcomes (not replayed).
    public nonisolated func events() -> AsyncStream<Event> {
        broadcaster.subscribe()
    }

    /// The paths currently kept, sorted.
    public var keptPaths: [String] { kept.keys.sorted() }

    /// Creates `path` as an ephemeral node holding `data` and keeps it across sessions.
    @discardableResult
    public func create(_ path: String, data: [UInt8]) async throws -> CreatedNode {
        let created = try await checkedCreate(path, data: data)
        kept[path] = data
        return created
    }

    /// Replaces the kept node's data (also used on re-creation). Fails with `.noNode` if missing.
    @discardableResult
    public func update(_ path: String, data: [UInt8]) async throws -> NodeStat {
        let stat = try await store.setData(path, data: data, expectedVersion: .any)
        if kept[path] != nil { kept[path] = data }
        return stat
    }

    /// Stops keeping `path` and deletes it (a missing node is fine).
    public func remove(_ path: String) async throws {
        kept[path] = nil
        do {
            try await store.delete(path, expectedVersion: .any)
        } catch CoordinationError.noNode {
            return
        }
    }

    /// Re-creates kept nodes after each new session until the store closes or the task is
    /// cancelled (the session event stream ends after `.closed`). Then `events()` streams end.
    public func run() async {
        for await event in sessionEvents {
            if case .sessionStarted = event {
                await recreateAll()
            }
        }
        broadcaster.finish()
    }

    private func recreateAll() async {
        for path in kept.keys.sorted() {
            guard let data = kept[path] else { continue }
            do {
                let created = try await store.retryingOnConnectionLoss { [self] in
                    try await self.checkedCreate(path, data: data)
                }
                broadcaster.publish(.recreated(created))
            } catch {
                let coordinationError = (error as? CoordinationError) ?? .closed
                broadcaster.publish(.recreationFailed(path: path, error: coordinationError))
            }
        }
    }

    private func checkedCreate(_ path: String, data: [UInt8]) async throws -> CreatedNode {
        if let session = await store.sessionID { ownSessions.insert(session) }
        for _ in 0..<3 {
            do {
                return try await store.create(path, data: data, mode: .ephemeral)
            } catch CoordinationError.nodeExists {
                let existing: NodeData
                do {
                    existing = try await store.getData(path)
                } catch CoordinationError.noNode {
                    continue  // vanished meanwhile: create again
                }
                let current = await store.sessionID
                guard let owner = existing.stat.ephemeralOwner else { throw CoordinationError.nodeExists(path) }
                if owner == current {
                    return CreatedNode(path: path, stat: existing.stat)
                }
                guard ownSessions.contains(owner) else { throw CoordinationError.nodeExists(path) }
                do {
                    try await store.delete(path, expectedVersion: .exactly(existing.stat.version))
                } catch CoordinationError.noNode, CoordinationError.badVersion {
                    continue
                }
            }
        }
        throw CoordinationError.nodeExists(path)
    }
}
