import BrokerCore
import KafkaProtocol
import NIOCore

extension GroupCoordinator {
    // MARK: OffsetCommit

    public func offsetCommit(_ request: OffsetCommitRequest, context: GroupRequestContext) async -> OffsetCommitResponse {
        var results: [TopicPartition: ErrorCode] = [:]
        var commits: [(TopicPartition, OffsetCommitRequest.OffsetCommitRequestPartition)] = []
        for topic in request.topics {
            for partition in topic.partitions {
                let topicPartition = TopicPartition(topic.name, partition.partitionIndex)
                if partitionExists(topicPartition) {
                    commits.append((topicPartition, partition))
                } else {
                    results[topicPartition] = .unknownTopicOrPartition
                }
            }
        }
        if !commits.isEmpty {
            let committed = await commit(request, commits, version: context.apiVersion)
            results.merge(committed) { _, new in new }
        }
        return OffsetCommitResponse(
            topics: request.topics.map { topic in
                OffsetCommitResponse.OffsetCommitResponseTopic(
                    name: topic.name,
                    partitions: topic.partitions.map { partition in
                        let error = results[TopicPartition(topic.name, partition.partitionIndex)] ?? .unknownServerError
                        return OffsetCommitResponse.OffsetCommitResponsePartition(
                            partitionIndex: partition.partitionIndex, errorCode: error.rawValue)
                    })
            })
    }

    /// Kafka's `handleCommitOffsets` + `storeOffsets` for partitions that exist.
    private func commit(
        _ request: OffsetCommitRequest, _ commits: [(TopicPartition, OffsetCommitRequest.OffsetCommitRequestPartition)],
        version: Int16
    ) async -> [TopicPartition: ErrorCode] {
        func all(_ error: ErrorCode) -> [TopicPartition: ErrorCode] {
            Dictionary(commits.map { ($0.0, error) }, uniquingKeysWith: { a, _ in a })
        }
        let groupID = request.groupId
        // Due timers fire first, so that no suspension separates the status check from the change.
        await fireTimers(groupID)
        if let error = statusError(groupID, api: .offsetCommit) { return all(error) }
        let now = currentTime()
        let generation = request.generationIdOrMemberEpoch
        if groups[groupID] == nil {
            // Only a commit without group management (generation -1) may create the group.
            guard generation < 0 else { return all(.illegalGeneration) }
            createGroup(groupID, now: now)
        }
        guard let group = groups[groupID] else { return all(.coordinatorNotAvailable) }
        if let error = group.validateOffsetCommit(
            generationID: generation, memberID: request.memberId, groupInstanceID: request.groupInstanceId)
        {
            return all(error)
        }
        if let error = groups[groupID]?.acceptOffsetCommit(memberID: request.memberId, now: now) { return all(error) }

        var results: [TopicPartition: ErrorCode] = [:]
        var offsets: [TopicPartition: CommittedOffset] = [:]
        var order: [TopicPartition] = []
        // v2-v4 may carry a retention time: such offsets expire at commit time + retention.
        let expireTimestamp: Int64? = request.retentionTimeMs == -1 ? nil : now.wallMs &+ request.retentionTimeMs
        for (topicPartition, partition) in commits {
            let metadata = partition.committedMetadata ?? ""
            if metadata.utf16.count > config.offsetMetadataMaxBytes {
                results[topicPartition] = .offsetMetadataTooLarge
                continue
            }
            let offset = CommittedOffset(
                offset: Offset(partition.committedOffset), leaderEpoch: LeaderEpoch(partition.committedLeaderEpoch),
                metadata: metadata,
                commitTimestamp: version == 1 && partition.commitTimestamp != -1 ? partition.commitTimestamp : now.wallMs,
                expireTimestamp: expireTimestamp)
            // The same partition twice in one request: the last one wins.
            if offsets.updateValue(offset, forKey: topicPartition) == nil { order.append(topicPartition) }
        }
        guard !offsets.isEmpty else { return results }
        let records = order.compactMap { topicPartition in
            offsets[topicPartition].map {
                (key: GroupRecords.offsetKey(group: groupID, partition: topicPartition), value: Optional(GroupRecords.offsetValue($0)))
            }
        }
        let incarnation = group.incarnation
        groups[groupID]?.beginOffsetCommit(Array(offsets.keys))
        let batch = GroupRecords.batch(records, timestamp: now.wallMs)
        let append = await store.append(partition: partition(for: groupID), batch: batch, timeoutMs: config.offsetCommitTimeoutMs)
        if groups[groupID]?.incarnation == incarnation {
            groups[groupID]?.finishOffsetCommit(offsets, recordOffset: append.errorCode == .none ? append.baseOffset : nil)
        }
        let error = GroupStoreErrors.forOffsetCommit(append.errorCode)
        if append.errorCode != .none {
            logger.debug(
                "offset commit failed", metadata: ["group": "\(groupID)", "error": "\(append.errorCode)"])
        }
        for topicPartition in offsets.keys { results[topicPartition] = error }
        return results
    }

