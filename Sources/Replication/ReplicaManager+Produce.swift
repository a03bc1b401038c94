import BrokerCore
import NIOCore

extension ReplicaManager {
    /// Produce (Kafka `ReplicaManager.appendRecords`): appends each partition's records on its
    /// loop as leader.
    ///
    /// Per partition: UNKNOWN_TOPIC_OR_PARTITION if not hosted, NOT_LEADER_OR_FOLLOWER if not the
    /// leader, NOT_ENOUGH_REPLICAS for acks=all with |ISR| < min.insync.replicas (nothing
    /// appended), OUT_OF_ORDER_SEQUENCE_NUMBER / INVALID_PRODUCER_EPOCH from the producer state,
    /// storage rejections (CORRUPT_MESSAGE, INVALID_RECORD, MESSAGE_TOO_LARGE,
    /// RECORD_LIST_TOO_LARGE, KAFKA_STORAGE_ERROR). A duplicate of one of a producer's last 5
    /// batches answers NONE with the original base offset. Every partition gets
    /// INVALID_REQUIRED_ACKS if `acks` is not 0, 1 or -1.
    ///
    /// acks=0 and 1 complete after the append; acks=-1 completes when the high watermark passes
    /// the append's last offset (immediately with a single in-sync replica), with
    /// NOT_ENOUGH_REPLICAS_AFTER_APPEND if the ISR falls below min.insync.replicas meanwhile,
    /// NOT_LEADER_OR_FOLLOWER if leadership moves, or REQUEST_TIMED_OUT after `timeoutMs`.
    ///
    /// Threading: the partitions are grouped by owning loop. Partitions owned by `resultLoop`
    /// are appended inline (when called on it); every other owning loop gets one task for all of
    /// its partitions and sends its results back in one task. Only acks=-1 appends that must wait
    /// for followers allocate a ``DelayedProduce``. A caller on `resultLoop` (a connection's
    /// loop) thus pays at most two thread hand-offs per other loop, not a future per partition.
    ///
    /// - Parameter resultLoop: where the returned future completes; the caller's own loop is
    ///   cheapest. Default: the first partition's loop.
    /// - Returns: one result per entry of `partitions`, in the same order.
    public func appendRecords(
        _ partitions: [ProducePartitionData], acks: Int16, timeoutMs: Int64, resultLoop: (any EventLoop)? = nil
    ) -> EventLoopFuture<[ProducePartitionResult]> {
        let loop = resultLoop ?? partitions.first.map { eventLoop(for: $0.topicPartition) } ?? eventLoops[0]
        switch appendRecords(partitions, acks: acks, timeoutMs: timeoutMs, callerLoop: loop) {
        case .completed(let results): return loop.makeSucceededFuture(results)
        case .pending(let future): return future
        }
    }

    /// ``appendRecords(_:acks:timeoutMs:resultLoop:)`` for a caller running on `callerLoop` (a
    /// connection's loop): when every partition answered during the call (all owned by
    /// `callerLoop`, no acks=all wait) the results come back at once, without a future.
    /// Called from elsewhere, it hops to `callerLoop` first and is always `.pending`.
    public func appendRecords(
        _ partitions: [ProducePartitionData], acks: Int16, timeoutMs: Int64, callerLoop loop: any EventLoop
    ) -> ProduceAppend {
        guard let requiredAcks = RequiredAcks(wireValue: acks) else {
            return .completed(partitions.map { _ in .error(.invalidRequiredAcks) })
        }
        guard !partitions.isEmpty else { return .completed([]) }
        guard loop.inEventLoop else {
            return .pending(
                loop.flatSubmit {
                    self.appendRecords(partitions, acks: acks, timeoutMs: timeoutMs, resultLoop: loop)
                })
        }
        let gather = ProduceResultGather(count: partitions.count, loop: loop)
        var byLoop: [[(index: Int, partition: Partition)]] = Array(repeating: [], count: eventLoops.count)
        for (index, data) in partitions.enumerated() {
            if let partition = partition(data.topicPartition) {
                byLoop[loopIndex(for: data.topicPartition)].append((index, partition))
            } else {
                gather.fill(index, .error(.unknownTopicOrPartition))
            }
        }
        for (loopIndex, members) in byLoop.enumerated() where !members.isEmpty {
            let owner = eventLoops[loopIndex]
            if owner.inEventLoop {
                let ready = Self.appendOnOwner(
                    members, partitions, acks: requiredAcks, timeoutMs: timeoutMs,
                    whenDelayed: { gather.fill($0, $1) })
                for (index, result) in ready { gather.fill(index, result) }
            } else {
                owner.execute {
                    let ready = Self.appendOnOwner(
                        members, partitions, acks: requiredAcks, timeoutMs: timeoutMs,
                        whenDelayed: { index, result in loop.execute { gather.fill(index, result) } })
                    guard !ready.isEmpty else { return }
                    loop.execute { for (index, result) in ready { gather.fill(index, result) } }
                }
            }
        }
        return gather.outcome()
    }

