import BrokerCore
import NIOCore

extension ReplicaManager {
    /// Fetch (Kafka `ReplicaManager.fetchMessages`).
    ///
    /// Reads the partitions in request order, each on its loop: consumers (`replicaID` -1) up to
    /// the high watermark, followers up to the log end (a follower's fetch also records its
    /// position, see ``updateFollowerFetchState(_:replica:fetchOffset:)``). Each read is bounded by
    /// its partition max bytes and by what remains of `maxBytes`; the first partition with data
    /// returns at least one whole batch (Kafka's rule). Per-partition errors:
    /// UNKNOWN_TOPIC_OR_PARTITION, NOT_LEADER_OR_FOLLOWER, FENCED_LEADER_EPOCH /
    /// UNKNOWN_LEADER_EPOCH (KIP-320), OFFSET_OUT_OF_RANGE, KAFKA_STORAGE_ERROR.
    ///
    /// Fetch v12 `lastFetchedEpoch` is checked per partition (Kafka's truncate-on-fetch): a
    /// diverging fetcher gets `divergingEpoch` and no records.
    ///
    /// Answers at once when `maxWaitMs` ≤ 0, any partition has an error or a diverging epoch, or at least `minBytes`
    /// were read; otherwise parks a DelayedFetch that completes as soon as appends (or
    /// high-watermark moves) make `minBytes` readable, when a partition changes leadership or
    /// fails, or after `maxWaitMs` with whatever is there.
    ///
    /// - Returns: one result per entry of `params.partitions`, in the same order.
    public func fetchMessages(_ params: FetchParams) -> EventLoopFuture<[FetchPartitionResult]> {
        let resolved = params.partitions.map { partition($0.topicPartition) }
        let homeLoop =
            resolved.lazy.compactMap { $0?.eventLoop }.first
            ?? params.partitions.first.map { eventLoop(for: $0.topicPartition) } ?? eventLoops[0]
        return readAll(params, resolved, resultLoop: homeLoop).flatMap { results in
            let bytes = results.reduce(0) { $0 + $1.sizeInBytes }
            let hasError = results.contains { $0.errorCode != .none || $0.divergingEpoch != nil }
            let partitions = resolved.compactMap { $0 }
            if params.maxWaitMs <= 0 || params.partitions.isEmpty || bytes >= params.minBytes || hasError
                || partitions.count != params.partitions.count
            {
                return homeLoop.makeSucceededFuture(results)
            }
            let promise = homeLoop.makePromise(of: [FetchPartitionResult].self)
            let operation = DelayedFetch(
                eventLoop: homeLoop, params: params, partitions: partitions, initialBytes: results.map(\.sizeInBytes),
                promise: promise, read: { self.readAll(params, resolved, resultLoop: homeLoop) })
            operation.startTimer(milliseconds: params.maxWaitMs)
            var watched = Set<TopicPartition>()
            for partition in partitions where watched.insert(partition.topicPartition).inserted {
                // Watch, then check once: an append between the first read and the watch is not missed.
                partition.eventLoop.execute {
                    partition.fetchPurgatory.watch(operation, key: partition.topicPartition)
                    operation.keyChanged(partition.topicPartition, on: partition.eventLoop)
                }
            }
            return promise.futureResult
        }
    }

    /// Reads every partition of a fetch in order (hopping to each run of partitions sharing a
    /// loop), applying the total `maxBytes` and the first-batch rule. The result is on `resultLoop`.
    func readAll(
        _ params: FetchParams, _ resolved: [Partition?], resultLoop: any EventLoop
    ) -> EventLoopFuture<[FetchPartitionResult]> {
        let progress = FetchReadProgress(remaining: params.maxBytes, capacity: params.partitions.count)
        var future = resultLoop.makeSucceededVoidFuture()
        var start = 0
        while start < params.partitions.count {
            let loop = resolved[start]?.eventLoop ?? eventLoop(for: params.partitions[start].topicPartition)
            var end = start + 1
            while end < params.partitions.count,
                (resolved[end]?.eventLoop ?? eventLoop(for: params.partitions[end].topicPartition)) === loop
            {
                end += 1
            }
            let range = start..<end
            future = future.flatMap {
                loop.submit {
                    for index in range { progress.read(params.partitions[index], from: resolved[index], params: params) }
                }
            }
            start = end
        }
        return future.hop(to: resultLoop).map { progress.results }
    }
}

/// The running state of one ``ReplicaManager/readAll(_:_:resultLoop:)``: results so far, bytes
/// left, and whether the next read must return at least one batch. Used by one step at a time;
/// the future chain orders the steps (each starts after the previous completed).
final class FetchReadProgress: @unchecked Sendable {
    private(set) var results: [FetchPartitionResult] = []
    private var remaining: Int
    private var minOneBatch = true

    init(remaining: Int, capacity: Int) {
        self.remaining = max(remaining, 0)
        results.reserveCapacity(capacity)
    }

    /// Reads one partition (on its loop).
    func read(_ request: FetchPartitionRequest, from partition: Partition?, params: FetchParams) {
        guard let partition else {
            results.append(FetchPartitionResult(topicPartition: request.topicPartition, errorCode: .unknownTopicOrPartition))
            return
        }
        let limit = min(max(request.partitionMaxBytes, 0), remaining)
        let result = partition.read(request, params: params, maxBytes: limit, minOneBatch: minOneBatch)
        let size = result.sizeInBytes
        remaining = max(remaining - size, 0)
        if size > 0 { minOneBatch = false }
        results.append(result)
    }
}
