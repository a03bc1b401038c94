import BrokerCore
import KafkaRecords

/// Errors of the storage layer. The API layer maps them to Kafka error codes (noted per case).
public enum LogError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A batch is damaged: framing, magic or CRC (Kafka `CORRUPT_MESSAGE`, 2).
    case corruptMessage(RecordBatchError)
    /// A well-formed batch breaks a content rule (Kafka `INVALID_RECORD`, 87).
    case invalidRecord(RecordBatchError)
    /// One batch is larger than `max.message.bytes` (Kafka `MESSAGE_TOO_LARGE`, 10).
    case messageTooLarge(size: Int, maxMessageBytes: Int)
    /// The appended batches together exceed `segment.bytes` (Kafka `RECORD_LIST_TOO_LARGE`, 18).
    case recordListTooLarge(size: Int, segmentBytes: Int)
    /// The requested offset is outside [logStartOffset, logEndOffset] (Kafka `OFFSET_OUT_OF_RANGE`, 1).
    case offsetOutOfRange(requested: Offset, logStartOffset: Offset, logEndOffset: Offset)
    /// A follower append whose first offset is below the log end offset, or whose batches are not
    /// in increasing offset order (Kafka's `UnexpectedAppendOffsetException`; the replica fetcher
    /// truncates and retries).
    case unexpectedAppendOffset(firstOffset: Offset, logEndOffset: Offset)
    /// Stored data failed its CRC when read: the bytes are never served (Kafka `KAFKA_STORAGE_ERROR`, 56).
    case corruptLog(path: String, position: Int64, reason: RecordBatchError)
    /// An operating-system error on a file (Kafka `KAFKA_STORAGE_ERROR`, 56).
    case io(operation: String, path: String, errno: Int32)
    /// A file or directory layout the log cannot use (e.g. one partition in two log dirs).
    case invalidLayout(String)
    /// The log was closed or deleted.
    case closed

    public var description: String {
        switch self {
        case .corruptMessage(let error): "corrupt message: \(error)"
        case .invalidRecord(let error): "invalid record: \(error)"
        case .messageTooLarge(let size, let max): "message of \(size) bytes exceeds max.message.bytes \(max)"
        case .recordListTooLarge(let size, let max): "record list of \(size) bytes exceeds segment.bytes \(max)"
        case .offsetOutOfRange(let requested, let start, let end):
            "offset \(requested) is out of range [\(start), \(end)]"
        case .unexpectedAppendOffset(let first, let end): "append at offset \(first) but the log end offset is \(end)"
        case .corruptLog(let path, let position, let reason): "corrupt data in \(path) at position \(position): \(reason)"
        case .io(let operation, let path, let errno): "\(operation) \(path) failed: errno \(errno)"
        case .invalidLayout(let reason): "invalid log layout: \(reason)"
        case .closed: "the log is closed"
        }
    }

    /// Maps a batch error from a produce request to the right case.
    static func rejected(_ error: RecordBatchError) -> LogError {
        error.isCorruption ? .corruptMessage(error) : .invalidRecord(error)
    }
}
