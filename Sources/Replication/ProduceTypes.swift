import BrokerCore
import NIOCore

/// Kafka's `acks` of a produce request.
public enum RequiredAcks: Sendable, Hashable {
    /// 0: no response is sent (the API layer closes the connection on errors).
    case none
    /// 1: answered after the leader's append.
    case leader
    /// -1 (all): answered when the high watermark passes the append (or on timeout).
    case all

    /// Maps the wire value; nil for anything but 0, 1, -1 (INVALID_REQUIRED_ACKS).
    public init?(wireValue: Int16) {
        switch wireValue {
        case 0: self = .none
        case 1: self = .leader
        case -1: self = .all
        default: return nil
        }
    }
}

/// One partition's records in a produce request.
public struct ProducePartitionData: Sendable {
    public var topicPartition: TopicPartition
    /// The record batches exactly as received (v2 format).
    public var records: ByteBuffer
    /// The topic's `min.insync.replicas` (checked for acks=all; also kept as the partition's
    /// value for the high-watermark rule).
    public var minInSyncReplicas: Int

    public init(topicPartition: TopicPartition, records: ByteBuffer, minInSyncReplicas: Int = 1) {
        self.topicPartition = topicPartition
        self.records = records
        self.minInSyncReplicas = minInSyncReplicas
    }
}

/// A record-level error of a produce response (`RecordErrors`, Produce v8+).
public struct RecordError: Sendable, Hashable {
    public var batchIndex: Int32
    public var message: String?
}

/// One partition's produce result (the fields of a Produce response partition).
public struct ProducePartitionResult: Sendable, Hashable {
    public var errorCode: ErrorCode
    /// Offset of the first appended record (-1 on error). For a duplicate, the original's.
    public var baseOffset: Offset
    /// The append time for LogAppendTime topics, else -1.
    public var logAppendTime: Int64
    public var logStartOffset: Offset
    public var recordErrors: [RecordError]
    /// A message for the response's `ErrorMessage` field.
    public var errorMessage: String?

    public init(
        errorCode: ErrorCode, baseOffset: Offset = .unknown, logAppendTime: Int64 = -1, logStartOffset: Offset = .unknown,
        recordErrors: [RecordError] = [], errorMessage: String? = nil
    ) {
        self.errorCode = errorCode
        self.baseOffset = baseOffset
        self.logAppendTime = logAppendTime
        self.logStartOffset = logStartOffset
        self.recordErrors = recordErrors
        self.errorMessage = errorMessage
    }

    public static func error(_ code: ErrorCode, _ message: String? = nil) -> ProducePartitionResult {
        ProducePartitionResult(errorCode: code, errorMessage: message)
    }
}
