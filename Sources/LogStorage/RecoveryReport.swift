import BrokerCore

/// What loading a partition log found and changed: the facts recovery logs, for callers and tests.
public struct RecoveryReport: Hashable, Sendable {
    /// Where a segment was cut back and why.
    public struct Truncation: Hashable, Sendable {
        public var segmentBaseOffset: Offset
        /// Byte position of the first invalid batch (the new segment size).
        public var position: Int64
        public var bytesDropped: Int64
        /// The log end offset before which everything was kept.
        public var keptUpTo: Offset
        public var reason: String
    }

    public var topicPartition: TopicPartition
    /// Whether the log dir had the clean-shutdown marker.
    public var cleanShutdown: Bool
    /// Segments re-validated batch by batch (base offsets).
    public var recoveredSegments: [Offset] = []
    /// Segments whose indexes were missing or failed the sanity check and were rebuilt.
    public var rebuiltIndexes: [Offset] = []
    public var truncation: Truncation?
    /// Segments deleted because they followed a truncation point (base offsets and sizes).
    public var deletedSegments: [Offset] = []
    public var deletedBytes: Int64 = 0
    /// Leftover or orphaned files removed (names).
    public var removedFiles: [String] = []
    public var logStartOffset: Offset = .zero
    public var logEndOffset: Offset = .zero

    /// Whether anything was dropped from the log.
    public var droppedData: Bool { truncation != nil || !deletedSegments.isEmpty }
}
