import BrokerCore
import NIOCore

/// What a JoinGroup or SyncGroup gets at once: an answer, or parking until an action answers it.
public enum GroupReply<Outcome: Sendable & Equatable>: Sendable, Equatable {
    case immediate(Outcome)
    /// Parked under this member id; a later `.completeJoin` / `.completeSync` action answers it.
    case parked(memberID: String)
}

/// A JoinGroup as the group sees it.
public struct JoinRequest: Sendable, Equatable {
    public var memberID: String
    public var groupInstanceID: String?
    /// JoinGroup v4+ from a dynamic member: an unknown member first gets MEMBER_ID_REQUIRED.
    public var requireKnownMemberID: Bool
    /// JoinGroup v9+: a static leader rejoining a Stable group is told to skip the assignment.
    public var supportSkippingAssignment: Bool
    public var clientID: String
    public var clientHost: String
    public var rebalanceTimeoutMs: Int32
    public var sessionTimeoutMs: Int32
    public var protocolType: String
    public var protocols: [GroupMember.SupportedProtocol]
    /// The id to give the member if it is new (`clientId-uuid` or `instanceId-uuid`).
    public var newMemberID: String

    public init(
        memberID: String, groupInstanceID: String?, requireKnownMemberID: Bool, supportSkippingAssignment: Bool,
        clientID: String, clientHost: String, rebalanceTimeoutMs: Int32, sessionTimeoutMs: Int32,
        protocolType: String, protocols: [GroupMember.SupportedProtocol], newMemberID: String
    ) {
        self.memberID = memberID
        self.groupInstanceID = groupInstanceID
        self.requireKnownMemberID = requireKnownMemberID
        self.supportSkippingAssignment = supportSkippingAssignment
        self.clientID = clientID
        self.clientHost = clientHost
        self.rebalanceTimeoutMs = rebalanceTimeoutMs
        self.sessionTimeoutMs = sessionTimeoutMs
        self.protocolType = protocolType
        self.protocols = protocols
        self.newMemberID = newMemberID
    }
}

extension Group {
    /// JoinGroup (Kafka's `handleJoinGroup` once the group exists; session timeout and coordinator
    /// checks are the owner's).
    public mutating func join(_ request: JoinRequest, now: GroupTime) -> (GroupReply<JoinOutcome>, [GroupAction]) {
        var actions: [GroupAction] = []
        let reply: GroupReply<JoinOutcome>
        if !acceptsJoiningMember(request.memberID) {
            remove(request.memberID)
            reply = .immediate(.failure(.groupMaxSizeReached, memberID: ""))
        } else if request.memberID.isEmpty {
            reply = joinAsNewMember(request, now: now, into: &actions)
        } else {
            reply = joinAsCurrentMember(request, now: now, into: &actions)
        }
        if state == .preparingRebalance { tryCompleteJoin(now: now, into: &actions) }
        return (reply, actions)
    }

    private mutating func joinAsNewMember(
        _ request: JoinRequest, now: GroupTime, into actions: inout [GroupAction]
    ) -> GroupReply<JoinOutcome> {
        if state == .dead { return .immediate(.failure(.coordinatorNotAvailable, memberID: "")) }
        guard supportsProtocols(type: request.protocolType, names: Set(request.protocols.map(\.name))) else {
            return .immediate(.failure(.inconsistentGroupProtocol, memberID: ""))
        }
        let newMemberID = request.newMemberID
        if let instanceID = request.groupInstanceID {
            if let oldMemberID = staticMembers[instanceID] {
                return rejoinStaticMember(
                    request, instanceID: instanceID, oldMemberID: oldMemberID, newMemberID: newMemberID, now: now,
                    into: &actions)
            }
            return addMemberAndRebalance(request, memberID: newMemberID, now: now, into: &actions)
        }
        if request.requireKnownMemberID {
            pendingMembers[newMemberID] = now.monotonicMs + Int64(request.sessionTimeoutMs)
            return .immediate(.failure(.memberIdRequired, memberID: newMemberID))
        }
        return addMemberAndRebalance(request, memberID: newMemberID, now: now, into: &actions)
    }

    private mutating func joinAsCurrentMember(
        _ request: JoinRequest, now: GroupTime, into actions: inout [GroupAction]
    ) -> GroupReply<JoinOutcome> {
        let memberID = request.memberID
        if state == .dead { return .immediate(.failure(.coordinatorNotAvailable, memberID: memberID)) }
        guard supportsProtocols(type: request.protocolType, names: Set(request.protocols.map(\.name))) else {
            return .immediate(.failure(.inconsistentGroupProtocol, memberID: memberID))
        }
        if pendingMembers[memberID] != nil {
            // A pending member is never static (Kafka treats the opposite as an internal error).
            if request.groupInstanceID != nil { return .immediate(.failure(.unknownServerError, memberID: memberID)) }
            return addMemberAndRebalance(request, memberID: memberID, now: now, into: &actions)
        }
        if let error = validateCurrentMember(memberID, instanceID: request.groupInstanceID) {
            return .immediate(.failure(error, memberID: memberID))
        }
        guard let member = member(memberID) else { return .immediate(.failure(.unknownMemberId, memberID: memberID)) }
        switch state {
        case .preparingRebalance:
            return updateMemberAndRebalance(request, now: now, into: &actions)
        case .completingRebalance:
            if member.matches(request.protocols) {
                // Lost JoinGroup answer: repeat the current generation's.
                return .immediate(currentGenerationOutcome(for: memberID, withMembers: isLeader(memberID)))
            }
            return updateMemberAndRebalance(request, now: now, into: &actions)
        case .stable:
            if isLeader(memberID) || !member.matches(request.protocols) {
                return updateMemberAndRebalance(request, now: now, into: &actions)
            }
            return .immediate(currentGenerationOutcome(for: memberID, withMembers: false))
        case .empty, .dead:
            return .immediate(.failure(.unknownMemberId, memberID: memberID))
        }
    }

