import BrokerCore
import KafkaProtocol
import KafkaRecords
import NIOCore
import Testing

@testable import GroupCoordination

/// Loading `__consumer_offsets` on election, and unloading on resignation.
@Suite struct GroupCoordinatorLoadingTests {
    func offsetRecord(_ group: String, _ topic: String, _ partition: Int32, _ offset: Int64?) -> (key: ByteBuffer, value: ByteBuffer?) {
        (
            key: GroupRecords.offsetKey(group: group, partition: TopicPartition(topic, partition)),
            value: offset.map { GroupRecords.offsetValue(CommittedOffset(offset: Offset($0), metadata: "m\($0)", commitTimestamp: 1)) }
        )
    }

    func groupRecord(_ group: String, members: [String]) -> (key: ByteBuffer, value: ByteBuffer?) {
        let value = GroupMetadataValue(
            protocolType: "consumer", generation: 4, protocol: "range", leader: members.first, currentStateTimestamp: 100,
            members: members.map {
                .init(
                    memberId: $0, clientId: "c", clientHost: "/h", rebalanceTimeout: 30_000, sessionTimeout: 10_000,
                    subscription: subscription(["t"]), assignment: bytes("A-\($0)"))
            })
        return (key: GroupRecords.groupKey(group), value: GroupRecords.groupValue(value))
    }

    @Test func latestValuePerKeyWinsAndTombstonesDelete() async {
        let store = InMemoryGroupLogStore()
        await store.seed(partition: 0, batch: GroupRecords.batch([offsetRecord("g", "t", 0, 1), offsetRecord("g", "t", 1, 5)], timestamp: 1))
        await store.seed(partition: 0, batch: GroupRecords.batch([offsetRecord("g", "t", 0, 2), offsetRecord("g", "t", 1, nil)], timestamp: 2))
        await store.seed(partition: 0, batch: GroupRecords.batch([offsetRecord("gone", "t", 0, 9)], timestamp: 2))
        await store.seed(partition: 0, batch: GroupRecords.batch([offsetRecord("gone", "t", 0, nil)], timestamp: 3))
        let fixture = await CoordinatorFixture.make(store: store)
        let group = await fixture.coordinator.group("g")
        #expect(group?.state == .empty && group?.protocolType == nil)
        #expect(group?.committedOffsets == [TopicPartition("t", 0): CommittedOffset(offset: Offset(2), metadata: "m2", commitTimestamp: 1)])
        #expect(await fixture.coordinator.group("gone") == nil)
        await fixture.shutdown()
    }

    @Test func groupMetadataWithMembersLoadsStableWithSessionTimers() async {
        let store = InMemoryGroupLogStore()
        await store.seed(partition: 0, batch: GroupRecords.batch([groupRecord("g", members: ["a", "b"]), offsetRecord("g", "t", 0, 7)], timestamp: 1))
        let fixture = await CoordinatorFixture.make(store: store)
        let group = await fixture.coordinator.group("g")
        #expect(group?.state == .stable && group?.generationID == 4 && group?.leaderID == "a")
        #expect(group?.member("b")?.assignment == bytes("A-b"))
        #expect(group?.committedOffset(TopicPartition("t", 0))?.offset == Offset(7))
        // The members resume: heartbeats with the stored generation are accepted...
        let beat = await fixture.coordinator.heartbeat(HeartbeatRequest(groupId: "g", generationId: 4, memberId: "a"), context: fixture.context(4))
        #expect(beat.errorCode == 0)
        let sync = await fixture.coordinator.syncGroup(SyncGroupRequest(groupId: "g", generationId: 4, memberId: "b"), context: fixture.context(3))
        #expect(sync.assignment == bytes("A-b"))
        // ...and a silent member expires after its session timeout.
        await fixture.advance(6000)
        _ = await fixture.coordinator.heartbeat(HeartbeatRequest(groupId: "g", generationId: 4, memberId: "a"), context: fixture.context(4))
        await fixture.advance(4000)
        #expect(await fixture.coordinator.group("g")?.has("b") == false)
        await fixture.shutdown()
    }

    @Test func groupTombstoneRemovesTheGroup() async {
        let store = InMemoryGroupLogStore()
        await store.seed(partition: 0, batch: GroupRecords.batch([groupRecord("g", members: ["a"])], timestamp: 1))
        await store.seed(partition: 0, batch: GroupRecords.batch([(key: GroupRecords.groupKey("g"), value: nil)], timestamp: 2))
        let fixture = await CoordinatorFixture.make(store: store)
        #expect(await fixture.coordinator.group("g") == nil)
        await fixture.shutdown()
    }

    @Test func stateWrittenByOneCoordinatorIsLoadedByTheNext() async {
        let store = InMemoryGroupLogStore()
        let first = await CoordinatorFixture.make(store: store)
        let (id, generation) = await first.stableSingleMemberGroup()
        _ = await first.coordinator.offsetCommit(
            OffsetCommitRequest(groupId: "g", generationIdOrMemberEpoch: generation, memberId: id, topics: [
                .init(name: "t", partitions: [.init(partitionIndex: 0, committedOffset: 42, committedLeaderEpoch: 3, committedMetadata: "x")])
            ]), context: first.context(8))
        await first.shutdown()

        let second = await CoordinatorFixture.make(store: store)
        let group = await second.coordinator.group("g")
        #expect(group?.state == .stable && group?.generationID == generation && group?.member(id)?.assignment == bytes("A"))
        let fetched = await second.coordinator.offsetFetch(
            OffsetFetchRequest(groupId: "g", topics: [.init(name: "t", partitionIndexes: [0])]), context: second.context(7))
        let partition = fetched.topics.first?.partitions.first
        #expect(partition?.committedOffset == 42 && partition?.committedLeaderEpoch == 3 && partition?.metadata == "x")
        await second.shutdown()
    }

