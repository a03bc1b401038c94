import BrokerCore
import NIOCore

/// An acks=all append waiting for the high watermark (Kafka `DelayedProduce`, one partition).
///
/// Home loop = the partition's loop; watched in that loop's produce purgatory under the
/// partition. Completes when ``PartitionState/produceCompletion(requiredOffset:)`` answers
/// (high watermark reached, leadership lost, ISR below min.insync.replicas) or, after the
/// request timeout, with REQUEST_TIMED_OUT.
final class DelayedProduce: DelayedOperation, @unchecked Sendable {
    let partition: Partition
    let requiredOffset: Offset
    let result: ProducePartitionResult
    let promise: EventLoopPromise<ProducePartitionResult>

    init(partition: Partition, requiredOffset: Offset, result: ProducePartitionResult, promise: EventLoopPromise<ProducePartitionResult>) {
        self.partition = partition
        self.requiredOffset = requiredOffset
        self.result = result
        self.promise = promise
        super.init(eventLoop: partition.eventLoop)
    }

    override func tryComplete() -> Bool {
        guard partition.state.produceCompletion(requiredOffset: requiredOffset) != nil else { return false }
        return forceComplete()
    }

    override func onComplete() {
        var answer = result
        let code = partition.state.produceCompletion(requiredOffset: requiredOffset) ?? .requestTimedOut
        if code != .none {
            answer = ProducePartitionResult(errorCode: code, logStartOffset: result.logStartOffset)
        }
        promise.succeed(answer)
    }
}
