import Coordination

/// Runs `body`, cancelling it and throwing `onTimeout` if it has not finished after `duration`.
/// `body` must honour cancellation.
func withTimeout<T: Sendable>(
    _ duration: Duration, onTimeout: CoordinationError, _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: duration)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else { throw onTimeout }
        return value
    }
}
