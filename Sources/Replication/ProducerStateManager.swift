import BrokerCore
import KafkaRecords
import LogStorage

/// A partition's idempotent-producer state (Kafka `ProducerStateManager`, without transactions):
/// for each producer id its epoch and last 5 batches.
///
/// Validation follows Kafka 3.9 (`ProducerAppendInfo.checkProducerEpoch/checkSequence`) for
/// client appends:
/// - same epoch and exact sequence range of a retained batch → duplicate (answer with the
///   original offsets, no error; checked first, as `UnifiedLog.analyzeAndValidateProducerState`);
/// - epoch older than the known one → INVALID_PRODUCER_EPOCH (47; since 2.7 Produce answers this,
///   not PRODUCER_FENCED);
/// - a new epoch must start at sequence 0, else OUT_OF_ORDER_SEQUENCE_NUMBER (45);
/// - same epoch: the first sequence must follow the last (wrapping at Int32.max), else
///   OUT_OF_ORDER_SEQUENCE_NUMBER;
/// - an unknown producer id is accepted at any sequence (Kafka ≥ 2.5, KIP-360: the state may
///   have been removed by retention or DeleteRecords, so UNKNOWN_PRODUCER_ID is no longer sent).
///
/// Durability: the state is not snapshotted; it is rebuilt from the batch headers of the log
/// (``catchUp(with:)`` reads from ``mapEndOffset`` to the log end). A broker restart therefore
/// scans the headers (61 bytes per batch) of each partition once, when it becomes leader or
/// follower. Value type, owned by the partition's event loop.
public struct ProducerStateManager: Sendable {
    public private(set) var producers: [ProducerID: ProducerStateEntry] = [:]
    /// The log offset up to which the state reflects the log.
    public private(set) var mapEndOffset: Offset = .zero

    public init() {}

    public func entry(for producerID: ProducerID) -> ProducerStateEntry? { producers[producerID] }

    /// The outcome of validating a leader append.
    public enum Validation: Sendable, Hashable {
        /// Append; then call ``commit(_:)`` with these pending updates and the assigned offsets.
        case append(PendingAppend)
        /// A retried batch already in the log: answer with its original offsets.
        case duplicate(ProducerBatchMetadata)
        case rejected(ErrorCode)
    }

    /// Producer-state updates of a validated append, applied once the log accepted it.
    public struct PendingAppend: Sendable, Hashable {
        struct Batch: Sendable, Hashable {
            var producerID: ProducerID
            var epoch: ProducerEpoch
            var firstSequence: Int32
            var lastSequence: Int32
            /// Offsets relative to the append's first offset.
            var firstDelta: Int64
            var lastDelta: Int64
            var maxTimestamp: Int64
        }
        var batches: [Batch] = []
    }

    /// Validates the batches of a client append (headers in log order).
    public func validate(_ headers: [RecordBatchHeader]) -> Validation {
        var scratch: [ProducerID: ProducerStateEntry] = [:]
        var pending = PendingAppend()
        var delta: Int64 = 0
        for header in headers {
            defer { delta += Int64(header.lastOffsetDelta) + 1 }
            guard header.hasProducerID else { continue }
            let id = header.producerID
            let firstSequence = header.baseSequence
            let lastSequence = Self.lastSequence(header)
            let current = scratch[id] ?? producers[id] ?? ProducerStateEntry()
            if let original = producers[id]?.duplicate(
                epoch: header.producerEpoch, firstSequence: firstSequence, lastSequence: lastSequence)
            {
                return .duplicate(original)
            }
            if let error = Self.check(current, epoch: header.producerEpoch, firstSequence: firstSequence) {
                return .rejected(error)
            }
            var updated = current
            updated.add(
                epoch: header.producerEpoch,
                ProducerBatchMetadata(
                    firstSequence: firstSequence, lastSequence: lastSequence, firstOffset: Offset(delta),
                    lastOffset: Offset(delta + Int64(header.lastOffsetDelta)), timestamp: header.maxTimestamp))
            scratch[id] = updated
            pending.batches.append(
                .init(
                    producerID: id, epoch: header.producerEpoch, firstSequence: firstSequence, lastSequence: lastSequence,
                    firstDelta: delta, lastDelta: delta + Int64(header.lastOffsetDelta), maxTimestamp: header.maxTimestamp))
        }
        return .append(pending)
    }

