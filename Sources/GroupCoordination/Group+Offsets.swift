import BrokerCore

extension Group {
    /// Whether an OffsetCommit with this identity may commit (Kafka's `validateOffsetCommit`):
    /// generation -1 with no member is a "simple" commit, allowed only while the group is Empty.
    public func validateOffsetCommit(generationID: Int32, memberID: String, groupInstanceID: String?) -> ErrorCode? {
        if state == .dead { return .coordinatorNotAvailable }
        if generationID < 0 && state == .empty { return nil }
        if generationID >= 0 || !memberID.isEmpty || groupInstanceID != nil {
            if let error = validateCurrentMember(memberID, instanceID: groupInstanceID) { return error }
            return generationID != self.generationID ? .illegalGeneration : nil
        }
        return state == .empty ? nil : .unknownMemberId
    }

    /// After ``validateOffsetCommit(generationID:memberID:groupInstanceID:)`` passed: whether the
    /// state allows the commit now (REBALANCE_IN_PROGRESS while awaiting the leader's
    /// assignment); a member's commit counts as a heartbeat.
    public mutating func acceptOffsetCommit(memberID: String, now: GroupTime) -> ErrorCode? {
        switch state {
        case .empty: return nil
        case .stable, .preparingRebalance:
            scheduleHeartbeat(memberID, now: now)
            return nil
        case .completingRebalance: return .rebalanceInProgress
        case .dead: return .coordinatorNotAvailable
        }
    }

    /// Offsets of these partitions are being written.
    public mutating func beginOffsetCommit(_ partitions: [TopicPartition]) {
        for partition in partitions { pendingOffsetCommits[partition, default: 0] += 1 }
    }

    /// The write of `offsets` finished; `recordOffset` is where it was stored (nil = failed).
    /// A commit stored before a newer one that already completed does not replace it.
    public mutating func finishOffsetCommit(_ offsets: [TopicPartition: CommittedOffset], recordOffset: Offset?) {
        for (partition, value) in offsets {
            // No pending entry: the partition's offsets were deleted meanwhile (OffsetDelete).
            guard let count = pendingOffsetCommits[partition] else { continue }
            pendingOffsetCommits[partition] = count > 1 ? count - 1 : nil
            guard let recordOffset, state != .dead else { continue }
            if let current = self.offsets[partition], current.recordOffset > recordOffset { continue }
            self.offsets[partition] = StoredOffset(recordOffset: recordOffset, value: value)
        }
    }

    /// Whether a commit for `partition` is being written (OffsetFetch with requireStable).
    public func hasPendingCommit(_ partition: TopicPartition) -> Bool { pendingOffsetCommits[partition] != nil }

    /// Sets offsets read from the log.
    mutating func initializeOffsets(_ loaded: [TopicPartition: StoredOffset]) {
        offsets.merge(loaded) { _, new in new }
    }

    /// Drops the offsets of `partitions`; returns those that existed.
    public mutating func removeOffsets(_ partitions: [TopicPartition]) -> [TopicPartition] {
        var removed: [TopicPartition] = []
        for partition in partitions {
            pendingOffsetCommits[partition] = nil
            if offsets.removeValue(forKey: partition) != nil { removed.append(partition) }
        }
        return removed
    }

    /// Drops every offset; returns the partitions.
    public mutating func removeAllOffsets() -> [TopicPartition] { removeOffsets(offsets.keys.sorted()) }

    /// Removes offsets past retention (Kafka 2.1+ rules, `GroupMetadata.removeExpiredOffsets`):
    /// - an offset with an explicit expire timestamp (OffsetCommit v2-v4 retention) expires then;
    /// - an Empty group's offsets expire `retentionMs` after the group became Empty;
    /// - a Stable consumer group's offsets of topics no member subscribes to expire
    ///   `retentionMs` after their commit;
    /// - a group without a protocol (simple commits only) expires offsets `retentionMs` after commit;
    /// offsets with a commit in flight never expire. Returns the removed partitions.
    public mutating func removeExpiredOffsets(nowWallMs: Int64, retentionMs: Int64) -> [TopicPartition] {
        let base: (CommittedOffset) -> Int64
        var keptTopics: Set<String> = []
        if protocolType != nil && state == .empty {
            let emptySince = stateTimestamp
            base = { emptySince ?? $0.commitTimestamp }
        } else if isConsumerGroup, let subscribedTopics, state == .stable {
            base = { $0.commitTimestamp }
            keptTopics = subscribedTopics
        } else if protocolType == nil {
            base = { $0.commitTimestamp }
        } else {
            return []
        }
        var expired: [TopicPartition] = []
        for (partition, stored) in offsets {
            guard !keptTopics.contains(partition.topic), pendingOffsetCommits[partition] == nil else { continue }
            let value = stored.value
            let isExpired =
                if let expireTimestamp = value.expireTimestamp { nowWallMs >= expireTimestamp } else {
                    nowWallMs - base(value) >= retentionMs
                }
            if isExpired { expired.append(partition) }
        }
        expired.sort()
        for partition in expired { offsets[partition] = nil }
        return expired
    }
}