    // MARK: OffsetFetch

    public func offsetFetch(_ request: OffsetFetchRequest, context: GroupRequestContext) async -> OffsetFetchResponse {
        let version = context.apiVersion
        if version >= 8 {
            var groupsOut: [OffsetFetchResponse.OffsetFetchResponseGroup] = []
            for group in request.groups {
                let listed = group.topics.map { topics in topics.map { ($0.name, $0.partitionIndexes) } }
                let (error, topics) = await fetchOffsets(group.groupId, listed: listed, requireStable: request.requireStable)
                groupsOut.append(
                    OffsetFetchResponse.OffsetFetchResponseGroup(
                        groupId: group.groupId,
                        topics: topics.map { topic in
                            OffsetFetchResponse.OffsetFetchResponseTopics(
                                name: topic.name,
                                partitions: topic.partitions.map {
                                    OffsetFetchResponse.OffsetFetchResponsePartitions(
                                        partitionIndex: $0.partition, committedOffset: $0.offset,
                                        committedLeaderEpoch: $0.leaderEpoch, metadata: $0.metadata, errorCode: $0.error.rawValue)
                                })
                        },
                        errorCode: error.rawValue))
            }
            return OffsetFetchResponse(groups: groupsOut)
        }
        let listed = request.topics.map { topics in topics.map { ($0.name, $0.partitionIndexes) } }
        var (error, topics) = await fetchOffsets(request.groupId, listed: listed, requireStable: request.requireStable)
        if version < 2 && error != .none {
            // No top-level error before v2: report it on every requested partition.
            topics = (listed ?? []).map { name, partitions in
                FetchedTopic(
                    name: name,
                    partitions: partitions.map {
                        FetchedPartition(partition: $0, offset: -1, leaderEpoch: -1, metadata: "", error: error)
                    })
            }
        }
        return OffsetFetchResponse(
            topics: topics.map { topic in
                OffsetFetchResponse.OffsetFetchResponseTopic(
                    name: topic.name,
                    partitions: topic.partitions.map {
                        OffsetFetchResponse.OffsetFetchResponsePartition(
                            partitionIndex: $0.partition, committedOffset: $0.offset, committedLeaderEpoch: $0.leaderEpoch,
                            metadata: $0.metadata, errorCode: $0.error.rawValue)
                    })
            },
            errorCode: error.rawValue)
    }

    struct FetchedPartition {
        var partition: Int32
        var offset: Int64
        var leaderEpoch: Int32
        var metadata: String
        var error: ErrorCode
    }

    struct FetchedTopic {
        var name: String
        var partitions: [FetchedPartition]
    }

