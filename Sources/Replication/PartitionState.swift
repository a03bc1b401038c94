import BrokerCore

/// A partition's replication state as a plain value (Kafka `Partition`'s leader/ISR part, without
/// locks): role, epochs, assignment, ISR, follower progress, high watermark.
///
/// Event methods take the facts they need (the leader's log end offset, the current time) and
/// return what changed as ``PartitionStateChange``s; the owner (``Partition``, on its event loop)
/// applies them (updates the log's high watermark, wakes waiting operations, reports ISR changes).
///
/// Rules (Kafka 3.9, ZooKeeper mode):
/// - High watermark = min log end offset over the ISR (the leader's own included), never moving
///   backwards, and not advancing at all while |ISR| < `min.insync.replicas` (KAFKA-15583).
/// - A follower leaves the ISR when it is not at the leader's log end and has not caught up for
///   more than `replica.lag.time.max.ms`.
/// - A follower joins the ISR when its log end offset is ≥ the high watermark and ≥ the start
///   offset of the leader's current epoch.
/// - ISR changes are proposed (``PartitionStateChange/isrUpdateProposed``), written by the owner
///   (ZooKeeper, conditional on the partition epoch) and committed with
///   ``commitIsrUpdate(_:partitionEpoch:leaderEndOffset:nowMs:lagMs:)``. One change is in flight
///   at a time. Kafka's "maximal ISR" rule: the high watermark counts a pending addition at once,
///   and a pending removal only after it is committed (``maximalIsr``); the min.insync.replicas
///   checks use the committed ``isr``. LeaderAndIsr replaces everything (pending change included).
public struct PartitionState: Sendable, Hashable {
    public enum Role: Sendable, Hashable {
        case leader
        case follower
        /// Created but not yet told its role (or stopped).
        case none
    }

    public let topicPartition: TopicPartition
    public let localBrokerID: BrokerID
    public private(set) var role: Role = .none
    public private(set) var leader: BrokerID = .none
    public private(set) var leaderEpoch: LeaderEpoch = .unknown
    public private(set) var partitionEpoch: Int32 = -1
    public private(set) var replicas: [BrokerID] = []
    /// The committed ISR (what ZooKeeper has, as far as this broker knows).
    public private(set) var isr: [BrokerID] = []
    /// The ISR change being written, if any (leader only).
    public private(set) var pendingIsr: [BrokerID]?
    public var minInSyncReplicas: Int = 1
    /// The leader's log end offset when it became leader for ``leaderEpoch``.
    public private(set) var leaderEpochStartOffset: Offset = .unknown
    /// Progress of the other replicas (leader only).
    public private(set) var followers: [BrokerID: ReplicaProgress] = [:]
    public private(set) var highWatermark: Offset

    public init(topicPartition: TopicPartition, localBrokerID: BrokerID, highWatermark: Offset = .zero) {
        self.topicPartition = topicPartition
        self.localBrokerID = localBrokerID
        self.highWatermark = highWatermark
    }

    public var isLeader: Bool { role == .leader }
    public var isFollower: Bool { role == .follower }

    /// Kafka's `maximalIsr`: the committed ISR plus a pending addition (a pending removal still
    /// counts until committed). The high watermark waits for every member.
    public var maximalIsr: [BrokerID] {
        guard let pendingIsr else { return isr }
        return isr + pendingIsr.filter { !isr.contains($0) }
    }
    public var isUnderMinIsr: Bool { isr.count < minInSyncReplicas }

    /// Whether a LeaderAndIsr with these epochs is current (not older than what we have).
    public func accepts(leaderEpoch: LeaderEpoch, partitionEpoch: Int32) -> Bool {
        if leaderEpoch != self.leaderEpoch { return leaderEpoch > self.leaderEpoch }
        return partitionEpoch >= self.partitionEpoch
    }

