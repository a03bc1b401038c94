import NIOCore
import Synchronization

/// Holds the broker's current ``ClusterMetadataImage``.
///
/// Thread-safety: readers take a snapshot (a value copy) and never see a half-applied update;
/// writers (start-up, the UpdateMetadata handler) apply whole transformations under one lock.
/// Waiters registered with ``wait(until:timeout:on:)`` are checked after every update and complete
/// exactly once (true when the condition held, false on timeout).
public final class MetadataCache: Sendable {
    private struct Waiter: Sendable {
        var id: UInt64
        var condition: @Sendable (ClusterMetadataImage) -> Bool
        var promise: EventLoopPromise<Bool>
    }

    private struct State: Sendable {
        var image: ClusterMetadataImage
        var waiters: [Waiter] = []
        var nextWaiter: UInt64 = 0
    }

    private let state: Mutex<State>

    public init(_ initial: ClusterMetadataImage) {
        state = Mutex(State(image: initial))
    }

    /// The current image.
    public var snapshot: ClusterMetadataImage { state.withLock { $0.image } }

    /// Applies `transform` to the image, then completes the waiters whose condition now holds.
    public func update(_ transform: (inout ClusterMetadataImage) -> Void) {
        let satisfied = state.withLock { state -> [Waiter] in
            transform(&state.image)
            let image = state.image
            var ready: [Waiter] = []
            state.waiters.removeAll { waiter in
                guard waiter.condition(image) else { return false }
                ready.append(waiter)
                return true
            }
            return ready
        }
        for waiter in satisfied { waiter.promise.succeed(true) }
    }

    /// Completes with true as soon as `condition` holds for the image (at once if it already does),
    /// or with false after `timeout`.
    public func wait(
        until condition: @escaping @Sendable (ClusterMetadataImage) -> Bool, timeout: TimeAmount, on loop: any EventLoop
    ) -> EventLoopFuture<Bool> {
        let promise = loop.makePromise(of: Bool.self)
        let id: UInt64? = state.withLock { state in
            if condition(state.image) { return nil }
            let id = state.nextWaiter
            state.nextWaiter += 1
            state.waiters.append(Waiter(id: id, condition: condition, promise: promise))
            return id
        }
        guard let id else {
            promise.succeed(true)
            return promise.futureResult
        }
        let timer = loop.scheduleTask(in: timeout) { [self] in
            let expired = state.withLock { state -> Waiter? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index)
            }
            expired?.promise.succeed(false)
        }
        promise.futureResult.whenComplete { _ in timer.cancel() }
        return promise.futureResult
    }
}
