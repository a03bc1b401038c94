import BrokerCore
import LogStorage

/// Kafka's fetch isolation level. Only read_uncommitted is implemented (there are no
/// transactions yet); read_committed reads up to the last stable offset, which then equals
/// the high watermark.
public enum IsolationLevel: Sendable, Hashable {
    case readUncommitted
    case readCommitted
}

/// One partition of a fetch request.
public struct FetchPartitionRequest: Sendable, Hashable {
    public var topicPartition: TopicPartition
    public var fetchOffset: Offset
    public var partitionMaxBytes: Int
    /// KIP-320 current leader epoch (-1 = not checked).
    public var currentLeaderEpoch: LeaderEpoch
    /// The follower's log start offset (followers only; -1 for consumers).
    public var logStartOffset: Offset
    /// Fetch v12+ `lastFetchedEpoch`: the epoch of the fetcher's last batch (-1 = not checked).
    /// When the leader's log does not have it ending at or after `fetchOffset`, the result
    /// carries a ``FetchPartitionResult/divergingEpoch`` instead of records.
    public var lastFetchedEpoch: LeaderEpoch

    public init(
        topicPartition: TopicPartition, fetchOffset: Offset, partitionMaxBytes: Int,
        currentLeaderEpoch: LeaderEpoch = .unknown, logStartOffset: Offset = .unknown,
        lastFetchedEpoch: LeaderEpoch = .unknown
    ) {
        self.topicPartition = topicPartition
        self.fetchOffset = fetchOffset
        self.partitionMaxBytes = partitionMaxBytes
        self.currentLeaderEpoch = currentLeaderEpoch
        self.logStartOffset = logStartOffset
        self.lastFetchedEpoch = lastFetchedEpoch
    }
}

/// A fetch request's parameters (Kafka `FetchParams`).
public struct FetchParams: Sendable, Hashable {
    /// -1 for consumers, the broker id for followers.
    public var replicaID: BrokerID
    public var maxWaitMs: Int64
    public var minBytes: Int
    /// Bound on the records of all partitions together (at least one batch is returned).
    public var maxBytes: Int
    public var isolation: IsolationLevel
    public var partitions: [FetchPartitionRequest]

    public init(
        replicaID: BrokerID = .none, maxWaitMs: Int64, minBytes: Int, maxBytes: Int,
        isolation: IsolationLevel = .readUncommitted, partitions: [FetchPartitionRequest]
    ) {
        self.replicaID = replicaID
        self.maxWaitMs = maxWaitMs
        self.minBytes = minBytes
        self.maxBytes = maxBytes
        self.isolation = isolation
        self.partitions = partitions
    }

    public var isFromFollower: Bool { replicaID.rawValue >= 0 }
}

/// One partition's fetch result (the fields of a Fetch response partition).
public struct FetchPartitionResult: Sendable {
    public var topicPartition: TopicPartition
    public var errorCode: ErrorCode
    public var highWatermark: Offset
    public var lastStableOffset: Offset
    public var logStartOffset: Offset
    /// The records read (nil or empty when there is nothing, or on error). `records.records` is
    /// a ``FileSlice`` for zero-copy sends.
    public var records: LogReadResult?
    /// Fetch v12+ `divergingEpoch`: the largest epoch ≤ the request's `lastFetchedEpoch` in the
    /// leader's log and where it ends, when the fetcher's log diverges (no records then).
    public var divergingEpoch: DivergingEpoch?

    public init(
        topicPartition: TopicPartition, errorCode: ErrorCode, highWatermark: Offset = .unknown,
        lastStableOffset: Offset = .unknown, logStartOffset: Offset = .unknown, records: LogReadResult? = nil,
        divergingEpoch: DivergingEpoch? = nil
    ) {
        self.topicPartition = topicPartition
        self.errorCode = errorCode
        self.highWatermark = highWatermark
        self.lastStableOffset = lastStableOffset
        self.logStartOffset = logStartOffset
        self.records = records
        self.divergingEpoch = divergingEpoch
    }

    /// Size of the returned records in bytes.
    public var sizeInBytes: Int { records?.sizeInBytes ?? 0 }
}

/// Where the leader's log leaves a fetcher's history (Fetch response `DivergingEpoch`).
public struct DivergingEpoch: Sendable, Hashable {
    public var epoch: LeaderEpoch
    public var endOffset: Offset

    public init(epoch: LeaderEpoch, endOffset: Offset) {
        self.epoch = epoch
        self.endOffset = endOffset
    }
}