    /// One group's committed offsets (Kafka's `getOffsets`): `listed` nil = every committed
    /// partition; a partition without a commit gets offset -1, metadata "" and no error.
    func fetchOffsets(_ groupID: String, listed: [(String, [Int32])]?, requireStable: Bool) async
        -> (ErrorCode, [FetchedTopic])
    {
        // Due timers fire first, so that no suspension separates the status check from the change.
        await fireTimers(groupID)
        if let error = statusError(groupID, api: .offsetFetch) { return (error, []) }
        let group = groups[groupID].flatMap { $0.state == .dead ? nil : $0 }
        func fetched(_ topicPartition: TopicPartition) -> FetchedPartition {
            let none = FetchedPartition(partition: topicPartition.partition, offset: -1, leaderEpoch: -1, metadata: "", error: .none)
            guard let group else { return none }
            if requireStable && group.hasPendingCommit(topicPartition) {
                return FetchedPartition(
                    partition: topicPartition.partition, offset: -1, leaderEpoch: -1, metadata: "", error: .unstableOffsetCommit)
            }
            guard let offset = group.committedOffset(topicPartition) else { return none }
            return FetchedPartition(
                partition: topicPartition.partition, offset: offset.offset.rawValue, leaderEpoch: offset.leaderEpoch.rawValue,
                metadata: offset.metadata, error: .none)
        }
        if let listed {
            return (
                .none,
                listed.map { name, partitions in
                    FetchedTopic(name: name, partitions: partitions.map { fetched(TopicPartition(name, $0)) })
                }
            )
        }
        var topics: [FetchedTopic] = []
        for topicPartition in (group?.committedOffsets.keys).map(Array.init)?.sorted() ?? [] {
            if topics.last?.name != topicPartition.topic { topics.append(FetchedTopic(name: topicPartition.topic, partitions: [])) }
            topics[topics.count - 1].partitions.append(fetched(topicPartition))
        }
        return (.none, topics)
    }

    // MARK: OffsetDelete

    public func offsetDelete(_ request: OffsetDeleteRequest, context: GroupRequestContext) async -> OffsetDeleteResponse {
        let groupID = request.groupId
        // Due timers fire first, so that no suspension separates the status check from the change.
        await fireTimers(groupID)
        if let error = statusError(groupID, api: .offsetDelete) { return OffsetDeleteResponse(errorCode: error.rawValue) }
        var results: [TopicPartition: ErrorCode] = [:]
        var candidates: [TopicPartition] = []
        for topic in request.topics {
            for partition in topic.partitions {
                let topicPartition = TopicPartition(topic.name, partition.partitionIndex)
                if partitionExists(topicPartition) { candidates.append(topicPartition) } else {
                    results[topicPartition] = .unknownTopicOrPartition
                }
            }
        }
        guard let group = groups[groupID], group.state != .dead else {
            return OffsetDeleteResponse(errorCode: ErrorCode.groupIdNotFound.rawValue)
        }
        var eligible: [TopicPartition] = []
        switch group.state {
        case .empty:
            eligible = candidates
        case .preparingRebalance, .completingRebalance, .stable:
            guard group.isConsumerGroup else { return OffsetDeleteResponse(errorCode: ErrorCode.nonEmptyGroup.rawValue) }
            for topicPartition in candidates {
                if group.isSubscribed(to: topicPartition.topic) {
                    results[topicPartition] = .groupSubscribedToTopic
                } else {
                    eligible.append(topicPartition)
                }
            }
        case .dead:
            return OffsetDeleteResponse(errorCode: ErrorCode.groupIdNotFound.rawValue)
        }
        if !eligible.isEmpty {
            let removed = groups[groupID]?.removeOffsets(eligible) ?? []
            for topicPartition in eligible { results[topicPartition] = ErrorCode.none }
            await cleanUp(groupID, removedOffsets: removed)
        }
        return OffsetDeleteResponse(
            topics: request.topics.map { topic in
                OffsetDeleteResponse.OffsetDeleteResponseTopic(
                    name: topic.name,
                    partitions: topic.partitions.map { partition in
                        let error = results[TopicPartition(topic.name, partition.partitionIndex)] ?? .none
                        return OffsetDeleteResponse.OffsetDeleteResponsePartition(
                            partitionIndex: partition.partitionIndex, errorCode: error.rawValue)
                    })
            })
    }

    // MARK: Retention

    /// Kafka's periodic `cleanupGroupMetadata`: expired offsets are removed (with tombstones),
    /// and Empty groups left without offsets become Dead (with a group tombstone).
    func expireOffsets() async {
        let now = currentTime()
        for groupID in groups.keys.sorted() {
            guard let removed = groups[groupID]?.removeExpiredOffsets(nowWallMs: now.wallMs, retentionMs: config.offsetsRetentionMs)
            else { continue }
            if !removed.isEmpty {
                logger.info("expired offsets", metadata: ["group": "\(groupID)", "count": "\(removed.count)"])
            }
            await cleanUp(groupID, removedOffsets: removed)
        }
    }
}
