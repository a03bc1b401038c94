import BrokerCore
import KafkaProtocol
import NIOCore

extension Group {
    /// The group's `GroupMetadataValue` with `assignment` as the members' assignments (Kafka's
    /// `groupMetadataValue`): each member's subscription is its metadata for the selected protocol.
    public func metadataValue(assignment: [String: ByteBuffer]) -> GroupMetadataValue {
        GroupMetadataValue(
            protocolType: protocolType ?? "",
            generation: generationID,
            protocol: protocolName,
            leader: leaderID,
            currentStateTimestamp: stateTimestamp ?? -1,
            members: members.map { member in
                GroupMetadataValue.MemberMetadata(
                    memberId: member.memberID,
                    groupInstanceId: member.groupInstanceID,
                    clientId: member.clientID,
                    clientHost: member.clientHost,
                    rebalanceTimeout: member.rebalanceTimeoutMs,
                    sessionTimeout: member.sessionTimeoutMs,
                    subscription: protocolName.flatMap(member.metadata(for:)) ?? ByteBuffer(),
                    assignment: assignment[member.memberID] ?? ByteBuffer())
            })
    }

    /// A group rebuilt from its latest `GroupMetadataValue` record (Kafka's `readGroupMessageValue`
    /// + `loadGroup` + `onGroupLoaded`): Stable with its members (session timers restarted at
    /// `now`), or Empty without members.
    static func loaded(
        groupID: String, value: GroupMetadataValue, valueVersion: Int16, offsets: [TopicPartition: StoredOffset],
        initialRebalanceDelayMs: Int32, maxSize: Int, now: GroupTime
    ) -> Group {
        var group = Group(groupID: groupID, initialRebalanceDelayMs: initialRebalanceDelayMs, maxSize: maxSize, now: now)
        group.generationID = value.generation
        group.protocolType = value.protocolType.isEmpty ? nil : value.protocolType
        group.protocolName = value.protocol
        group.leaderID = value.leader
        group.stateTimestamp = value.currentStateTimestamp == -1 ? nil : value.currentStateTimestamp
        for record in value.members {
            let member = GroupMember(
                memberID: record.memberId, groupInstanceID: record.groupInstanceId, clientID: record.clientId,
                clientHost: record.clientHost,
                rebalanceTimeoutMs: valueVersion == 0 ? record.sessionTimeout : record.rebalanceTimeout,
                sessionTimeoutMs: record.sessionTimeout, protocolType: value.protocolType,
                protocols: [GroupMember.SupportedProtocol(name: value.protocol ?? "", metadata: record.subscription)],
                assignment: record.assignment)
            if let instanceID = member.groupInstanceID { group.staticMembers[instanceID] = member.memberID }
            group.members.append(member)
        }
        if let leader = group.leaderID, !group.has(leader) { group.leaderID = group.members.first?.memberID }
        group.state = group.members.isEmpty ? .empty : .stable
        group.subscribedTopics = group.computeSubscribedTopics()
        group.offsets = offsets
        for member in group.members { group.scheduleHeartbeat(member.memberID, now: now) }
        return group
    }

    /// A group known only by its committed offsets (no metadata record): Empty, no protocol.
    static func offsetsOnly(
        groupID: String, offsets: [TopicPartition: StoredOffset], initialRebalanceDelayMs: Int32, maxSize: Int,
        now: GroupTime
    ) -> Group {
        var group = Group(groupID: groupID, initialRebalanceDelayMs: initialRebalanceDelayMs, maxSize: maxSize, now: now)
        group.offsets = offsets
        return group
    }

    /// A freshly loaded group larger than `group.max.size` rebalances (Kafka's `onGroupLoaded`).
    mutating func rebalanceIfOverCapacity(now: GroupTime) -> [GroupAction] {
        var actions: [GroupAction] = []
        if members.count > maxSize { prepareRebalance(now: now, into: &actions) }
        return actions
    }
}
