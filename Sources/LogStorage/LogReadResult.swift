import BrokerCore
import NIOCore

/// The result of ``PartitionLog/read(from:maxBytes:upperBound:minOneBatch:)``.
///
/// `records` is nil when nothing could be returned (fetch offset at the end, or the first batch
/// is above `upperBound`, or bigger than `maxBytes` without `minOneBatch`). Otherwise it covers
/// whole batches, the first one containing the fetch offset (so it may start before it: clients
/// skip records below their fetch offset, as with Kafka).
public struct LogReadResult: Sendable {
    public var records: FileSlice?
    /// Base offset of the first returned batch, and the offset after the last returned one.
    public var firstBatchBaseOffset: Offset?
    public var nextFetchOffset: Offset?
    public var batchCount: Int
    /// Log facts at the time of the read (for the fetch response).
    public var logStartOffset: Offset
    public var logEndOffset: Offset
    public var highWatermark: Offset

    /// Size of the returned records in bytes.
    public var sizeInBytes: Int { records?.length ?? 0 }

    /// The returned batches as bytes (empty buffer if none).
    public func readBytes() throws(LogError) -> ByteBuffer {
        guard let records else { return ByteBuffer() }
        return try records.readBytes()
    }
}

/// A ListOffsets answer: an offset, the timestamp that matched, and the epoch of that offset.
public struct TimestampAndOffset: Hashable, Sendable {
    public var timestamp: Int64
    public var offset: Offset
    public var leaderEpoch: LeaderEpoch?
    public init(timestamp: Int64, offset: Offset, leaderEpoch: LeaderEpoch?) {
        self.timestamp = timestamp
        self.offset = offset
        self.leaderEpoch = leaderEpoch
    }
}

/// The special timestamps of ListOffsets.
public enum OffsetLookup: Hashable, Sendable {
    /// -2: the log start offset.
    case earliest
    /// -1: the log end offset (the API layer bounds it by the high watermark for consumers).
    case latest
    /// -3: the offset of the record with the largest timestamp.
    case maxTimestamp
    /// ≥ 0: the first offset whose timestamp is ≥ this.
    case timestamp(Int64)

    /// Maps Kafka's wire value (-2, -1, -3, or a timestamp); nil for other negatives.
    public init?(kafkaTimestamp: Int64) {
        switch kafkaTimestamp {
        case -2: self = .earliest
        case -1: self = .latest
        case -3: self = .maxTimestamp
        case 0...: self = .timestamp(kafkaTimestamp)
        default: return nil
        }
    }
}
