/// A change of a coordination session, as seen by its client.
///
/// Owners react to these the way Kafka's `ZooKeeperClient` state handlers do:
/// - `.sessionStarted`: a session exists that did not before (first connect, or a new session after
///   expiry). Ephemeral nodes and watches of any earlier session are gone: re-create registrations,
///   re-arm watches, re-run elections.
/// - `.disconnected`: the connection broke; the session may still be alive on the server and its
///   ephemerals stay while it is. Operations fail with `.connectionLoss` until reconnected.
/// - `.reconnected`: the same session is back; ephemerals and watches survived.
/// - `.sessionExpired`: the session is gone; a `.sessionStarted` follows once a new one is set up.
/// - `.closed`: the store was closed; the stream ends after this event.
public enum SessionEvent: Hashable, Sendable {
    case sessionStarted(SessionID)
    case disconnected(SessionID)
    case reconnected(SessionID)
    case sessionExpired(SessionID)
    case closed
}

/// The connection state of a coordination store's session.
public enum SessionState: Hashable, Sendable {
    /// No session yet, or a new one is being established after expiry.
    case connecting
    /// Connected with this session; operations are sent.
    case connected(SessionID)
    /// The connection to this (possibly still alive) session is broken.
    case disconnected(SessionID)
    /// The store was closed.
    case closed

    public var isConnected: Bool {
        if case .connected = self { return true }
        return false
    }

    /// The session currently held (connected or suspended), if any.
    public var sessionID: SessionID? {
        switch self {
        case .connected(let id), .disconnected(let id): id
        case .connecting, .closed: nil
        }
    }
}
