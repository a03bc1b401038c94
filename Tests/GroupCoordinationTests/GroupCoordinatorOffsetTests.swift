import BrokerCore
import KafkaProtocol
import NIOCore
import Testing

@testable import GroupCoordination

/// OffsetCommit, OffsetFetch, OffsetDelete and offset retention through the coordinator.
@Suite struct GroupCoordinatorOffsetTests {
    func commitRequest(
        group: String = "g", generation: Int32 = -1, member: String = "", partitions: [(String, Int32, Int64)] = [("t", 0, 10)],
        metadata: String? = "meta", leaderEpoch: Int32 = -1, retentionTimeMs: Int64 = -1
    ) -> OffsetCommitRequest {
        var topics: [OffsetCommitRequest.OffsetCommitRequestTopic] = []
        for (topic, partition, offset) in partitions {
            let entry = OffsetCommitRequest.OffsetCommitRequestPartition(
                partitionIndex: partition, committedOffset: offset, committedLeaderEpoch: leaderEpoch, committedMetadata: metadata)
            if let index = topics.firstIndex(where: { $0.name == topic }) {
                topics[index].partitions.append(entry)
            } else {
                topics.append(.init(name: topic, partitions: [entry]))
            }
        }
        return OffsetCommitRequest(
            groupId: group, generationIdOrMemberEpoch: generation, memberId: member, retentionTimeMs: retentionTimeMs, topics: topics)
    }

    func errors(_ response: OffsetCommitResponse) -> [Int16] { response.topics.flatMap { $0.partitions.map(\.errorCode) } }

    func fetch(_ fixture: CoordinatorFixture, group: String = "g", topics: [(String, [Int32])]?, version: Int16 = 7) async
        -> OffsetFetchResponse
    {
        await fixture.coordinator.offsetFetch(
            OffsetFetchRequest(groupId: group, topics: topics.map { $0.map { .init(name: $0.0, partitionIndexes: $0.1) } }),
            context: fixture.context(version))
    }

    @Test func simpleCommitCreatesAnEmptyGroupAndMetadataRoundTrips() async throws {
        let fixture = await CoordinatorFixture.make()
        let response = await fixture.coordinator.offsetCommit(
            commitRequest(partitions: [("t", 0, 10), ("t", 1, 11)], leaderEpoch: 3), context: fixture.context(8))
        #expect(errors(response) == [0, 0])
        #expect(await fixture.coordinator.group("g")?.state == .empty)

        let fetched = await fetch(fixture, topics: [("t", [0, 1, 2])])
        #expect(fetched.errorCode == 0)
        let partitions = fetched.topics.first?.partitions ?? []
        #expect(partitions.map(\.committedOffset) == [10, 11, -1])
        #expect(partitions.map(\.metadata) == ["meta", "meta", ""])
        #expect(partitions.map(\.committedLeaderEpoch) == [3, 3, -1])
        #expect(partitions.map(\.errorCode) == [0, 0, 0])

        // Stored as one batch of two OffsetCommitValue v3 records.
        let records = try await fixture.store.records(partition: 0)
        #expect(records.count == 2)
        #expect(records.first?.value?.getInteger(at: records.first?.value?.readerIndex ?? 0, as: Int16.self) == 3)
        await fixture.shutdown()
    }

    @Test func commitWithRetentionTimeIsStoredAsVersion1() async throws {
        let fixture = await CoordinatorFixture.make()
        let response = await fixture.coordinator.offsetCommit(commitRequest(retentionTimeMs: 1000), context: fixture.context(2))
        #expect(errors(response) == [0])
        let records = try await fixture.store.records(partition: 0)
        let value = try #require(records.first?.value)
        let decoded = try GroupRecords.decodeOffsetValue(value)
        #expect(decoded.expireTimestamp == fixture.clock.nowMilliseconds + 1000)
        await fixture.shutdown()
    }

