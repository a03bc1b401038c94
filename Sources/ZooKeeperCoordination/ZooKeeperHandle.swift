import CZooKeeper
import Coordination
import Synchronization

/// What the C client's threads hand over to the owning actor, in the order they happened.
enum ZooKeeperHandleEvent: Sendable {
    /// A session state change (`ZOO_*_STATE`) of handle `generation`.
    case session(generation: UInt64, state: Int32)
    /// A watch armed with `token` fired (`type` is a `ZOO_*_EVENT`; session events carry `state`).
    case watch(generation: UInt64, token: UInt64, type: Int32, state: Int32, path: String)
}

/// The per-handle context the C client passes to the session watcher (and that watch callbacks
/// reach through `zoo_get_context`). Retained once for the handle's life and released after
/// `zookeeper_close` returned, when no callback can run any more.
final class ZooKeeperHandleContext: Sendable {
    let generation: UInt64
    let events: AsyncStream<ZooKeeperHandleEvent>.Continuation

    init(generation: UInt64, events: AsyncStream<ZooKeeperHandleEvent>.Continuation) {
        self.generation = generation
        self.events = events
    }
}

/// Credentials of a ZooKeeper session: its id and 16-byte password. Whoever holds them can attach
/// to the session (tests use this to force expiry, see `ZooKeeperCoordinationStore.expireSession`).
public struct ZooKeeperSessionCredentials: Hashable, Sendable {
    public var sessionID: SessionID
    public var password: [UInt8]

    public init(sessionID: SessionID, password: [UInt8]) {
        self.sessionID = sessionID
        self.password = password
    }
}

/// One open `zhandle_t` of the multi-threaded C client.
///
/// Contract: the owner (an actor) makes `zoo_*` calls through `raw` only while the handle is open,
/// and calls `close()` exactly once; after `close()` returns no C callback for this handle runs
/// any more. `@unchecked Sendable` because the library's calls are thread-safe and the pointer is
/// only handed to the closing thread after the owner stopped using it.
final class ZooKeeperHandle: @unchecked Sendable {
    let raw: OpaquePointer
    let generation: UInt64
    /// Requests sent on this handle and not completed yet.
    let requests = ZooKeeperInFlightRequests()
    private let context: Unmanaged<ZooKeeperHandleContext>
    private let isClosed = Atomic<Bool>(false)

    private init(raw: OpaquePointer, generation: UInt64, context: Unmanaged<ZooKeeperHandleContext>) {
        self.raw = raw
        self.generation = generation
        self.context = context
    }

    /// Opens a handle (host name resolution blocks, so on a dedicated thread). Session events and
    /// fired watches go to `events`, tagged with `generation`. With `session`, re-attaches to it.
    static func open(
        _ connectString: ZooKeeperConnectString, sessionTimeoutMilliseconds: Int32,
        session: ZooKeeperSessionCredentials? = nil, generation: UInt64,
        events: AsyncStream<ZooKeeperHandleEvent>.Continuation
    ) async -> ZooKeeperHandle? {
        let context = Unmanaged.passRetained(ZooKeeperHandleContext(generation: generation, events: events))
        let host = connectString.description
        let opened = await DedicatedThread.run(name: "zookeeper-init") { () -> OpenedPointer? in
            let contextPointer = context.toOpaque()
            let raw: OpaquePointer?
            if let session, session.password.count == Int(CZK_SESSION_PASSWORD_LENGTH) {
                raw = session.password.withUnsafeBufferPointer { password in
                    czk_init_with_session(
                        host, zooKeeperSessionWatcher, sessionTimeoutMilliseconds, session.sessionID.rawValue,
                        password.baseAddress, contextPointer, zooKeeperClientLog)
                }
            } else {
                raw = czk_init(
                    host, zooKeeperSessionWatcher, sessionTimeoutMilliseconds, contextPointer, zooKeeperClientLog)
            }
            return raw.map(OpenedPointer.init)
        }
        guard let opened else {
            context.release()
            return nil
        }
        return ZooKeeperHandle(raw: opened.raw, generation: generation, context: context)
    }

    /// Closes the session and the handle on a dedicated thread (it waits for the server and joins
    /// the client's threads). Requests still pending afterwards complete with `code` (`ZCLOSING`
    /// when the store closes, `ZSESSIONEXPIRED` when an expired handle is replaced). Idempotent.
    func close(completingPendingWith code: Int32 = ZCLOSING.rawValue) async {
        guard !isClosed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let pointer = OpenedPointer(raw: raw)
        let context = self.context
        let requests = self.requests
        await DedicatedThread.run(name: "zookeeper-close") {
            zookeeper_close(pointer.raw)
            // No callback of this handle can run any more.
            requests.abandonAll(with: code)
            context.release()
        }
    }

    /// The session id and password (meaningful once connected).
    var credentials: ZooKeeperSessionCredentials {
        var id: Int64 = 0
        var password = [UInt8](repeating: 0, count: Int(CZK_SESSION_PASSWORD_LENGTH))
        _ = password.withUnsafeMutableBufferPointer { czk_client_id(raw, &id, $0.baseAddress) }
        return ZooKeeperSessionCredentials(sessionID: SessionID(id), password: password)
    }

    /// The session timeout the server granted, in milliseconds (meaningful once connected).
    var negotiatedSessionTimeoutMilliseconds: Int32 { zoo_recv_timeout(raw) }

    /// The `watcherCtx` for a watch token (tokens start at 1, so the pointer is never NULL).
    static func watchContext(_ token: UInt64) -> UnsafeMutableRawPointer? {
        UnsafeMutableRawPointer(bitPattern: UInt(token))
    }
}

/// A `zhandle_t*` crossing to the init/close thread.
private struct OpenedPointer: @unchecked Sendable {
    let raw: OpaquePointer
}

// MARK: Watcher functions (`watcher_fn`), run on the C client's completion thread; they only
// yield into the owner's event stream.

/// The handle's global watcher: session state changes.
func zooKeeperSessionWatcher(
    _ zh: OpaquePointer?, _ type: Int32, _ state: Int32, _ path: UnsafePointer<CChar>?,
    _ context: UnsafeMutableRawPointer?
) {
    guard type == ZOO_SESSION_EVENT, let context else { return }
    let handleContext = Unmanaged<ZooKeeperHandleContext>.fromOpaque(context).takeUnretainedValue()
    handleContext.events.yield(.session(generation: handleContext.generation, state: state))
}

/// The watcher of every armed watch; `token` identifies the watch.
func zooKeeperNodeWatcher(
    _ zh: OpaquePointer?, _ type: Int32, _ state: Int32, _ path: UnsafePointer<CChar>?,
    _ token: UnsafeMutableRawPointer?
) {
    guard let zh, let token, let context = zoo_get_context(zh) else { return }
    let handleContext = Unmanaged<ZooKeeperHandleContext>.fromOpaque(context).takeUnretainedValue()
    handleContext.events.yield(
        .watch(
            generation: handleContext.generation, token: UInt64(UInt(bitPattern: token)), type: type, state: state,
            path: path.map { String(cString: $0) } ?? ""))
}