    /// Applies a validated append whose first record got `firstOffset`; `nextOffset` is the log
    /// end after it. `appendTime` replaces batch timestamps for LogAppendTime topics (else -1).
    public mutating func commit(_ pending: PendingAppend, firstOffset: Offset, nextOffset: Offset, appendTime: Int64) {
        for batch in pending.batches {
            var entry = producers[batch.producerID] ?? ProducerStateEntry()
            entry.add(
                epoch: batch.epoch,
                ProducerBatchMetadata(
                    firstSequence: batch.firstSequence, lastSequence: batch.lastSequence,
                    firstOffset: firstOffset + batch.firstDelta, lastOffset: firstOffset + batch.lastDelta,
                    timestamp: appendTime >= 0 ? appendTime : batch.maxTimestamp))
            producers[batch.producerID] = entry
        }
        mapEndOffset = max(mapEndOffset, nextOffset)
    }

    /// Replays batches already in the log from ``mapEndOffset`` (or the log start, if later) to
    /// the log end, without validation (Kafka's recovery path).
    public mutating func catchUp(with log: PartitionLog) throws {
        let start = max(mapEndOffset, log.logStartOffset)
        let end = log.logEndOffset
        if mapEndOffset < log.logStartOffset { mapEndOffset = log.logStartOffset }
        guard start < end else { return }
        var replayed: [ProducerID: ProducerStateEntry] = producers
        try log.forEachBatch(from: start) { header in
            if header.lastOffset >= start { Self.replay(header, into: &replayed) }
            return header.nextOffset < end
        }
        producers = replayed
        mapEndOffset = end
    }

    /// Records batches a follower copied from its leader (Kafka's replication-origin append):
    /// no validation, the leader already did it; an older epoch than known is ignored.
    /// `nextOffset` is the log end offset after the append.
    public mutating func applyReplicated(_ headers: [RecordBatchHeader], nextOffset: Offset) {
        for header in headers where header.lastOffset >= mapEndOffset { Self.replay(header, into: &producers) }
        mapEndOffset = max(mapEndOffset, nextOffset)
    }

    private static func replay(_ header: RecordBatchHeader, into producers: inout [ProducerID: ProducerStateEntry]) {
        guard header.hasProducerID else { return }
        var entry = producers[header.producerID] ?? ProducerStateEntry()
        guard header.producerEpoch >= entry.producerEpoch else { return }
        entry.add(
            epoch: header.producerEpoch,
            ProducerBatchMetadata(
                firstSequence: header.baseSequence, lastSequence: lastSequence(header), firstOffset: header.baseOffset,
                lastOffset: header.lastOffset, timestamp: header.maxTimestamp))
        producers[header.producerID] = entry
    }

    /// Forgets everything (the log was truncated or replaced): the next ``catchUp(with:)``
    /// rebuilds from the log start.
    public mutating func reset() {
        producers.removeAll()
        mapEndOffset = .zero
    }

    /// Kafka's `lastSequence`: the base sequence plus the offset delta, wrapping past Int32.max.
    static func lastSequence(_ header: RecordBatchHeader) -> Int32 {
        guard header.baseSequence >= 0 else { return -1 }
        let last = Int64(header.baseSequence) + Int64(header.lastOffsetDelta)
        return last > Int64(Int32.max) ? Int32(last - Int64(Int32.max) - 1) : Int32(last)
    }

    private static func check(_ entry: ProducerStateEntry, epoch: ProducerEpoch, firstSequence: Int32) -> ErrorCode? {
        if entry.producerEpoch != .none, epoch < entry.producerEpoch { return .invalidProducerEpoch }
        if epoch != entry.producerEpoch {
            // A known producer bumping its epoch restarts at 0; an unknown one may start anywhere.
            if entry.producerEpoch != .none, firstSequence != 0 { return .outOfOrderSequenceNumber }
            return nil
        }
        guard let last = entry.lastSequence else { return nil }
        let inSequence = Int64(firstSequence) == Int64(last) + 1 || (firstSequence == 0 && last == Int32.max)
        return inSequence ? nil : .outOfOrderSequenceNumber
    }
}