    private mutating func addMemberAndRebalance(
        _ request: JoinRequest, memberID: String, now: GroupTime, into actions: inout [GroupAction]
    ) -> GroupReply<JoinOutcome> {
        var member = GroupMember(
            memberID: memberID, groupInstanceID: request.groupInstanceID, clientID: request.clientID,
            clientHost: request.clientHost, rebalanceTimeoutMs: request.rebalanceTimeoutMs,
            sessionTimeoutMs: request.sessionTimeoutMs, protocolType: request.protocolType, protocols: request.protocols)
        member.isNew = true
        member.isAwaitingJoin = true
        if state == .preparingRebalance && generationID == 0 { newMemberAdded = true }
        add(member)
        // New members cannot heartbeat while parked; a defunct one is dropped after this long.
        scheduleHeartbeat(memberID, timeoutMs: Self.newMemberJoinTimeoutMs, now: now)
        maybePrepareRebalance(now: now, into: &actions)
        return .parked(memberID: memberID)
    }

    private mutating func updateMemberAndRebalance(
        _ request: JoinRequest, now: GroupTime, into actions: inout [GroupAction]
    ) -> GroupReply<JoinOutcome> {
        updateMember(
            request.memberID, protocols: request.protocols, rebalanceTimeoutMs: request.rebalanceTimeoutMs,
            sessionTimeoutMs: request.sessionTimeoutMs, awaitingJoin: true)
        maybePrepareRebalance(now: now, into: &actions)
        return .parked(memberID: request.memberID)
    }

    /// A known static member joins with an empty member id (e.g. after a restart): it takes a new
    /// member id and keeps its assignment; a Stable group is not rebalanced unless the protocol
    /// would change (Kafka's `updateStaticMemberAndRebalance`).
    private mutating func rejoinStaticMember(
        _ request: JoinRequest, instanceID: String, oldMemberID: String, newMemberID: String, now: GroupTime,
        into actions: inout [GroupAction]
    ) -> GroupReply<JoinOutcome> {
        let leaderBeforeRejoin = leaderID
        replaceStaticMember(instanceID: instanceID, oldMemberID: oldMemberID, newMemberID: newMemberID, into: &actions)
        scheduleHeartbeat(newMemberID, now: now)
        guard let previous = member(newMemberID) else { return .immediate(.failure(.unknownMemberId, memberID: "")) }
        updateMember(
            newMemberID, protocols: request.protocols, rebalanceTimeoutMs: request.rebalanceTimeoutMs,
            sessionTimeoutMs: request.sessionTimeoutMs, awaitingJoin: true)
        switch state {
        case .stable:
            if let next = selectedProtocol, next == protocolName {
                let undo = GroupStore.StaticRejoin(
                    groupInstanceID: instanceID, oldMemberID: oldMemberID, newMemberID: newMemberID,
                    oldProtocols: previous.protocols, oldRebalanceTimeoutMs: previous.rebalanceTimeoutMs,
                    oldSessionTimeoutMs: previous.sessionTimeoutMs, leaderBeforeRejoin: leaderBeforeRejoin,
                    supportSkippingAssignment: request.supportSkippingAssignment)
                let assignment = Dictionary(members.map { ($0.memberID, $0.assignment) }, uniquingKeysWith: { a, _ in a })
                actions.append(.storeGroup(GroupStore(purpose: .staticRejoin(undo), value: metadataValue(assignment: assignment))))
            } else {
                maybePrepareRebalance(now: now, into: &actions)
            }
        case .completingRebalance:
            // The leader may already assign for the old member id: start over.
            prepareRebalance(now: now, into: &actions)
        case .preparingRebalance:
            break
        case .empty, .dead:
            completeJoin(newMemberID, .failure(.unknownMemberId, memberID: ""), into: &actions)
        }
        return .parked(memberID: newMemberID)
    }

    // MARK: Rebalance

    mutating func maybePrepareRebalance(now: GroupTime, into actions: inout [GroupAction]) {
        if canRebalance { prepareRebalance(now: now, into: &actions) }
    }

