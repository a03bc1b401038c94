import Synchronization

/// Fans events out to any number of `AsyncStream` subscribers.
///
/// Thread-safety: safe from any thread, including a C client's callback thread (publishing never
/// blocks: streams buffer without limit; the events sent this way are rare). Events published
/// by one thread reach each subscriber in publication order.
package final class Broadcaster<Element: Sendable>: Sendable {
    private struct State {
        var subscribers: [UInt64: AsyncStream<Element>.Continuation] = [:]
        var nextID: UInt64 = 0
        var finished = false
    }

    private let state = Mutex(State())

    package init() {}

    /// A new subscription; already finished if the broadcaster is.
    package func subscribe() -> AsyncStream<Element> {
        let (stream, continuation) = AsyncStream.makeStream(of: Element.self, bufferingPolicy: .unbounded)
        let id: UInt64? = state.withLock { state in
            guard !state.finished else { return nil }
            state.nextID += 1
            state.subscribers[state.nextID] = continuation
            return state.nextID
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { _ = $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    package func publish(_ event: Element) {
        let subscribers = state.withLock { Array($0.subscribers.values) }
        for subscriber in subscribers { subscriber.yield(event) }
    }

    /// Publishes a last event (if any) and ends all streams; later subscriptions end at once.
    package func finish(with last: Element? = nil) {
        let subscribers: [AsyncStream<Element>.Continuation] = state.withLock { state in
            state.finished = true
            defer { state.subscribers = [:] }
            return Array(state.subscribers.values)
        }
        for subscriber in subscribers {
            if let last { subscriber.yield(last) }
            subscriber.finish()
        }
    }
}
