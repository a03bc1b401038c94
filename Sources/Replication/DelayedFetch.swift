import BrokerCore
import NIOCore

/// A fetch waiting for `minBytes` (Kafka `DelayedFetch`), across partitions owned by any loops.
///
/// Each watched partition's purgatory calls ``keyChanged(_:on:)`` on the partition's own loop
/// after an append, a high-watermark move or a role change; the partition's readable bytes (or
/// "complete now") are computed there and handed to the home loop, which keeps the per-partition
/// tallies and completes once their sum reaches `minBytes`, or when a partition must answer
/// (leader change, fenced epoch, error: Kafka's cases A-F). On timeout it completes with
/// whatever is there. Completion re-reads every partition (``onComplete()``).
final class DelayedFetch: DelayedOperation, @unchecked Sendable {
    let params: FetchParams
    let partitions: [Partition]
    let read: @Sendable () -> EventLoopFuture<[FetchPartitionResult]>
    let promise: EventLoopPromise<[FetchPartitionResult]>
    /// Home loop only: readable bytes per partition (index as in `params.partitions`).
    private var available: [Int]

    /// - Parameters:
    ///   - partitions: the partition of each entry of `params.partitions`.
    ///   - initialBytes: what the first read returned per partition.
    ///   - read: performs the final read (all partitions) when the operation completes.
    init(
        eventLoop: any EventLoop, params: FetchParams, partitions: [Partition], initialBytes: [Int],
        promise: EventLoopPromise<[FetchPartitionResult]>, read: @escaping @Sendable () -> EventLoopFuture<[FetchPartitionResult]>
    ) {
        self.params = params
        self.partitions = partitions
        self.available = initialBytes
        self.promise = promise
        self.read = read
        super.init(eventLoop: eventLoop)
    }

    override func tryComplete() -> Bool {
        guard available.reduce(0, +) >= params.minBytes else { return false }
        return forceComplete()
    }

    override func keyChanged(_ key: TopicPartition, on loop: any EventLoop) {
        var reports: [(Int, Partition.FetchAvailability)] = []
        for (index, partition) in partitions.enumerated() where partition.topicPartition == key {
            reports.append((index, partition.fetchAvailability(params.partitions[index], params: params)))
        }
        let deliver: @Sendable () -> Void = { [self, reports] in
            var mustComplete = false
            for (index, report) in reports {
                switch report {
                case .bytes(let bytes): self.available[index] = bytes
                case .completeNow: mustComplete = true
                }
            }
            if mustComplete { self.forceComplete() } else { _ = self.tryComplete() }
        }
        if eventLoop.inEventLoop { deliver() } else { eventLoop.execute(deliver) }
    }

    override func onComplete() {
        read().cascade(to: promise)
    }
}
