import BrokerCore
import KafkaProtocol
import NIOCore

extension GroupCoordinator {
    // MARK: JoinGroup

    public func joinGroup(_ request: JoinGroupRequest, context: GroupRequestContext) async -> JoinGroupResponse {
        let outcome = await join(request, context: context)
        return Self.joinResponse(outcome, version: context.apiVersion)
    }

    private func join(_ request: JoinGroupRequest, context: GroupRequestContext) async -> JoinOutcome {
        let groupID = request.groupId
        // Due timers fire first, so that no suspension separates the status check from the change.
        await fireTimers(groupID)
        if let error = statusError(groupID, api: .membership) { return .failure(error, memberID: request.memberId) }
        guard request.sessionTimeoutMs >= config.groupMinSessionTimeoutMs,
            request.sessionTimeoutMs <= config.groupMaxSessionTimeoutMs
        else { return .failure(.invalidSessionTimeout, memberID: request.memberId) }
        let now = currentTime()
        if groups[groupID] == nil {
            guard request.memberId.isEmpty else { return .failure(.unknownMemberId, memberID: request.memberId) }
            createGroup(groupID, now: now)
        }
        let version = context.apiVersion
        let joinRequest = JoinRequest(
            memberID: request.memberId, groupInstanceID: request.groupInstanceId,
            requireKnownMemberID: version >= 4 && request.groupInstanceId == nil,
            supportSkippingAssignment: version >= 9, clientID: context.clientID, clientHost: context.clientHost,
            rebalanceTimeoutMs: version >= 1 ? request.rebalanceTimeoutMs : request.sessionTimeoutMs,
            sessionTimeoutMs: request.sessionTimeoutMs, protocolType: request.protocolType,
            protocols: request.protocols.map { GroupMember.SupportedProtocol(name: $0.name, metadata: $0.metadata) },
            newMemberID: makeMemberID(clientID: context.clientID, groupInstanceID: request.groupInstanceId))
        guard let (reply, actions) = groups[groupID]?.join(joinRequest, now: now) else {
            return .failure(.coordinatorNotAvailable, memberID: request.memberId)
        }
        switch reply {
        case .immediate(let outcome):
            await execute(actions, groupID: groupID)
            return outcome
        case .parked(let memberID):
            let waiter = parkJoin(groupID: groupID, memberID: memberID)
            await execute(actions, groupID: groupID)
            // A zero initial delay ends the join phase right away.
            await fireTimers(groupID)
            return await waiter.wait()
        }
    }

    static func joinResponse(_ outcome: JoinOutcome, version: Int16) -> JoinGroupResponse {
        let protocolName: String? =
            if version < 7 { outcome.protocolName ?? "" } else { outcome.protocolName.flatMap { $0.isEmpty ? nil : $0 } }
        return JoinGroupResponse(
            errorCode: outcome.error.rawValue,
            generationId: outcome.generationID,
            protocolType: outcome.protocolType,
            protocolName: protocolName,
            leader: outcome.leaderID,
            skipAssignment: outcome.skipAssignment,
            memberId: outcome.memberID,
            members: outcome.members.map {
                JoinGroupResponse.JoinGroupResponseMember(
                    memberId: $0.memberID, groupInstanceId: $0.groupInstanceID, metadata: $0.metadata)
            })
    }

    // MARK: SyncGroup

    public func syncGroup(_ request: SyncGroupRequest, context: GroupRequestContext) async -> SyncGroupResponse {
        let outcome = await sync(request, context: context)
        return SyncGroupResponse(
            errorCode: outcome.error.rawValue, protocolType: outcome.protocolType, protocolName: outcome.protocolName,
            assignment: outcome.assignment)
    }

