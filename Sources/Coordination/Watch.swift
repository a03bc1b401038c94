import Synchronization

/// A one-shot watch armed by a read (`getDataAndWatch`, `existsAndWatch`, `childrenAndWatch`).
///
/// It fires at most once, like a ZooKeeper watch: after the event, read again to see the new state
/// and to arm the next watch. Every armed watch is guaranteed to fire eventually: with the change,
/// or with `.watchLost` when its session ends or the store closes, so awaiting it never hangs
/// forever on a live process.
///
/// Thread-safety: a `Watch` is a value that any number of tasks may await concurrently; all of
/// them receive the same event. It is also an `AsyncSequence` of exactly one element.
public struct Watch: Sendable, AsyncSequence {
    public typealias Element = WatchEvent

    /// The watched path.
    public let path: String
    package let trigger: WatchTrigger

    package init(path: String, trigger: WatchTrigger) {
        self.path = path
        self.trigger = trigger
    }

    /// Waits until the watch fires. Throws `CancellationError` if the waiting task is cancelled
    /// (the watch itself stays armed).
    public func event() async throws -> WatchEvent {
        try await trigger.wait()
    }

    /// The event if the watch has already fired, without waiting.
    public var firedEvent: WatchEvent? { trigger.firedEvent }

    public func makeAsyncIterator() -> Iterator { Iterator(trigger: trigger) }

    /// Yields the single event, then ends.
    public struct Iterator: AsyncIteratorProtocol {
        let trigger: WatchTrigger
        var delivered = false

        public mutating func next() async throws -> WatchEvent? {
            if delivered { return nil }
            delivered = true
            return try await trigger.wait()
        }
    }
}

/// The firing side of a `Watch`: implementations resolve it exactly once.
///
/// Thread-safety: safe from any thread, including a C client's callback thread (resolving only
/// takes a short lock and resumes continuations).
package final class WatchTrigger: Sendable {
    private struct State {
        var event: WatchEvent?
        var waiters: [UInt64: CheckedContinuation<WatchEvent, any Error>] = [:]
        var cancelled: Set<UInt64> = []
        var nextWaiter: UInt64 = 0
    }

    private let state = Mutex(State())

    package init() {}

    package var firedEvent: WatchEvent? { state.withLock { $0.event } }

    /// Fires the watch. Returns false (and changes nothing) if it had already fired.
    @discardableResult
    package func fire(_ event: WatchEvent) -> Bool {
        let waiters: [CheckedContinuation<WatchEvent, any Error>]? = state.withLock { state in
            guard state.event == nil else { return nil }
            state.event = event
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        guard let waiters else { return false }
        for waiter in waiters { waiter.resume(returning: event) }
        return true
    }

    func wait() async throws -> WatchEvent {
        let id = state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<WatchEvent, any Error>) in
                let immediate: Result<WatchEvent, any Error>? = state.withLock { state in
                    if let event = state.event { return .success(event) }
                    if state.cancelled.remove(id) != nil { return .failure(CancellationError()) }
                    state.waiters[id] = continuation
                    return nil
                }
                if let immediate { continuation.resume(with: immediate) }
            }
        } onCancel: {
            let waiter: CheckedContinuation<WatchEvent, any Error>? = state.withLock { state in
                if let waiter = state.waiters.removeValue(forKey: id) { return waiter }
                if state.event == nil { state.cancelled.insert(id) }
                return nil
            }
            waiter?.resume(throwing: CancellationError())
        }
    }
}
