import BrokerCore

/// What the leader knows about one follower (Kafka's `Replica` state): its log end offset from
/// its last fetch and when it was last caught up. Value type, part of ``PartitionState``.
public struct ReplicaProgress: Sendable, Hashable {
    /// The follower's log end offset (its last fetch offset); `.unknown` until it fetches.
    public var logEndOffset: Offset = .unknown
    /// Last time (ms) the follower was known to have caught up to the leader's log end offset.
    public var lastCaughtUpTimeMs: Int64 = 0
    /// The leader's log end offset at the follower's previous fetch, and that fetch's time.
    public var lastFetchLeaderLogEndOffset: Offset = .unknown
    public var lastFetchTimeMs: Int64 = 0

    public init() {}

    /// Records a fetch at `fetchOffset` (Kafka `Replica.updateFetchStateOrThrow`): the follower
    /// caught up at this fetch if it reached the leader's current end, or at the previous fetch
    /// if it reached the leader's end as of that fetch.
    mutating func recordFetch(fetchOffset: Offset, leaderEndOffset: Offset, nowMs: Int64) {
        if fetchOffset >= leaderEndOffset {
            lastCaughtUpTimeMs = max(lastCaughtUpTimeMs, nowMs)
        } else if lastFetchLeaderLogEndOffset != .unknown, fetchOffset >= lastFetchLeaderLogEndOffset {
            lastCaughtUpTimeMs = max(lastCaughtUpTimeMs, lastFetchTimeMs)
        }
        logEndOffset = fetchOffset
        lastFetchLeaderLogEndOffset = leaderEndOffset
        lastFetchTimeMs = nowMs
    }

    /// Kafka `isCaughtUp`: at the leader's end, or caught up within the last `lagMs`.
    func isCaughtUp(leaderEndOffset: Offset, nowMs: Int64, lagMs: Int64) -> Bool {
        logEndOffset == leaderEndOffset || nowMs - lastCaughtUpTimeMs <= lagMs
    }
}
