import BrokerCore
import NIOCore
import Synchronization

/// An operation parked until a condition holds or a timeout passes (Kafka `DelayedOperation`).
///
/// ## Contract
/// - ``onComplete()`` runs **exactly once**, through ``forceComplete()``, which either
///   ``tryComplete()`` calls when the condition holds, or the timeout calls (followed by
///   ``onExpiration()``), or an owner calls to abort (leader change, shutdown).
/// - Everything except ``isCompleted`` and ``keyChanged(_:on:)`` runs on ``eventLoop`` (the
///   operation's home loop). The completed flag is an atomic so that purgatories on other loops
///   can drop finished operations; it is the only state shared across loops.
/// - The timeout is a task scheduled on the home loop (no polling); completion cancels it.
///
/// Subclasses override ``tryComplete()``, ``onComplete()`` and ``onExpiration()``; operations
/// watching partitions owned by other loops also override ``keyChanged(_:on:)``.
open class DelayedOperation: @unchecked Sendable {
    public let eventLoop: any EventLoop
    private let completed = Atomic<Bool>(false)
    /// Home loop only.
    private var timeoutTask: Scheduled<Void>?

    public init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// Whether the operation has completed (any thread).
    public final var isCompleted: Bool { completed.load(ordering: .acquiring) }

    /// Completes the operation if it is not already completed; returns whether this call did it.
    /// Home loop only.
    @discardableResult
    public final func forceComplete() -> Bool {
        eventLoop.assertInEventLoop()
        guard completed.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
        else { return false }
        timeoutTask?.cancel()
        timeoutTask = nil
        onComplete()
        return true
    }

    /// Checks the completion condition; if it holds, calls ``forceComplete()`` and returns true.
    /// Home loop only.
    open func tryComplete() -> Bool { false }

    /// Builds and delivers the result. Called exactly once, on the home loop.
    open func onComplete() {}

    /// Called after ``onComplete()`` when the completion was caused by the timeout.
    open func onExpiration() {}

    /// A watched partition changed. Called by the purgatory of `key`'s loop, on that loop. The
    /// default hops to the home loop and calls ``tryComplete()``.
    open func keyChanged(_ key: TopicPartition, on loop: any EventLoop) {
        if eventLoop.inEventLoop {
            _ = tryComplete()
        } else {
            eventLoop.execute { _ = self.tryComplete() }
        }
    }

    /// Schedules the timeout. Home loop only; call once, before watching.
    public final func startTimer(milliseconds: Int64) {
        eventLoop.assertInEventLoop()
        guard !isCompleted else { return }
        timeoutTask = eventLoop.scheduleTask(in: .milliseconds(max(milliseconds, 0))) { [self] in
            if self.forceComplete() { self.onExpiration() }
        }
    }
}
