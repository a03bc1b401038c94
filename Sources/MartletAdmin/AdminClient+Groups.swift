import BrokerCore
import KafkaProtocol

extension AdminClient {
    /// The coordinator of `group` (FindCoordinator, key type GROUP) from any broker; retried while
    /// the broker answers COORDINATOR_NOT_AVAILABLE (e.g. `__consumer_offsets` being created).
    public func findCoordinator(group: String) async throws -> BrokerInfo {
        try await withRetries("FindCoordinator") { try await coordinator(of: group) }
    }

    /// One FindCoordinator attempt (cached until a retriable error clears it).
    func coordinator(of group: String) async throws -> BrokerInfo {
        if let known = knownCoordinator(group) { return known }
        let session = try await anySession()
        let request = FindCoordinatorRequest(key: group, keyType: 0, coordinatorKeys: [group])
        let (response, version) = try await session.send(
            request, client: AdminProtocolVersions.findCoordinator, timeout: requestTimeout)
        let code: Int16, message: String?, node: Int32, host: String, port: Int32
        if version >= 4 {
            guard let entry = response.coordinators.first(where: { $0.key == group }) else {
                throw AdminError.kafka(operation: "FindCoordinator", code: ErrorCode.unknownServerError.rawValue,
                    message: "no coordinator entry for group '\(group)'")
            }
            (code, message, node, host, port) = (entry.errorCode, entry.errorMessage, entry.nodeId, entry.host, entry.port)
        } else {
            (code, message, node, host, port) = (
                response.errorCode, response.errorMessage, response.nodeId, response.host, response.port
            )
        }
        try check(code, message, operation: "FindCoordinator")
        let broker = BrokerInfo(id: BrokerID(node), address: BrokerAddress(host: host, port: Int(port)))
        rememberCoordinator(group, broker)
        return broker
    }

    /// DescribeGroups at the coordinator. A group the coordinator does not know (state Dead, or
    /// GROUP_ID_NOT_FOUND) throws ``AdminError/groupDoesNotExist(_:)``.
    public func describeGroup(_ group: String) async throws -> GroupDescription {
        try await withRetries("DescribeGroups") {
            let coordinator = try await coordinator(of: group)
            let session = try await session(for: coordinator)
            let (response, _) = try await session.send(
                DescribeGroupsRequest(groups: [group]), client: AdminProtocolVersions.describeGroups,
                timeout: requestTimeout)
            guard let described = response.groups.first(where: { $0.groupId == group }) else {
                throw AdminError.kafka(operation: "DescribeGroups", code: ErrorCode.unknownServerError.rawValue,
                    message: "no result for group '\(group)'")
            }
            if described.errorCode == ErrorCode.groupIdNotFound.rawValue { throw AdminError.groupDoesNotExist(group) }
            try check(described.errorCode, nil, operation: "DescribeGroups")
            if described.groupState == "Dead" { throw AdminError.groupDoesNotExist(group) }
            let isConsumer = described.protocolType == "consumer"
            return GroupDescription(
                groupID: group, state: described.groupState, protocolType: described.protocolType,
                assignmentStrategy: described.protocolData,
                members: described.members.map { member in
                    GroupMemberDescription(
                        memberID: member.memberId, groupInstanceID: member.groupInstanceId, clientID: member.clientId,
                        clientHost: member.clientHost,
                        assignment: isConsumer ? (ConsumerAssignmentDecoder.partitions(from: member.memberAssignment) ?? []) : [])
                },
                coordinator: coordinator)
        }
    }

