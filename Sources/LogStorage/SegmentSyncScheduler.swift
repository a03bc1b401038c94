import Foundation

/// Runs the fsync of segments sealed by a roll off the appending thread (Kafka schedules the
/// same flush on its background scheduler rather than in the append).
///
/// Contract: jobs run one at a time, in the order they were scheduled (a log's recovery point
/// only moves past a sealed segment once every earlier one is synced). A job may block on disk
/// I/O for as long as the fsync takes.
public protocol SegmentSyncScheduler: Sendable {
    func schedule(_ job: @escaping @Sendable () -> Void)
}

/// One serial background queue for all logs of a ``LogManager``.
public final class BackgroundSegmentSyncer: SegmentSyncScheduler {
    private let queue = DispatchQueue(label: "martlet.segment-sync", qos: .utility)

    public init() {}

    public func schedule(_ job: @escaping @Sendable () -> Void) {
        queue.async(execute: job)
    }

    /// Waits until every job scheduled so far has run (shutdown, tests).
    public func drain() {
        queue.sync {}
    }
}
