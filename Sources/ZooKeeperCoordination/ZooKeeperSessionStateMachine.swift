import Coordination

/// The session life cycle of `ZooKeeperCoordinationStore`, as a plain value: it takes what the C
/// client reports and returns what to do. No I/O.
///
/// ```
/// connecting ──connected──▶ connected ──disconnected──▶ suspended ──connected──▶ connected
///     ▲                        │                            │
///     │                     expired                      expired
///     └──handleReplaced── renewing ◀───────────────────────┘
/// any ──close──▶ closed
/// ```
struct ZooKeeperSessionStateMachine: Sendable {
    enum State: Hashable, Sendable {
        /// Waiting for a handle's first session; `previous` is the expired one before it, if any.
        case connecting(previous: SessionID?)
        case connected(SessionID)
        /// Connection lost; the session may still be alive.
        case suspended(SessionID)
        /// The session expired; the handle is being replaced.
        case renewing(expired: SessionID?)
        case closed
    }

    enum Action: Hashable, Sendable {
        case none
        case publish(SessionEvent)
        /// Publish the event (if any), fire the session's watches as lost, replace the handle.
        case renewSession(publishing: SessionEvent?)
    }

    private(set) var state: State = .connecting(previous: nil)

    /// The handle reports `ZOO_CONNECTED_STATE` with `session`.
    mutating func connected(_ session: SessionID) -> Action {
        switch state {
        case .connecting:
            state = .connected(session)
            return .publish(.sessionStarted(session))
        case .suspended(let previous):
            state = .connected(session)
            return .publish(previous == session ? .reconnected(session) : .sessionStarted(session))
        case .connected(let current):
            guard current != session else { return .none }
            state = .connected(session)
            return .publish(.sessionStarted(session))
        case .renewing, .closed:
            return .none
        }
    }

    /// The handle reports that it lost the connection and is reconnecting.
    mutating func disconnected() -> Action {
        guard case .connected(let session) = state else { return .none }
        state = .suspended(session)
        return .publish(.disconnected(session))
    }

    /// The handle reports `ZOO_EXPIRED_SESSION_STATE` (or an unrecoverable auth failure).
    mutating func expired() -> Action {
        switch state {
        case .connected(let session), .suspended(let session):
            state = .renewing(expired: session)
            return .renewSession(publishing: .sessionExpired(session))
        case .connecting(let previous):
            state = .renewing(expired: previous)
            return .renewSession(publishing: nil)
        case .renewing, .closed:
            return .none
        }
    }

    /// A new handle replaced the expired one.
    mutating func handleReplaced() {
        if case .renewing(let expired) = state { state = .connecting(previous: expired) }
    }

    /// The owner closes the store.
    mutating func close() -> Action {
        guard state != .closed else { return .none }
        state = .closed
        return .publish(.closed)
    }

    var isClosed: Bool { state == .closed }

    /// Whether operations may be sent now.
    var acceptsOperations: Bool {
        if case .connected = state { return true }
        return false
    }

    var sessionState: SessionState {
        switch state {
        case .connecting, .renewing: .connecting
        case .connected(let session): .connected(session)
        case .suspended(let session): .disconnected(session)
        case .closed: .closed
        }
    }
}
