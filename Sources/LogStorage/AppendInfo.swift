import BrokerCore

/// What an append did (Kafka's `LogAppendInfo`, reduced to the facts storage knows).
public struct AppendInfo: Hashable, Sendable {
    /// Offset of the first record appended (the log end offset before the append).
    public var firstOffset: Offset
    /// Offset of the last record appended (`firstOffset - 1` if nothing was appended).
    public var lastOffset: Offset
    /// The broker time stamped into the batches for `LogAppendTime` topics, else -1.
    public var logAppendTime: Int64
    /// Largest batch `maxTimestamp` appended (-1 if none) and the last offset of its batch.
    public var maxTimestamp: Int64
    public var offsetOfMaxTimestamp: Offset
    /// Number of batches and records appended and their total size.
    public var batchCount: Int
    public var recordCount: Int
    public var sizeInBytes: Int
    /// The log start offset after the append (for the produce response).
    public var logStartOffset: Offset
}