    /// Starts a join phase (Kafka's `prepareRebalance`): parked syncs are told to rejoin, and the
    /// join timer starts (with the initial delay when the group was Empty).
    mutating func prepareRebalance(now: GroupTime, into actions: inout [GroupAction]) {
        if state == .completingRebalance { resetAndPropagateAssignmentError(.rebalanceInProgress, now: now, into: &actions) }
        syncTimer = nil
        pendingSyncMembers.removeAll()
        if state == .empty {
            let delay = initialRebalanceDelayMs
            joinTimer = .initial(
                deadline: now.monotonicMs + delay, delayMs: delay, remainingMs: max(rebalanceTimeoutMs - delay, 0))
        } else {
            joinTimer = .regular(deadline: now.monotonicMs + rebalanceTimeoutMs)
        }
        transition(to: .preparingRebalance, now: now)
        tryCompleteJoin(now: now, into: &actions)
    }

    /// Completes the join phase early once every member has rejoined (not during the initial delay).
    mutating func tryCompleteJoin(now: GroupTime, into actions: inout [GroupAction]) {
        guard state == .preparingRebalance, case .regular = joinTimer, hasAllMembersJoined else { return }
        completeJoinPhase(now: now, into: &actions)
    }

    /// The join phase ends (Kafka's `onCompleteJoin`): dynamic members that did not rejoin are
    /// removed, and the next generation starts (CompletingRebalance), or the group becomes Empty.
    mutating func completeJoinPhase(now: GroupTime, into actions: inout [GroupAction]) {
        joinTimer = nil
        for member in members where !member.isAwaitingJoin && !member.isStatic { remove(member.memberID) }
        guard state != .dead else { return }
        if !electJoinedLeader() && !members.isEmpty {
            // Only static members that have not rejoined remain: wait for them (or their expiry).
            joinTimer = .regular(deadline: now.monotonicMs + rebalanceTimeoutMs)
            return
        }
        initNextGeneration(now: now)
        if state == .empty {
            actions.append(.storeGroup(GroupStore(purpose: .emptyGroup, value: metadataValue(assignment: [:]))))
            return
        }
        let leader = leaderID
        for member in members {
            let outcome = currentGenerationOutcome(for: member.memberID, withMembers: member.memberID == leader)
            completeJoin(member.memberID, outcome, into: &actions)
            scheduleHeartbeat(member.memberID, now: now)
            if let index = index(of: member.memberID) { members[index].isNew = false }
            pendingSyncMembers.insert(member.memberID)
        }
        syncTimer = SyncTimer(generation: generationID, deadline: now.monotonicMs + rebalanceTimeoutMs)
    }

    /// Keeps the leader if it rejoined, else picks the first member that did; false if none did.
    mutating func electJoinedLeader() -> Bool {
        guard let leaderID, let leader = member(leaderID) else { return false }
        if leader.isAwaitingJoin { return true }
        guard let joined = members.first(where: \.isAwaitingJoin) else { return false }
        self.leaderID = joined.memberID
        return true
    }

    mutating func initNextGeneration(now: GroupTime) {
        generationID &+= 1
        if members.isEmpty {
            protocolName = nil
            subscribedTopics = computeSubscribedTopics()
            transition(to: .empty, now: now)
        } else {
            protocolName = selectedProtocol
            subscribedTopics = computeSubscribedTopics()
            transition(to: .completingRebalance, now: now)
        }
        pendingSyncMembers.removeAll()
    }

    /// Clears every assignment and answers parked syncs with `error`.
    mutating func resetAndPropagateAssignmentError(_ error: ErrorCode, now: GroupTime, into actions: inout [GroupAction]) {
        for index in members.indices { members[index].assignment = ByteBuffer() }
        propagateAssignment(error, now: now, into: &actions)
    }

    /// Answers parked syncs with each member's assignment (or `error`), restarting their session timers.
    mutating func propagateAssignment(_ error: ErrorCode, now: GroupTime, into actions: inout [GroupAction]) {
        for member in members {
            let outcome = SyncOutcome(
                error: error, protocolType: error == .none ? protocolType : nil,
                protocolName: error == .none ? protocolName : nil, assignment: member.assignment)
            if completeSync(member.memberID, outcome, into: &actions) { scheduleHeartbeat(member.memberID, now: now) }
        }
    }

    /// Removes a member and rebalances (Kafka's `removeMemberAndUpdateGroup`); a parked JoinGroup
    /// of the member gets UNKNOWN_MEMBER_ID.
    mutating func removeMemberAndUpdateGroup(_ memberID: String, now: GroupTime, into actions: inout [GroupAction]) {
        completeJoin(memberID, .failure(.unknownMemberId, memberID: ""), into: &actions)
        remove(memberID)
        switch state {
        case .dead, .empty: break
        case .stable, .completingRebalance: maybePrepareRebalance(now: now, into: &actions)
        case .preparingRebalance: tryCompleteJoin(now: now, into: &actions)
        }
    }

    mutating func removePendingMemberAndUpdateGroup(_ memberID: String, now: GroupTime, into actions: inout [GroupAction]) {
        remove(memberID)
        if state == .preparingRebalance { tryCompleteJoin(now: now, into: &actions) }
    }
}
