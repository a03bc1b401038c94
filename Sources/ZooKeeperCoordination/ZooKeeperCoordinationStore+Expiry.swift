import CZooKeeper
import Coordination

extension ZooKeeperCoordinationStore {
    /// Ends the session `credentials` belong to, from outside, the classic way: attach a second
    /// client to the same session and close that client, which closes the session. The original
    /// client learns of the expiry when it next talks to the server and then establishes a new
    /// session.
    ///
    /// The original client may win the session back before the second one closes it (the C client
    /// reconnects at once), so this repeats until attaching reports the session as expired.
    /// Meant for tests (Kafka's test harness does the same). Throws `.connectionLoss` if that did
    /// not happen within `timeout`.
    public static func expireSession(
        _ credentials: ZooKeeperSessionCredentials, connectString: ZooKeeperConnectString,
        timeout: Duration = .seconds(30)
    ) async throws {
        try await withTimeout(timeout, onTimeout: .connectionLoss) {
            while try await !attachAndClose(credentials, connectString: connectString.withoutChroot) {
                try Task.checkCancellation()
            }
        }
    }

    /// Attaches to the session and closes it. Returns true if the server reported it expired.
    private static func attachAndClose(
        _ credentials: ZooKeeperSessionCredentials, connectString: ZooKeeperConnectString
    ) async throws -> Bool {
        let (events, input) = AsyncStream.makeStream(of: ZooKeeperHandleEvent.self, bufferingPolicy: .unbounded)
        guard
            let handle = await ZooKeeperHandle.open(
                connectString, sessionTimeoutMilliseconds: 30_000, session: credentials, generation: 1, events: input)
        else {
            throw CoordinationError.unexpected(
                code: -8, message: "cannot create a ZooKeeper client for '\(connectString)'")
        }
        var expired = false
        for await event in events {
            guard case .session(_, let state) = event else { continue }
            if state == ZOO_EXPIRED_SESSION_STATE {
                expired = true
                break
            }
            if state == ZOO_CONNECTED_STATE { break }
        }
        await handle.close()
        input.finish()
        return expired
    }
}