    @Test func controlAndUndecodableBatchesAreSkipped() async {
        let store = InMemoryGroupLogStore()
        var control = RecordBatchBuilder(isControl: true)
        control.append(key: [0, 0, 0, 0], value: [0, 0, 0, 0, 0, 0], timestamp: 1)
        await store.seed(partition: 0, batch: control.build())
        await store.seed(partition: 0, batch: GroupRecords.batch([(key: ByteBuffer(bytes: [0, 1, 0xFF]), value: nil)], timestamp: 1))
        await store.seed(partition: 0, batch: GroupRecords.batch([offsetRecord("g", "t", 0, 3)], timestamp: 1))
        let fixture = await CoordinatorFixture.make(store: store)
        #expect(await fixture.coordinator.group("g")?.committedOffset(TopicPartition("t", 0))?.offset == Offset(3))
        await fixture.shutdown()
    }

    @Test func loadStartsAtTheLogStartOffset() async {
        let store = InMemoryGroupLogStore()
        await store.seed(partition: 0, batch: GroupRecords.batch([offsetRecord("g", "t", 0, 1)], timestamp: 1))
        await store.seed(partition: 0, batch: GroupRecords.batch([offsetRecord("h", "t", 0, 2)], timestamp: 1))
        await store.setLogStartOffset(Offset(1), partition: 0)
        let fixture = await CoordinatorFixture.make(store: store)
        #expect(await fixture.coordinator.group("g") == nil)
        #expect(await fixture.coordinator.group("h")?.committedOffset(TopicPartition("t", 0))?.offset == Offset(2))
        await fixture.shutdown()
    }

    @Test func requestsDuringALoadGetCoordinatorLoadInProgress() async {
        let store = InMemoryGroupLogStore()
        await store.holdReads()
        let fixture = await CoordinatorFixture.make(store: store, elect: false)
        fixture.coordinator.onElection(partition: 0, leaderEpoch: LeaderEpoch(1))
        await fixture.waitUntil { _ in await store.hasHeldReads }
        let join = await fixture.coordinator.joinGroup(fixture.joinRequest(), context: fixture.context(5))
        #expect(join.errorCode == ErrorCode.coordinatorLoadInProgress.rawValue)
        let beat = await fixture.coordinator.heartbeat(HeartbeatRequest(groupId: "g", generationId: 1, memberId: "m"), context: fixture.context(4))
        #expect(beat.errorCode == 0)  // answered blindly while loading, as Kafka does
        let sync = await fixture.coordinator.syncGroup(SyncGroupRequest(groupId: "g", generationId: 1, memberId: "m"), context: fixture.context(3))
        #expect(sync.errorCode == ErrorCode.rebalanceInProgress.rawValue)
        let list = await fixture.coordinator.listGroups(ListGroupsRequest(), context: fixture.context(4))
        #expect(list.errorCode == ErrorCode.coordinatorLoadInProgress.rawValue)
        await store.releaseReads()
        await fixture.coordinator.waitForLoads()
        #expect(await fixture.coordinator.joinGroup(fixture.joinRequest(), context: fixture.context(5)).errorCode
            == ErrorCode.memberIdRequired.rawValue)
        await fixture.shutdown()
    }

    @Test func resignationDuringALoadAbandonsIt() async {
        let store = InMemoryGroupLogStore()
        await store.seed(partition: 0, batch: GroupRecords.batch([offsetRecord("g", "t", 0, 1)], timestamp: 1))
        await store.holdReads()
        let fixture = await CoordinatorFixture.make(store: store, elect: false)
        fixture.coordinator.onElection(partition: 0, leaderEpoch: LeaderEpoch(1))
        await fixture.waitUntil { _ in await store.hasHeldReads }
        fixture.coordinator.onResignation(partition: 0, leaderEpoch: LeaderEpoch(1))
        await store.releaseReads()
        await fixture.coordinator.waitForLoads()
        #expect(await fixture.coordinator.group("g") == nil)
        let fetched = await fixture.coordinator.offsetFetch(OffsetFetchRequest(groupId: "g", topics: nil), context: fixture.context(7))
        #expect(fetched.errorCode == ErrorCode.notCoordinator.rawValue)
        await fixture.shutdown()
    }

    @Test func staleElectionIsIgnoredAndReadErrorsAbandonTheLoad() async {
        let store = InMemoryGroupLogStore()
        let fixture = await CoordinatorFixture.make(store: store, elect: false)
        fixture.coordinator.onResignation(partition: 0, leaderEpoch: LeaderEpoch(5))
        fixture.coordinator.onElection(partition: 0, leaderEpoch: LeaderEpoch(4))
        await fixture.coordinator.waitForLoads()
        #expect(await store.readCount == 0)
        await store.failReads(with: .notLeaderOrFollower)
        fixture.coordinator.onElection(partition: 0, leaderEpoch: LeaderEpoch(6))
        await fixture.coordinator.waitForLoads()
        let join = await fixture.coordinator.joinGroup(fixture.joinRequest(), context: fixture.context(5))
        #expect(join.errorCode == ErrorCode.notCoordinator.rawValue)
        await fixture.shutdown()
    }
}