    /// Becomes (or stays) leader (Kafka `Partition.makeLeader`). Followers in the ISR are assumed
    /// caught up now; their log end offsets are unknown until they fetch.
    /// Returns whether this broker was not the leader of this epoch before.
    public mutating func makeLeader(
        leaderEpoch: LeaderEpoch, partitionEpoch: Int32, replicas: [BrokerID], isr: [BrokerID], minInSyncReplicas: Int,
        leaderEndOffset: Offset, nowMs: Int64
    ) -> Bool {
        let isNewLeader = role != .leader || leaderEpoch != self.leaderEpoch
        self.pendingIsr = nil
        self.partitionEpoch = partitionEpoch
        self.replicas = replicas
        self.isr = isr.contains(localBrokerID) ? isr : [localBrokerID] + isr
        self.minInSyncReplicas = max(minInSyncReplicas, 1)
        self.leader = localBrokerID
        if isNewLeader {
            self.leaderEpoch = leaderEpoch
            self.leaderEpochStartOffset = leaderEndOffset
            var progress: [BrokerID: ReplicaProgress] = [:]
            for replica in replicas where replica != localBrokerID {
                var state = ReplicaProgress()
                if self.isr.contains(replica) {
                    state.lastCaughtUpTimeMs = nowMs
                    state.lastFetchLeaderLogEndOffset = leaderEndOffset
                    state.lastFetchTimeMs = nowMs
                }
                progress[replica] = state
            }
            followers = progress
        } else {
            // Same epoch, new assignment/ISR: keep what we know about remaining followers.
            var progress: [BrokerID: ReplicaProgress] = [:]
            for replica in replicas where replica != localBrokerID { progress[replica] = followers[replica] ?? ReplicaProgress() }
            followers = progress
        }
        role = .leader
        return isNewLeader
    }

    /// Becomes (or stays) a follower of `leader` (Kafka `Partition.makeFollower`). Returns whether
    /// the leader or the role changed (the caller then completes waiting operations).
    public mutating func makeFollower(
        leader: BrokerID, leaderEpoch: LeaderEpoch, partitionEpoch: Int32, replicas: [BrokerID], isr: [BrokerID],
        minInSyncReplicas: Int
    ) -> Bool {
        let changed = role != .follower || self.leader != leader || self.leaderEpoch != leaderEpoch
        pendingIsr = nil
        role = .follower
        self.leader = leader
        self.leaderEpoch = leaderEpoch
        self.partitionEpoch = partitionEpoch
        self.replicas = replicas
        self.isr = isr
        self.minInSyncReplicas = max(minInSyncReplicas, 1)
        self.leaderEpochStartOffset = .unknown
        followers = [:]
        return changed
    }

    /// Stops being leader or follower (StopReplica).
    public mutating func stop() {
        role = .none
        leader = .none
        followers = [:]
        pendingIsr = nil
    }

    /// Sets the high watermark a follower learned, or the one loaded from the log (not checked).
    public mutating func setHighWatermark(_ offset: Offset) { highWatermark = offset }

    /// A follower fetched at `fetchOffset` (leader only; Kafka `updateFollowerFetchState`).
    /// Records its progress, proposes adding it to the ISR if it is now in sync (and no other
    /// change is in flight), and recomputes the high watermark. Returns nil if `replica` is not
    /// an assigned follower (NOT_LEADER_OR_FOLLOWER).
    public mutating func updateFollowerFetchState(
        replica: BrokerID, fetchOffset: Offset, leaderEndOffset: Offset, nowMs: Int64, lagMs: Int64
    ) -> [PartitionStateChange]? {
        guard role == .leader, replica != localBrokerID, var progress = followers[replica] else { return nil }
        progress.recordFetch(fetchOffset: fetchOffset, leaderEndOffset: leaderEndOffset, nowMs: nowMs)
        followers[replica] = progress
        var changes: [PartitionStateChange] = []
        if pendingIsr == nil, !isr.contains(replica), isFollowerInSync(progress) {
            let proposed = isr + [replica]
            pendingIsr = proposed
            changes.append(.isrUpdateProposed(proposed))
        }
        if let hw = maybeIncrementHighWatermark(leaderEndOffset: leaderEndOffset, nowMs: nowMs, lagMs: lagMs) {
            changes.append(.highWatermarkAdvanced(hw))
        }
        return changes
    }

    /// Proposes removing followers that fell behind for more than `lagMs` from the ISR (Kafka
    /// `maybeShrinkIsr`; not while another change is in flight), then recomputes the high
    /// watermark. The removal frees the high watermark only once committed.
    public mutating func maybeShrinkIsr(leaderEndOffset: Offset, nowMs: Int64, lagMs: Int64) -> [PartitionStateChange] {
        guard role == .leader else { return [] }
        guard pendingIsr == nil else {
            return maybeIncrementHighWatermark(leaderEndOffset: leaderEndOffset, nowMs: nowMs, lagMs: lagMs)
                .map { [.highWatermarkAdvanced($0)] } ?? []
        }
        let outOfSync = isr.filter { replica in
            guard replica != localBrokerID, let progress = followers[replica] else { return false }
            return !progress.isCaughtUp(leaderEndOffset: leaderEndOffset, nowMs: nowMs, lagMs: lagMs)
        }
        var changes: [PartitionStateChange] = []
        if !outOfSync.isEmpty {
            let proposed = isr.filter { !outOfSync.contains($0) }
            pendingIsr = proposed
            changes.append(.isrUpdateProposed(proposed))
        }
        if let hw = maybeIncrementHighWatermark(leaderEndOffset: leaderEndOffset, nowMs: nowMs, lagMs: lagMs) {
            changes.append(.highWatermarkAdvanced(hw))
        }
        return changes
    }

