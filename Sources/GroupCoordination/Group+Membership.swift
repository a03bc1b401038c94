import BrokerCore
import NIOCore

/// A SyncGroup as the group sees it.
public struct SyncRequest: Sendable, Equatable {
    public var memberID: String
    public var groupInstanceID: String?
    public var generationID: Int32
    public var protocolType: String?
    public var protocolName: String?
    /// The leader's assignment per member id (empty from followers).
    public var assignments: [String: ByteBuffer]

    public init(
        memberID: String, groupInstanceID: String?, generationID: Int32, protocolType: String?, protocolName: String?,
        assignments: [String: ByteBuffer]
    ) {
        self.memberID = memberID
        self.groupInstanceID = groupInstanceID
        self.generationID = generationID
        self.protocolType = protocolType
        self.protocolName = protocolName
        self.assignments = assignments
    }
}

extension Group {
    /// SyncGroup (Kafka's `doSyncGroup`). The leader's call emits a `.storeGroup`; every parked
    /// sync is answered when ``groupStored(_:error:now:)`` reports the write.
    public mutating func sync(_ request: SyncRequest, now: GroupTime) -> (GroupReply<SyncOutcome>, [GroupAction]) {
        var actions: [GroupAction] = []
        if let error = validateSync(request) { return (.immediate(.failure(error)), actions) }
        let memberID = request.memberID
        switch state {
        case .empty:
            return (.immediate(.failure(.unknownMemberId)), actions)
        case .preparingRebalance:
            return (.immediate(.failure(.rebalanceInProgress)), actions)
        case .completingRebalance:
            guard let index = index(of: memberID) else { return (.immediate(.failure(.unknownMemberId)), actions) }
            members[index].isAwaitingSync = true
            removePendingSync(memberID)
            if isLeader(memberID) {
                var assignment: [String: ByteBuffer] = [:]
                for member in members { assignment[member.memberID] = request.assignments[member.memberID] ?? ByteBuffer() }
                let store = GroupStore(
                    purpose: .syncAssignment(generation: generationID, assignment: assignment),
                    value: metadataValue(assignment: assignment))
                actions.append(.storeGroup(store))
            }
            return (.parked(memberID: memberID), actions)
        case .stable:
            removePendingSync(memberID)
            let assignment = member(memberID)?.assignment ?? ByteBuffer()
            scheduleHeartbeat(memberID, now: now)
            let outcome = SyncOutcome(error: .none, protocolType: protocolType, protocolName: protocolName, assignment: assignment)
            return (.immediate(outcome), actions)
        case .dead:
            return (.immediate(.failure(.coordinatorNotAvailable)), actions)
        }
    }

    private func validateSync(_ request: SyncRequest) -> ErrorCode? {
        if state == .dead { return .coordinatorNotAvailable }
        if let error = validateCurrentMember(request.memberID, instanceID: request.groupInstanceID) { return error }
        if request.generationID != generationID { return .illegalGeneration }
        if let type = request.protocolType, type != protocolType { return .inconsistentGroupProtocol }
        if let name = request.protocolName, name != protocolName { return .inconsistentGroupProtocol }
        return nil
    }

    private mutating func removePendingSync(_ memberID: String) {
        pendingSyncMembers.remove(memberID)
        if pendingSyncMembers.isEmpty { syncTimer = nil }
    }

    /// The write of a `.storeGroup` finished with `error` (already mapped to the error members
    /// should see). A failed assignment write answers the parked syncs with it and rebalances.
    public mutating func groupStored(_ store: GroupStore, error: ErrorCode, now: GroupTime) -> [GroupAction] {
        var actions: [GroupAction] = []
        switch store.purpose {
        case .emptyGroup:
            break
        case .syncAssignment(let generation, let assignment):
            guard state == .completingRebalance, generation == generationID else { break }
            if error != .none {
                resetAndPropagateAssignmentError(error, now: now, into: &actions)
                maybePrepareRebalance(now: now, into: &actions)
            } else {
                for index in members.indices { members[index].assignment = assignment[members[index].memberID] ?? ByteBuffer() }
                propagateAssignment(.none, now: now, into: &actions)
                transition(to: .stable, now: now)
            }
        case .staticRejoin(let rejoin):
            staticRejoinStored(rejoin, error: error, now: now, into: &actions)
        }
        return actions
    }

