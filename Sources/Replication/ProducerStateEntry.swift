import BrokerCore

/// One appended batch of an idempotent producer, as remembered for duplicate detection
/// (Kafka `BatchMetadata`).
public struct ProducerBatchMetadata: Sendable, Hashable {
    public var firstSequence: Int32
    public var lastSequence: Int32
    public var firstOffset: Offset
    public var lastOffset: Offset
    /// The batch's max timestamp (the append time for LogAppendTime topics).
    public var timestamp: Int64
}

/// What a partition remembers about one producer id (Kafka `ProducerStateEntry`): its epoch and
/// its last ``retainedBatches`` batches, oldest first.
public struct ProducerStateEntry: Sendable, Hashable {
    /// Kafka `NUM_BATCHES_TO_RETAIN`: the window a client may have in flight (max.in.flight = 5).
    public static let retainedBatches = 5

    public var producerEpoch: ProducerEpoch
    public private(set) var batches: [ProducerBatchMetadata]

    public init(producerEpoch: ProducerEpoch = .none, batches: [ProducerBatchMetadata] = []) {
        self.producerEpoch = producerEpoch
        self.batches = batches
    }

    public var lastSequence: Int32? { batches.last?.lastSequence }

    /// Records an appended batch; a new epoch forgets the old epoch's batches.
    public mutating func add(epoch: ProducerEpoch, _ batch: ProducerBatchMetadata) {
        if epoch != producerEpoch {
            producerEpoch = epoch
            batches.removeAll()
        }
        if batches.count == Self.retainedBatches { batches.removeFirst() }
        batches.append(batch)
    }

    /// The retained batch with exactly this epoch and sequence range (a retried send), if any.
    public func duplicate(epoch: ProducerEpoch, firstSequence: Int32, lastSequence: Int32) -> ProducerBatchMetadata? {
        guard epoch == producerEpoch else { return nil }
        return batches.first { $0.firstSequence == firstSequence && $0.lastSequence == lastSequence }
    }
}