    /// The proposed ISR `isr` was written with the new partition epoch (Kafka
    /// `handleAlterPartitionUpdate` success): it becomes the committed ISR and the high watermark
    /// is recomputed. Nil (nothing changes) if `isr` is not the change in flight any more (a
    /// LeaderAndIsr replaced it).
    public mutating func commitIsrUpdate(
        _ isr: [BrokerID], partitionEpoch: Int32, leaderEndOffset: Offset, nowMs: Int64, lagMs: Int64
    ) -> [PartitionStateChange]? {
        guard role == .leader, pendingIsr == isr else { return nil }
        self.isr = isr
        self.partitionEpoch = partitionEpoch
        pendingIsr = nil
        var changes: [PartitionStateChange] = [.isrCommitted(isr)]
        if let hw = maybeIncrementHighWatermark(leaderEndOffset: leaderEndOffset, nowMs: nowMs, lagMs: lagMs) {
            changes.append(.highWatermarkAdvanced(hw))
        }
        return changes
    }

    /// Drops the change in flight without applying it, so a later check may propose again (the
    /// write failed for a transient reason). No-op if `isr` is not the change in flight.
    public mutating func abandonIsrUpdate(_ isr: [BrokerID]) {
        if pendingIsr == isr { pendingIsr = nil }
    }

    /// Recomputes the high watermark after the leader's log end moved (an append) or the ISR
    /// changed. Returns the new value if it advanced.
    public mutating func maybeIncrementHighWatermark(leaderEndOffset: Offset, nowMs: Int64, lagMs: Int64) -> Offset? {
        guard role == .leader, !isUnderMinIsr else { return nil }
        var candidate = leaderEndOffset
        let maximal = maximalIsr
        for (replica, progress) in followers where progress.logEndOffset < candidate {
            // Kafka waits for (maximal) ISR members and for caught-up replicas about to join it.
            let counts = maximal.contains(replica)
                || (progress.isCaughtUp(leaderEndOffset: leaderEndOffset, nowMs: nowMs, lagMs: lagMs)
                    && isFollowerInSync(progress))
            if counts { candidate = max(progress.logEndOffset, .zero) }
        }
        guard candidate > highWatermark else { return nil }
        highWatermark = candidate
        return candidate
    }

    /// Kafka `checkEnoughReplicasReachOffset`, for acks=all: nil while waiting, else the error
    /// code to answer with. Deviation: when |ISR| < min.insync.replicas while waiting, this
    /// answers NOT_ENOUGH_REPLICAS_AFTER_APPEND at once (Kafka 3.9 freezes the high watermark
    /// and lets the request time out).
    public func produceCompletion(requiredOffset: Offset) -> ErrorCode? {
        guard role == .leader else { return .notLeaderOrFollower }
        if isUnderMinIsr { return .notEnoughReplicasAfterAppend }
        if highWatermark >= requiredOffset { return ErrorCode.none }
        return nil
    }

    /// Kafka `isFollowerInSync`: at or past the high watermark and the current epoch's start.
    private func isFollowerInSync(_ progress: ReplicaProgress) -> Bool {
        progress.logEndOffset != .unknown && progress.logEndOffset >= highWatermark
            && leaderEpochStartOffset != .unknown && progress.logEndOffset >= leaderEpochStartOffset
    }

    /// KIP-320 check of a request's current leader epoch (-1 = not given): nil if acceptable.
    public func checkLeaderEpoch(_ requested: LeaderEpoch) -> ErrorCode? {
        guard requested != .unknown else { return nil }
        if requested < leaderEpoch { return .fencedLeaderEpoch }
        if requested > leaderEpoch { return .unknownLeaderEpoch }
        return nil
    }
}

/// What a ``PartitionState`` event changed, for the owner to act on.
public enum PartitionStateChange: Sendable, Hashable {
    /// The high watermark moved forward to this offset (store it; wake acks=all produces and fetches).
    case highWatermarkAdvanced(Offset)
    /// A new ISR to write (ZooKeeper), then commit with ``PartitionState/commitIsrUpdate(_:partitionEpoch:leaderEndOffset:nowMs:lagMs:)``.
    case isrUpdateProposed([BrokerID])
    /// The ISR is now this committed list (wake waiting produces).
    case isrCommitted([BrokerID])
}
