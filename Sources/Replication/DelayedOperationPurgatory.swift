import BrokerCore
import NIOCore

/// The operations waiting on the partitions of one event loop, by partition (Kafka
/// `DelayedOperationPurgatory`'s watch lists).
///
/// Loop-confined: every method runs on ``eventLoop``, the loop that owns the partitions used as
/// keys. Completed operations are dropped when their key is next checked and by ``purgeCompleted()``
/// (the periodic job), so a list never holds finished operations for long.
public final class DelayedOperationPurgatory: @unchecked Sendable {
    public let eventLoop: any EventLoop
    /// Purpose, for logs ("produce", "fetch").
    public let name: String
    private var watchers: [TopicPartition: [DelayedOperation]] = [:]

    public init(name: String, eventLoop: any EventLoop) {
        self.name = name
        self.eventLoop = eventLoop
    }

    /// Adds `operation` to the watch list of `key` (unless it already completed).
    public func watch(_ operation: DelayedOperation, key: TopicPartition) {
        eventLoop.assertInEventLoop()
        guard !operation.isCompleted else { return }
        watchers[key, default: []].append(operation)
    }

    /// Tells every operation watching `key` that the partition changed; returns how many
    /// operations were watching it (completed ones are removed).
    @discardableResult
    public func checkAndComplete(_ key: TopicPartition) -> Int {
        eventLoop.assertInEventLoop()
        guard let list = watchers[key] else { return 0 }
        var remaining: [DelayedOperation] = []
        for operation in list where !operation.isCompleted {
            operation.keyChanged(key, on: eventLoop)
            if !operation.isCompleted { remaining.append(operation) }
        }
        watchers[key] = remaining.isEmpty ? nil : remaining
        return list.count
    }

    /// Number of operations watching `key` that have not completed.
    public func watcherCount(_ key: TopicPartition) -> Int {
        eventLoop.assertInEventLoop()
        return watchers[key]?.filter { !$0.isCompleted }.count ?? 0
    }

    /// Drops completed operations from every list.
    public func purgeCompleted() {
        eventLoop.assertInEventLoop()
        for key in Array(watchers.keys) {
            let live = watchers[key]?.filter { !$0.isCompleted } ?? []
            watchers[key] = live.isEmpty ? nil : live
        }
    }
}