    /// Appends `members` (indexes into `partitions`) on their owning loop, which the caller is
    /// running on. Returns the results known now; an acks=-1 append that must wait for the high
    /// watermark is parked instead, and `whenDelayed` gets its index and result later (on that
    /// loop).
    private static func appendOnOwner(
        _ members: [(index: Int, partition: Partition)], _ partitions: [ProducePartitionData], acks: RequiredAcks,
        timeoutMs: Int64, whenDelayed: @escaping @Sendable (Int, ProducePartitionResult) -> Void
    ) -> [(Int, ProducePartitionResult)] {
        var ready: [(Int, ProducePartitionResult)] = []
        ready.reserveCapacity(members.count)
        for (index, partition) in members {
            let data = partitions[index]
            switch partition.appendRecordsToLeader(data.records, acks: acks, minInSyncReplicas: data.minInSyncReplicas) {
            case .done(let result):
                ready.append((index, result))
            case .awaitHighWatermark(let requiredOffset, let result):
                if let code = partition.state.produceCompletion(requiredOffset: requiredOffset) {
                    ready.append((index, DelayedProduce.answer(result, code: code)))
                    continue
                }
                let operation = DelayedProduce(
                    partition: partition, requiredOffset: requiredOffset, result: result,
                    completion: { whenDelayed(index, $0) })
                if !operation.tryComplete() {
                    operation.startTimer(milliseconds: timeoutMs)
                    partition.producePurgatory.watch(operation, key: data.topicPartition)
                }
            }
        }
        return ready
    }
}

/// A produce's results: available during the call, or later.
public enum ProduceAppend: Sendable {
    /// Every partition answered during the call (one result per partition, in request order).
    case completed([ProducePartitionResult])
    /// Some partition answers later (another loop, or an acks=all wait); completes on the
    /// caller's loop.
    case pending(EventLoopFuture<[ProducePartitionResult]>)
}

/// Collects the per-partition results of one produce and hands them over once every partition
/// has answered: directly if that happened during the call, else through a future.
///
/// Confined to `loop`: ``fill(_:_:)`` and the results are touched only there (the appends on
/// other loops send their results over with `loop.execute`, which runs after the call that
/// created the gather has returned, so the promise exists by then).
final class ProduceResultGather: @unchecked Sendable {
    private let loop: any EventLoop
    private var promise: EventLoopPromise<[ProducePartitionResult]>?
    private var results: [ProducePartitionResult]
    private var remaining: Int

    init(count: Int, loop: any EventLoop) {
        self.loop = loop
        self.results = Array(repeating: .error(.unknownServerError), count: count)
        self.remaining = count
    }

    /// Ends the synchronous part: the results if complete, else a future of them.
    func outcome() -> ProduceAppend {
        loop.preconditionInEventLoop()
        if remaining == 0 { return .completed(results) }
        let promise = loop.makePromise(of: [ProducePartitionResult].self)
        self.promise = promise
        return .pending(promise.futureResult)
    }

    /// Records partition `index`'s result; the last one completes the future. `loop` only.
    func fill(_ index: Int, _ result: ProducePartitionResult) {
        loop.preconditionInEventLoop()
        results[index] = result
        remaining -= 1
        if remaining == 0, let promise { promise.succeed(results) }
    }
}