    private mutating func staticRejoinStored(
        _ rejoin: GroupStore.StaticRejoin, error: ErrorCode, now: GroupTime, into actions: inout [GroupAction]
    ) {
        let newMemberID = rejoin.newMemberID
        guard let member = member(newMemberID), member.isAwaitingJoin else { return }
        if error != .none {
            let outcome = JoinOutcome(
                error: error, memberID: "", generationID: generationID, protocolType: protocolType,
                protocolName: protocolName, leaderID: rejoin.leaderBeforeRejoin ?? "", skipAssignment: false, members: [])
            completeJoin(newMemberID, outcome, into: &actions)
            updateMember(
                newMemberID, protocols: rejoin.oldProtocols, rebalanceTimeoutMs: rejoin.oldRebalanceTimeoutMs,
                sessionTimeoutMs: rejoin.oldSessionTimeoutMs, awaitingJoin: false)
            replaceStaticMember(
                instanceID: rejoin.groupInstanceID, oldMemberID: newMemberID, newMemberID: rejoin.oldMemberID,
                into: &actions)
            scheduleHeartbeat(rejoin.oldMemberID, now: now)
        } else if rejoin.supportSkippingAssignment {
            let isLeader = isLeader(newMemberID)
            let outcome = currentGenerationOutcome(for: newMemberID, withMembers: isLeader, skipAssignment: isLeader)
            completeJoin(newMemberID, outcome, into: &actions)
        } else {
            // The old leader id is returned so that a rejoining leader does not run a useless assignment.
            let outcome = currentGenerationOutcome(
                for: newMemberID, withMembers: false, leader: rejoin.leaderBeforeRejoin ?? "")
            completeJoin(newMemberID, outcome, into: &actions)
        }
    }

    /// Heartbeat (Kafka's `handleHeartbeat`): REBALANCE_IN_PROGRESS during the join phase tells
    /// the member to rejoin.
    public mutating func heartbeat(
        memberID: String, groupInstanceID: String?, generationID: Int32, now: GroupTime
    ) -> ErrorCode {
        if state == .dead { return .coordinatorNotAvailable }
        if let error = validateCurrentMember(memberID, instanceID: groupInstanceID) { return error }
        if generationID != self.generationID { return .illegalGeneration }
        switch state {
        case .empty, .dead:
            return .unknownMemberId
        case .completingRebalance, .stable:
            scheduleHeartbeat(memberID, now: now)
            return .none
        case .preparingRebalance:
            scheduleHeartbeat(memberID, now: now)
            return .rebalanceInProgress
        }
    }

    /// One member of a LeaveGroup: by member id, or (empty member id) by `group.instance.id`.
    public struct Leaver: Sendable, Equatable {
        public var memberID: String
        public var groupInstanceID: String?
        public init(memberID: String, groupInstanceID: String?) {
            self.memberID = memberID
            self.groupInstanceID = groupInstanceID
        }
    }

    /// LeaveGroup (Kafka's `handleLeaveGroup`): one error per leaver, or a group-level error.
    public mutating func leave(_ leavers: [Leaver], now: GroupTime) -> (Result<[ErrorCode], GroupLevelError>, [GroupAction]) {
        var actions: [GroupAction] = []
        if state == .dead { return (.failure(GroupLevelError(code: .coordinatorNotAvailable)), actions) }
        var errors: [ErrorCode] = []
        for leaver in leavers {
            if leaver.memberID.isEmpty {
                if let current = leaver.groupInstanceID.flatMap({ staticMembers[$0] }) {
                    removeMemberAndUpdateGroup(current, now: now, into: &actions)
                    errors.append(.none)
                } else {
                    errors.append(.unknownMemberId)
                }
            } else if pendingMembers[leaver.memberID] != nil {
                removePendingMemberAndUpdateGroup(leaver.memberID, now: now, into: &actions)
                errors.append(.none)
            } else if let error = validateCurrentMember(leaver.memberID, instanceID: leaver.groupInstanceID) {
                errors.append(error)
            } else {
                removeMemberAndUpdateGroup(leaver.memberID, now: now, into: &actions)
                errors.append(.none)
            }
        }
        return (.success(errors), actions)
    }

    /// The group leaves this coordinator (partition resigned, or shutdown): it becomes Dead and
    /// every parked request gets `error` (Kafka's `onGroupUnloaded`).
    public mutating func unload(answering error: ErrorCode, now: GroupTime) -> [GroupAction] {
        var actions: [GroupAction] = []
        for member in members {
            completeJoin(member.memberID, .failure(error, memberID: member.memberID), into: &actions)
            completeSync(member.memberID, .failure(error), into: &actions)
        }
        joinTimer = nil
        syncTimer = nil
        transition(to: .dead, now: now)
        return actions
    }

    /// Marks an Empty group Dead (DeleteGroups, or expiry of its last offset).
    mutating func markDead(now: GroupTime) {
        transition(to: .dead, now: now)
    }
}

/// An error for a whole request rather than per item.
public struct GroupLevelError: Error, Sendable, Equatable {
    public var code: ErrorCode
}