    private func sync(_ request: SyncGroupRequest, context: GroupRequestContext) async -> SyncOutcome {
        // From v5 the protocol type and name are mandatory.
        if context.apiVersion >= 5 && (request.protocolType == nil || request.protocolName == nil) {
            return .failure(.inconsistentGroupProtocol)
        }
        let groupID = request.groupId
        // Due timers fire first, so that no suspension separates the status check from the change.
        await fireTimers(groupID)
        switch statusError(groupID, api: .membership) {
        case .coordinatorLoadInProgress?:
            // The rebalance state was lost: have the member rejoin (older clients do not know
            // COORDINATOR_LOAD_IN_PROGRESS here).
            return .failure(.rebalanceInProgress)
        case let error?:
            return .failure(error)
        case nil:
            break
        }
        var assignments: [String: ByteBuffer] = [:]
        for assignment in request.assignments { assignments[assignment.memberId] = assignment.assignment }
        let syncRequest = SyncRequest(
            memberID: request.memberId, groupInstanceID: request.groupInstanceId, generationID: request.generationId,
            protocolType: request.protocolType, protocolName: request.protocolName, assignments: assignments)
        guard let (reply, actions) = groups[groupID]?.sync(syncRequest, now: currentTime()) else {
            return .failure(.unknownMemberId)
        }
        switch reply {
        case .immediate(let outcome):
            await execute(actions, groupID: groupID)
            return outcome
        case .parked(let memberID):
            let waiter = parkSync(groupID: groupID, memberID: memberID)
            await execute(actions, groupID: groupID)
            return await waiter.wait()
        }
    }

    // MARK: Heartbeat

    public func heartbeat(_ request: HeartbeatRequest, context: GroupRequestContext) async -> HeartbeatResponse {
        HeartbeatResponse(errorCode: await beat(request).rawValue)
    }

    private func beat(_ request: HeartbeatRequest) async -> ErrorCode {
        let groupID = request.groupId
        // Due timers fire first, so that no suspension separates the status check from the change.
        await fireTimers(groupID)
        switch statusError(groupID, api: .membership) {
        case .coordinatorLoadInProgress?: return .none  // the group is loading: answer blindly, as Kafka does
        case let error?: return error
        case nil: break
        }
        return groups[groupID]?.heartbeat(
            memberID: request.memberId, groupInstanceID: request.groupInstanceId, generationID: request.generationId,
            now: currentTime()) ?? .unknownMemberId
    }

    // MARK: LeaveGroup

    public func leaveGroup(_ request: LeaveGroupRequest, context: GroupRequestContext) async -> LeaveGroupResponse {
        let version = context.apiVersion
        let identities =
            version >= 3 ? request.members : [LeaveGroupRequest.MemberIdentity(memberId: request.memberId)]
        let result = await leave(groupID: request.groupId, identities: identities)
        switch result {
        case .failure(let error):
            return LeaveGroupResponse(errorCode: error.code.rawValue)
        case .success(let errors):
            if version < 3 {
                return LeaveGroupResponse(errorCode: (errors.first { $0 != .none } ?? .none).rawValue)
            }
            let members = zip(identities, errors).map { identity, error in
                LeaveGroupResponse.MemberResponse(
                    memberId: identity.memberId, groupInstanceId: identity.groupInstanceId, errorCode: error.rawValue)
            }
            return LeaveGroupResponse(errorCode: ErrorCode.none.rawValue, members: members)
        }
    }

    private func leave(groupID: String, identities: [LeaveGroupRequest.MemberIdentity]) async
        -> Result<[ErrorCode], GroupLevelError>
    {
        // Due timers fire first, so that no suspension separates the status check from the change.
        await fireTimers(groupID)
        if let error = statusError(groupID, api: .membership) { return .failure(GroupLevelError(code: error)) }
        guard groups[groupID] != nil else { return .success(identities.map { _ in .unknownMemberId }) }
        let leavers = identities.map { Group.Leaver(memberID: $0.memberId, groupInstanceID: $0.groupInstanceId) }
        guard let (result, actions) = groups[groupID]?.leave(leavers, now: currentTime()) else {
            return .success(identities.map { _ in .unknownMemberId })
        }
        await execute(actions, groupID: groupID)
        return result
    }
}
