/// Waiting for the session, and Kafka's "retry until connected" pattern.
extension CoordinationStore {
    /// Returns once the session is connected. Throws `CoordinationError.closed` if the store is or
    /// becomes closed, `CancellationError` if the task is cancelled.
    public func waitUntilConnected() async throws {
        let events = sessionEvents()
        switch await sessionState {
        case .connected: return
        case .closed: throw CoordinationError.closed
        case .connecting, .disconnected: break
        }
        for await event in events {
            switch event {
            case .sessionStarted, .reconnected: return
            case .closed: throw CoordinationError.closed
            case .disconnected, .sessionExpired: continue
            }
        }
        try Task.checkCancellation()
        throw CoordinationError.closed
    }

    /// Runs `operation`; whenever it fails with `.connectionLoss` or `.operationTimeout`, waits
    /// until connected and runs it again (Kafka's `retryRequestsUntilConnected`).
    ///
    /// A write that failed with connection loss may have been applied: write `operation` so that a
    /// repeat is harmless (e.g. treat `.nodeExists` of our own ephemeral as success).
    public func retryingOnConnectionLoss<T: Sendable>(
        _ operation: @Sendable () async throws -> T
    ) async throws -> T {
        while true {
            do {
                return try await operation()
            } catch let error as CoordinationError where error.isConnectionProblem {
                try await waitUntilConnected()
            }
        }
    }
}
