import KafkaRecords

/// Per-partition log settings: Kafka's topic-level configs with broker defaults.
///
/// Pass the effective value (broker defaults overridden by the topic's configs) when creating or
/// opening a partition, or later with ``PartitionLog/updateConfig(_:)``.
public struct LogConfig: Sendable, Hashable {
    /// `segment.bytes`: roll when the active segment would exceed this (default 1 GiB).
    public var segmentBytes: Int
    /// `segment.ms`: roll when the active segment's first batch is older than this (default 7 d).
    public var segmentMs: Int64
    /// `retention.ms`: delete segments whose newest timestamp is older (-1 = keep; default 7 d).
    public var retentionMs: Int64
    /// `retention.bytes`: delete oldest segments while the log is larger (-1 = no limit).
    public var retentionBytes: Int64
    /// `max.message.bytes`: the largest batch a producer may append (default 1 MiB + 12).
    public var maxMessageBytes: Int
    /// `index.interval.bytes`: bytes between offset-index entries (default 4096).
    public var indexIntervalBytes: Int
    /// `segment.index.bytes`: preallocated size of each index file (default 10 MiB).
    public var segmentIndexBytes: Int
    /// `flush.messages`: fsync after this many appended records (default: never).
    public var flushIntervalMessages: Int64
    /// `flush.ms`: fsync when unflushed data is older than this (default: never); checked by
    /// ``PartitionLog/flushIfDue()`` which the caller runs periodically.
    public var flushIntervalMs: Int64
    /// `message.timestamp.type`: `LogAppendTime` makes the broker stamp each batch.
    public var messageTimestampType: TimestampType

    public init(
        segmentBytes: Int = 1 << 30, segmentMs: Int64 = 7 * 24 * 3_600_000, retentionMs: Int64 = 7 * 24 * 3_600_000,
        retentionBytes: Int64 = -1, maxMessageBytes: Int = 1_048_588, indexIntervalBytes: Int = 4096,
        segmentIndexBytes: Int = 10 * 1024 * 1024, flushIntervalMessages: Int64 = .max, flushIntervalMs: Int64 = .max,
        messageTimestampType: TimestampType = .createTime
    ) {
        self.segmentBytes = segmentBytes
        self.segmentMs = segmentMs
        self.retentionMs = retentionMs
        self.retentionBytes = retentionBytes
        self.maxMessageBytes = maxMessageBytes
        self.indexIntervalBytes = indexIntervalBytes
        self.segmentIndexBytes = segmentIndexBytes
        self.flushIntervalMessages = flushIntervalMessages
        self.flushIntervalMs = flushIntervalMs
        self.messageTimestampType = messageTimestampType
    }

    /// Kafka's defaults.
    public static let `default` = LogConfig()

    /// Offset-index capacity in entries (at least 2).
    var offsetIndexEntries: Int { max(segmentIndexBytes / OffsetIndex.entrySize, 2) }
    /// Time-index capacity in entries (at least 2).
    var timeIndexEntries: Int { max(segmentIndexBytes / TimeIndex.entrySize, 2) }
}
