/// A result delivered once to one awaiting task, possibly before it starts waiting.
///
/// Used by the coordinator to park JoinGroup/SyncGroup requests: the request registers the
/// value, executes the actions of its transition (which may already deliver it), then waits.
/// Confined to its owner actor (not `Sendable`); `wait` runs on the caller's isolation.
final class OneShotResult<Value: Sendable> {
    private var value: Value?
    private var continuation: CheckedContinuation<Value, Never>?

    /// Delivers `value`; later deliveries are ignored.
    func deliver(_ value: Value) {
        if let continuation {
            self.continuation = nil
            continuation.resume(returning: value)
        } else if self.value == nil {
            self.value = value
        }
    }

    func wait(isolation: isolated (any Actor)? = #isolation) async -> Value {
        if let value { return value }
        return await withCheckedContinuation(isolation: isolation) { continuation in
            self.continuation = continuation
        }
    }
}
