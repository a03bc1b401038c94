extension Group {
    /// The earliest deadline of the group's timers (monotonic ms), nil if none runs.
    public var nextDeadline: Int64? {
        var deadlines = members.compactMap(\.heartbeatDeadline) + pendingMembers.values
        if let joinTimer { deadlines.append(joinTimer.deadline) }
        if let syncTimer { deadlines.append(syncTimer.deadline) }
        return deadlines.min()
    }

    /// Fires every timer due at `now` (Kafka's DelayedHeartbeat, DelayedJoin, InitialDelayedJoin
    /// and DelayedSync expirations):
    /// - a pending member (MEMBER_ID_REQUIRED) that did not rejoin within its session timeout is dropped;
    /// - a member whose session expired is removed and the group rebalances (members parked in
    ///   JoinGroup/SyncGroup count as alive, except new members that waited too long);
    /// - the join phase ends at its deadline (the initial delay is extended while members arrive);
    /// - members that did not send SyncGroup in time are removed and the group rebalances.
    public mutating func expireTimers(now: GroupTime) -> [GroupAction] {
        var actions: [GroupAction] = []
        guard state != .dead else { return actions }
        let time = now.monotonicMs
        for (memberID, deadline) in pendingMembers.sorted(by: { $0.value < $1.value }) where deadline <= time {
            removePendingMemberAndUpdateGroup(memberID, now: now, into: &actions)
        }
        for member in members {
            guard let current = self.member(member.memberID), let deadline = current.heartbeatDeadline, deadline <= time else {
                continue
            }
            if !current.isNew && (current.isAwaitingJoin || current.isAwaitingSync) {
                if let index = index(of: current.memberID) { members[index].heartbeatDeadline = nil }
            } else {
                removeMemberAndUpdateGroup(current.memberID, now: now, into: &actions)
            }
        }
        // A zero initial delay can re-arm at `now`; each pass either completes or clears newMemberAdded.
        var passes = 0
        while let timer = joinTimer, timer.deadline <= time, passes < 4 {
            passes += 1
            switch timer {
            case .initial(_, let delayMs, let remainingMs):
                if newMemberAdded && remainingMs != 0 {
                    newMemberAdded = false
                    let delay = min(initialRebalanceDelayMs, remainingMs)
                    joinTimer = .initial(deadline: time + delay, delayMs: delay, remainingMs: max(remainingMs - delayMs, 0))
                } else {
                    completeJoinPhase(now: now, into: &actions)
                }
            case .regular:
                completeJoinPhase(now: now, into: &actions)
            }
        }
        if let timer = syncTimer, timer.deadline <= time {
            syncTimer = nil
            if timer.generation == generationID, state == .completingRebalance || state == .stable,
                !pendingSyncMembers.isEmpty
            {
                for memberID in pendingSyncMembers.sorted() { remove(memberID) }
                prepareRebalance(now: now, into: &actions)
            }
        }
        return actions
    }
}
