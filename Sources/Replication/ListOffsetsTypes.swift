import BrokerCore

/// A ListOffsets answer for one partition.
public struct ListOffsetsPartitionResult: Sendable, Hashable {
    public var errorCode: ErrorCode
    /// -1 when no record matched or for earliest/latest.
    public var timestamp: Int64
    /// -1 when no record matched.
    public var offset: Offset
    public var leaderEpoch: LeaderEpoch

    public init(errorCode: ErrorCode, timestamp: Int64 = -1, offset: Offset = .unknown, leaderEpoch: LeaderEpoch = .unknown) {
        self.errorCode = errorCode
        self.timestamp = timestamp
        self.offset = offset
        self.leaderEpoch = leaderEpoch
    }
}
