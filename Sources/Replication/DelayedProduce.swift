import BrokerCore
import NIOCore

/// An acks=all append waiting for the high watermark (Kafka `DelayedProduce`, one partition).
///
/// Home loop = the partition's loop; watched in that loop's produce purgatory under the
/// partition. Completes when ``PartitionState/produceCompletion(requiredOffset:)`` answers
/// (high watermark reached, leadership lost, ISR below min.insync.replicas) or, after the
/// request timeout, with REQUEST_TIMED_OUT. `completion` is called exactly once, on the home
/// loop.
final class DelayedProduce: DelayedOperation, @unchecked Sendable {
    let partition: Partition
    let requiredOffset: Offset
    let result: ProducePartitionResult
    let completion: @Sendable (ProducePartitionResult) -> Void

    init(
        partition: Partition, requiredOffset: Offset, result: ProducePartitionResult,
        completion: @escaping @Sendable (ProducePartitionResult) -> Void
    ) {
        self.partition = partition
        self.requiredOffset = requiredOffset
        self.result = result
        self.completion = completion
        super.init(eventLoop: partition.eventLoop)
    }

    override func tryComplete() -> Bool {
        guard partition.state.produceCompletion(requiredOffset: requiredOffset) != nil else { return false }
        return forceComplete()
    }

    override func onComplete() {
        let code = partition.state.produceCompletion(requiredOffset: requiredOffset) ?? .requestTimedOut
        completion(Self.answer(result, code: code))
    }

    /// The append's result when the wait ends with `code` (NONE keeps the append's result).
    static func answer(_ result: ProducePartitionResult, code: ErrorCode) -> ProducePartitionResult {
        guard code != .none else { return result }
        return ProducePartitionResult(errorCode: code, logStartOffset: result.logStartOffset)
    }
}
