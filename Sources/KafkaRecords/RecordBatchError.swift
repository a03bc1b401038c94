import BrokerCore

/// Why a record batch (or a record in it) was rejected.
///
/// ``isCorruption`` separates damage (bad framing, CRC, magic: Kafka's `CORRUPT_MESSAGE`) from
/// well-formed but illegal content (Kafka's `INVALID_RECORD`).
public enum RecordBatchError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Fewer bytes than the header or the declared batch length needs.
    case truncated(needed: Int, available: Int)
    /// `batchLength` below the header size (49) or above the allowed maximum.
    case invalidBatchLength(Int32)
    /// Magic other than 2.
    case unsupportedMagic(Int8)
    /// The stored CRC does not match the CRC-32C of attributes..end.
    case crcMismatch(stored: UInt32, computed: UInt32)
    /// Compression bits 5-7 (unassigned).
    case invalidCompression(Int16)
    /// `lastOffsetDelta` < 0 ("Batch has an invalid offset range").
    case invalidOffsetRange(lastOffsetDelta: Int32)
    /// `recordsCount` <= 0 ("Invalid reported count for record batch").
    case invalidRecordCount(Int32)
    /// `lastOffsetDelta + 1 != recordsCount` ("Inconsistent batch offset range").
    case inconsistentRecordCount(lastOffsetDelta: Int32, recordsCount: Int32)
    /// A client sent a control batch.
    case controlBatchFromClient
    /// An idempotent batch with a negative base sequence.
    case invalidSequence(producerID: ProducerID, baseSequence: Int32)
    /// A record inside an uncompressed batch does not decode (varints, lengths, count).
    case invalidRecord(String)

    /// True for damage (Kafka `CORRUPT_MESSAGE`), false for illegal content (`INVALID_RECORD`).
    public var isCorruption: Bool {
        switch self {
        case .truncated, .invalidBatchLength, .unsupportedMagic, .crcMismatch, .invalidRecord: true
        case .invalidCompression, .invalidOffsetRange, .invalidRecordCount, .inconsistentRecordCount,
            .controlBatchFromClient, .invalidSequence:
            false
        }
    }

    public var description: String {
        switch self {
        case .truncated(let needed, let available): "truncated batch: needs \(needed) bytes, \(available) available"
        case .invalidBatchLength(let length): "invalid batch length \(length)"
        case .unsupportedMagic(let magic): "unsupported magic \(magic)"
        case .crcMismatch(let stored, let computed):
            "CRC mismatch: stored \(String(stored, radix: 16)), computed \(String(computed, radix: 16))"
        case .invalidCompression(let attributes): "invalid compression in attributes \(attributes)"
        case .invalidOffsetRange(let delta): "batch has an invalid offset range (lastOffsetDelta \(delta))"
        case .invalidRecordCount(let count): "invalid reported count for record batch: \(count)"
        case .inconsistentRecordCount(let delta, let count):
            "inconsistent batch offset range (lastOffsetDelta \(delta)) and count of records \(count)"
        case .controlBatchFromClient: "clients are not allowed to write control records"
        case .invalidSequence(let producer, let sequence):
            "invalid sequence number \(sequence) in record batch with producerId \(producer)"
        case .invalidRecord(let reason): "invalid record: \(reason)"
        }
    }
}