    @Test func generationCheckedCommits() async {
        let fixture = await CoordinatorFixture.make()
        let (id, generation) = await fixture.stableSingleMemberGroup()
        let ok = await fixture.coordinator.offsetCommit(commitRequest(generation: generation, member: id), context: fixture.context(8))
        #expect(errors(ok) == [0])
        let stale = await fixture.coordinator.offsetCommit(commitRequest(generation: generation - 1, member: id), context: fixture.context(8))
        #expect(errors(stale) == [ErrorCode.illegalGeneration.rawValue])
        let unknown = await fixture.coordinator.offsetCommit(commitRequest(generation: generation, member: "x"), context: fixture.context(8))
        #expect(errors(unknown) == [ErrorCode.unknownMemberId.rawValue])
        let simple = await fixture.coordinator.offsetCommit(commitRequest(), context: fixture.context(8))
        #expect(errors(simple) == [ErrorCode.unknownMemberId.rawValue])
        let noGroup = await fixture.coordinator.offsetCommit(commitRequest(group: "other", generation: 3, member: "m"), context: fixture.context(8))
        #expect(errors(noGroup) == [ErrorCode.illegalGeneration.rawValue])
        await fixture.shutdown()
    }

    @Test func commitDuringCompletingRebalanceIsRebalanceInProgress() async {
        let fixture = await CoordinatorFixture.make()
        let id = await fixture.memberID()
        async let join = fixture.coordinator.joinGroup(fixture.joinRequest(memberID: id), context: fixture.context(5))
        await fixture.waitForParkedJoins(1)
        await fixture.advance(3000)
        let joined = await join
        let response = await fixture.coordinator.offsetCommit(commitRequest(generation: joined.generationId, member: id), context: fixture.context(8))
        #expect(errors(response) == [ErrorCode.rebalanceInProgress.rawValue])
        await fixture.shutdown()
    }

    @Test func metadataTooLargeAndUnknownPartitionsArePerPartition() async {
        let fixture = await CoordinatorFixture.make(config: .init(offsetsTopicPartitionCount: 1, offsetMetadataMaxBytes: 3))
        let big = await fixture.coordinator.offsetCommit(commitRequest(metadata: "four"), context: fixture.context(8))
        #expect(errors(big) == [ErrorCode.offsetMetadataTooLarge.rawValue])
        let mixed = await fixture.coordinator.offsetCommit(
            commitRequest(partitions: [("t", 0, 1), ("nope", 0, 1)], metadata: "ok"), context: fixture.context(8))
        #expect(errors(mixed) == [0, ErrorCode.unknownTopicOrPartition.rawValue])
        await fixture.shutdown()
    }

    @Test(arguments: [
        (ErrorCode.notEnoughReplicas, ErrorCode.coordinatorNotAvailable),
        (.requestTimedOut, .coordinatorNotAvailable),
        (.notLeaderOrFollower, .notCoordinator),
        (.messageTooLarge, .invalidCommitOffsetSize),
        (.recordListTooLarge, .invalidCommitOffsetSize),
        (.corruptMessage, .unknownServerError),
    ])
    func storeErrorsAreMapped(storeError: ErrorCode, expected: ErrorCode) async {
        let fixture = await CoordinatorFixture.make()
        await fixture.store.failNextAppends(with: storeError)
        let response = await fixture.coordinator.offsetCommit(commitRequest(), context: fixture.context(8))
        #expect(errors(response) == [expected.rawValue])
        let fetched = await fetch(fixture, topics: [("t", [0])])
        #expect(fetched.topics.first?.partitions.first?.committedOffset == -1)
        await fixture.shutdown()
    }

    @Test func fetchAllPartitionsAndSeveralGroups() async {
        let fixture = await CoordinatorFixture.make()
        _ = await fixture.coordinator.offsetCommit(commitRequest(partitions: [("u", 1, 5), ("t", 0, 3)]), context: fixture.context(8))
        _ = await fixture.coordinator.offsetCommit(commitRequest(group: "h", partitions: [("t", 2, 7)]), context: fixture.context(8))
        let all = await fetch(fixture, topics: nil)
        #expect(all.topics.map(\.name) == ["t", "u"])
        #expect(all.topics.map { $0.partitions.map(\.committedOffset) } == [[3], [5]])

        let multi = await fixture.coordinator.offsetFetch(
            OffsetFetchRequest(groups: [
                .init(groupId: "g", topics: nil), .init(groupId: "h", topics: [.init(name: "t", partitionIndexes: [2])]),
                .init(groupId: "", topics: nil), .init(groupId: "unknown", topics: nil),
            ]), context: fixture.context(8))
        #expect(multi.groups.map(\.groupId) == ["g", "h", "", "unknown"])
        #expect(multi.groups.map(\.errorCode) == [0, 0, 0, 0])
        #expect(multi.groups[1].topics.first?.partitions.first?.committedOffset == 7)
        #expect(multi.groups[3].topics.isEmpty)
        await fixture.shutdown()
    }

