import BrokerCore
import KafkaProtocol
import NIOCore

extension GroupCoordinator {
    /// `authorizedOperations` of a group without an authorizer: READ, DELETE and DESCRIBE
    /// (bits 3, 6 and 8 of Kafka's `AclOperation` codes).
    static let allGroupOperations: Int32 = (1 << 3) | (1 << 6) | (1 << 8)

    // MARK: DescribeGroups

    public func describeGroups(_ request: DescribeGroupsRequest, context: GroupRequestContext) async
        -> DescribeGroupsResponse
    {
        var described: [DescribeGroupsResponse.DescribedGroup] = []
        for groupID in request.groups {
            var result = await describe(groupID)
            if context.apiVersion >= 3 && request.includeAuthorizedOperations && result.errorCode == ErrorCode.none.rawValue {
                result.authorizedOperations = Self.allGroupOperations
            }
            described.append(result)
        }
        return DescribeGroupsResponse(groups: described)
    }

    private func describe(_ groupID: String) async -> DescribeGroupsResponse.DescribedGroup {
        // Due timers fire first, so that no suspension separates the status check from the change.
        await fireTimers(groupID)
        if let error = statusError(groupID, api: .describe) {
            return DescribeGroupsResponse.DescribedGroup(errorCode: error.rawValue, groupId: groupID)
        }
        guard let group = groups[groupID], group.state != .dead else {
            return DescribeGroupsResponse.DescribedGroup(groupId: groupID, groupState: GroupState.dead.kafkaName)
        }
        // Protocol metadata and assignments are only shown for a Stable group (Kafka's `summary`).
        let stableProtocol = group.state == .stable ? group.protocolName : nil
        return DescribeGroupsResponse.DescribedGroup(
            groupId: groupID,
            groupState: group.state.kafkaName,
            protocolType: group.protocolType ?? "",
            protocolData: stableProtocol ?? "",
            members: group.members.map { member in
                DescribeGroupsResponse.DescribedGroupMember(
                    memberId: member.memberID, groupInstanceId: member.groupInstanceID, clientId: member.clientID,
                    clientHost: member.clientHost,
                    memberMetadata: stableProtocol.flatMap(member.metadata(for:)) ?? ByteBuffer(),
                    memberAssignment: stableProtocol == nil ? ByteBuffer() : member.assignment)
            })
    }

    // MARK: ListGroups

    public func listGroups(_ request: ListGroupsRequest, context: GroupRequestContext) async -> ListGroupsResponse {
        guard isActive else { return ListGroupsResponse(errorCode: ErrorCode.coordinatorNotAvailable.rawValue) }
        let loading = partitionStates.values.contains { if case .loading = $0 { true } else { false } }
        let states = Set((context.apiVersion >= 4 ? request.statesFilter : []).map { $0.lowercased() })
        let types = Set((context.apiVersion >= 5 ? request.typesFilter : []).map { $0.lowercased() })
        let listed = groups.values
            .filter { group in
                group.state != .dead && (states.isEmpty || states.contains(group.state.kafkaName.lowercased()))
                    && (types.isEmpty || types.contains("classic"))
            }
            .sorted { $0.groupID < $1.groupID }
            .map { group in
                ListGroupsResponse.ListedGroup(
                    groupId: group.groupID, protocolType: group.protocolType ?? "", groupState: group.state.kafkaName,
                    groupType: "classic")
            }
        return ListGroupsResponse(
            errorCode: (loading ? ErrorCode.coordinatorLoadInProgress : ErrorCode.none).rawValue, groups: listed)
    }

    // MARK: DeleteGroups

    public func deleteGroups(_ request: DeleteGroupsRequest, context: GroupRequestContext) async -> DeleteGroupsResponse {
        var seen: Set<String> = []
        var results: [DeleteGroupsResponse.DeletableGroupResult] = []
        for groupID in request.groupsNames where seen.insert(groupID).inserted {
            let error = await deleteGroup(groupID)
            results.append(DeleteGroupsResponse.DeletableGroupResult(groupId: groupID, errorCode: error.rawValue))
        }
        return DeleteGroupsResponse(results: results)
    }

    /// Kafka's `handleDeleteGroups` for one group: only an Empty group is deleted, with
    /// tombstones for its offsets and its metadata.
    private func deleteGroup(_ groupID: String) async -> ErrorCode {
        // Due timers fire first, so that no suspension separates the status check from the change.
        await fireTimers(groupID)
        if let error = statusError(groupID, api: .delete) { return error }
        guard let group = groups[groupID], group.state != .dead else { return .groupIdNotFound }
        guard group.state == .empty else { return .nonEmptyGroup }
        groups[groupID]?.markDead(now: currentTime())
        let removed = groups[groupID]?.removeAllOffsets() ?? []
        await cleanUp(groupID, removedOffsets: removed)
        return .none
    }
}
