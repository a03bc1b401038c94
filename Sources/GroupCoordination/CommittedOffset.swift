import BrokerCore

/// A committed offset of one partition (Kafka's `OffsetAndMetadata`), as stored in an
/// `OffsetCommitValue` record.
public struct CommittedOffset: Sendable, Hashable {
    public var offset: Offset
    /// The leader epoch the client saw with the offset (OffsetCommit v6+), `.unknown` if none.
    public var leaderEpoch: LeaderEpoch
    public var metadata: String
    /// Wall-clock ms of the commit.
    public var commitTimestamp: Int64
    /// Set only by OffsetCommit v2-v4 with an explicit retention time (stored as value v1); such
    /// offsets expire at this wall-clock ms instead of by the group rules.
    public var expireTimestamp: Int64?

    public init(
        offset: Offset, leaderEpoch: LeaderEpoch = .unknown, metadata: String = "", commitTimestamp: Int64,
        expireTimestamp: Int64? = nil
    ) {
        self.offset = offset
        self.leaderEpoch = leaderEpoch
        self.metadata = metadata
        self.commitTimestamp = commitTimestamp
        self.expireTimestamp = expireTimestamp
    }
}

/// A committed offset with the `__consumer_offsets` offset of the batch that stored it; the
/// newest record wins when commits complete out of order (Kafka's `CommitRecordMetadataAndOffset`).
struct StoredOffset: Sendable, Hashable {
    var recordOffset: Offset
    var value: CommittedOffset
}
