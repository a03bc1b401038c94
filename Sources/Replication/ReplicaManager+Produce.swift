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
    /// - Returns: one result per entry of `partitions`, in the same order.
    public func appendRecords(
        _ partitions: [ProducePartitionData], acks: Int16, timeoutMs: Int64
    ) -> EventLoopFuture<[ProducePartitionResult]> {
        let resultLoop = partitions.first.map { eventLoop(for: $0.topicPartition) } ?? eventLoops[0]
        guard let requiredAcks = RequiredAcks(wireValue: acks) else {
            return resultLoop.makeSucceededFuture(partitions.map { _ in .error(.invalidRequiredAcks) })
        }
        let futures = partitions.map { data in
            appendToPartition(data, acks: requiredAcks, timeoutMs: timeoutMs)
        }
        return EventLoopFuture.whenAllSucceed(futures, on: resultLoop)
    }

    private func appendToPartition(
        _ data: ProducePartitionData, acks: RequiredAcks, timeoutMs: Int64
    ) -> EventLoopFuture<ProducePartitionResult> {
        guard let partition = partition(data.topicPartition) else {
            return eventLoop(for: data.topicPartition).makeSucceededFuture(.error(.unknownTopicOrPartition))
        }
        let loop = partition.eventLoop
        return loop.flatSubmit { () -> EventLoopFuture<ProducePartitionResult> in
            switch partition.appendRecordsToLeader(data.records, acks: acks, minInSyncReplicas: data.minInSyncReplicas) {
            case .done(let result):
                return loop.makeSucceededFuture(result)
            case .awaitHighWatermark(let requiredOffset, let result):
                let promise = loop.makePromise(of: ProducePartitionResult.self)
                let operation = DelayedProduce(
                    partition: partition, requiredOffset: requiredOffset, result: result, promise: promise)
                if !operation.tryComplete() {
                    operation.startTimer(milliseconds: timeoutMs)
                    partition.producePurgatory.watch(operation, key: data.topicPartition)
                }
                return promise.futureResult
            }
        }
    }
}