    /// Every committed offset of `group` (OffsetFetch with null topics at the coordinator).
    /// Partitions without a committed offset (offset -1) or with a partition error are absent.
    public func committedOffsets(group: String) async throws -> [TopicPartition: CommittedOffset] {
        try await withRetries("OffsetFetch") {
            let coordinator = try await coordinator(of: group)
            let session = try await session(for: coordinator)
            let version = try session.version(of: OffsetFetchRequest.self, client: AdminProtocolVersions.offsetFetch)
            var request = OffsetFetchRequest(groupId: group, topics: nil, requireStable: false)
            if version >= 8 {
                request.groups = [.init(groupId: group, memberId: nil, memberEpoch: -1, topics: nil)]
            }
            let response = try await session.connection.send(request, version: version, timeout: requestTimeout)
            var offsets: [TopicPartition: CommittedOffset] = [:]
            func add(_ topic: String, _ partition: Int32, _ offset: Int64, _ epoch: Int32, _ metadata: String?, _ code: Int16) {
                guard code == 0, offset >= 0 else { return }
                offsets[TopicPartition(topic, partition)] = CommittedOffset(
                    offset: Offset(offset), leaderEpoch: LeaderEpoch(epoch), metadata: metadata)
            }
            if version >= 8 {
                guard let result = response.groups.first(where: { $0.groupId == group }) else {
                    throw AdminError.kafka(operation: "OffsetFetch", code: ErrorCode.unknownServerError.rawValue,
                        message: "no result for group '\(group)'")
                }
                try checkGroup(result.errorCode, group: group, operation: "OffsetFetch")
                for topic in result.topics {
                    for p in topic.partitions {
                        add(topic.name, p.partitionIndex, p.committedOffset, p.committedLeaderEpoch, p.metadata, p.errorCode)
                    }
                }
            } else {
                try checkGroup(response.errorCode, group: group, operation: "OffsetFetch")
                for topic in response.topics {
                    for p in topic.partitions {
                        add(topic.name, p.partitionIndex, p.committedOffset, p.committedLeaderEpoch, p.metadata, p.errorCode)
                    }
                }
            }
            return offsets
        }
    }

    /// ListGroups on every broker of the cluster, merged and sorted by group id.
    public func listGroups() async throws -> [GroupListing] {
        let cluster = try await metadata(topics: [])
        var groups: [String: GroupListing] = [:]
        for broker in cluster.brokers {
            let listed = try await withRetries("ListGroups") {
                let session = try await session(for: broker)
                let (response, _) = try await session.send(
                    ListGroupsRequest(), client: AdminProtocolVersions.listGroups, timeout: requestTimeout)
                try check(response.errorCode, nil, operation: "ListGroups")
                return response.groups.map {
                    GroupListing(groupID: $0.groupId, protocolType: $0.protocolType, state: $0.groupState)
                }
            }
            for listing in listed { groups[listing.groupID] = listing }
        }
        return groups.values.sorted()
    }

    /// DeleteGroups at each group's coordinator: the error code per group (0 = deleted;
    /// GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP, ... otherwise). Retriable errors are retried.
    public func deleteGroups(_ groups: [String]) async throws -> [String: Int16] {
        var results: [String: Int16] = [:]
        for group in groups {
            results[group] = try await withRetries("DeleteGroups") {
                let coordinator = try await coordinator(of: group)
                let session = try await session(for: coordinator)
                let (response, _) = try await session.send(
                    DeleteGroupsRequest(groupsNames: [group]), client: AdminProtocolVersions.deleteGroups,
                    timeout: requestTimeout)
                guard let result = response.results.first(where: { $0.groupId == group }) else {
                    throw AdminError.kafka(operation: "DeleteGroups", code: ErrorCode.unknownServerError.rawValue,
                        message: "no result for group '\(group)'")
                }
                if AdminError.isRetriable(result.errorCode) {
                    throw Retriable(description: "DeleteGroups: \(ErrorCode(rawValue: result.errorCode)?.kafkaName ?? "")")
                }
                return result.errorCode
            }
        }
        return results
    }

    /// What `martlet groups describe` prints: the group, its committed offsets, and the log end
    /// offset (ListOffsets latest) of every partition assigned or committed.
    public func describeGroupOffsets(_ group: String) async throws -> GroupOffsetsReport {
        let description = try await describeGroup(group)
        let committed = try await committedOffsets(group: group)
        let partitions = GroupOffsetsReport.partitions(of: description, committed: committed)
        let logEnd = try await listOffsets(partitions, at: .latest)
        return GroupOffsetsReport(description: description, committed: committed, logEndOffsets: logEnd)
    }

    private func checkGroup(_ code: Int16, group: String, operation: String) throws {
        if code == ErrorCode.groupIdNotFound.rawValue { throw AdminError.groupDoesNotExist(group) }
        try check(code, nil, operation: operation)
    }
}