    @Test func fetchWhileLoadingAndWhenNotCoordinator() async {
        let store = InMemoryGroupLogStore()
        await store.holdReads()
        let fixture = await CoordinatorFixture.make(store: store, elect: false)
        fixture.coordinator.onElection(partition: 0, leaderEpoch: LeaderEpoch(1))
        await fixture.waitUntil { _ in await store.hasHeldReads }
        let loading = await fetch(fixture, topics: [("t", [0])], version: 1)
        // v1 has no top-level error: it is reported per partition.
        #expect(loading.topics.first?.partitions.first?.errorCode == ErrorCode.coordinatorLoadInProgress.rawValue)
        let loadingV7 = await fetch(fixture, topics: [("t", [0])])
        #expect(loadingV7.errorCode == ErrorCode.coordinatorLoadInProgress.rawValue)
        await store.releaseReads()
        await fixture.coordinator.waitForLoads()
        #expect(await fetch(fixture, topics: [("t", [0])]).errorCode == 0)
        fixture.coordinator.onResignation(partition: 0, leaderEpoch: nil)
        await fixture.coordinator.waitForLoads()
        #expect(await fetch(fixture, topics: [("t", [0])]).errorCode == ErrorCode.notCoordinator.rawValue)
        await fixture.shutdown()
    }

    @Test func offsetDeleteRefusesSubscribedTopics() async {
        let fixture = await CoordinatorFixture.make()
        let (id, generation) = await fixture.stableSingleMemberGroup()
        _ = await fixture.coordinator.offsetCommit(
            commitRequest(generation: generation, member: id, partitions: [("t", 0, 1), ("u", 0, 2)]), context: fixture.context(8))
        let response = await fixture.coordinator.offsetDelete(
            OffsetDeleteRequest(groupId: "g", topics: [.init(name: "t", partitions: [.init(partitionIndex: 0)]), .init(name: "u", partitions: [.init(partitionIndex: 0)])]),
            context: fixture.context(0))
        #expect(response.errorCode == 0)
        #expect(response.topics.map { $0.partitions.map(\.errorCode) } == [[ErrorCode.groupSubscribedToTopic.rawValue], [0]])
        let all = await fetch(fixture, topics: nil)
        #expect(all.topics.map(\.name) == ["t"])
        let missing = await fixture.coordinator.offsetDelete(OffsetDeleteRequest(groupId: "zz"), context: fixture.context(0))
        #expect(missing.errorCode == ErrorCode.groupIdNotFound.rawValue)
        await fixture.shutdown()
    }

    @Test func expiredOffsetsOfAnEmptyGroupAreTombstonedAndTheGroupDies() async throws {
        let fixture = await CoordinatorFixture.make(
            config: .init(offsetsTopicPartitionCount: 1, offsetsRetentionMs: 60_000, offsetsRetentionCheckIntervalMs: 10_000))
        let (id, generation) = await fixture.stableSingleMemberGroup()
        _ = await fixture.coordinator.offsetCommit(commitRequest(generation: generation, member: id), context: fixture.context(8))
        _ = await fixture.coordinator.leaveGroup(LeaveGroupRequest(groupId: "g", members: [.init(memberId: id)]), context: fixture.context(3))
        #expect(await fixture.coordinator.group("g")?.state == .empty)
        await fixture.advance(50_000)
        #expect(await fixture.coordinator.group("g")?.hasOffsets == true)
        await fixture.advance(10_000)
        #expect(await fixture.coordinator.group("g") == nil)
        let records = try await fixture.store.records(partition: 0)
        let tail = records.suffix(2)
        #expect(tail.map { $0.value == nil } == [true, true])
        #expect(tail.compactMap { $0.key.flatMap { try? GroupRecords.decodeKey($0) } } == [
            .offset(group: "g", partition: TopicPartition("t", 0)), .group("g"),
        ])
        await fixture.shutdown()
    }
}
