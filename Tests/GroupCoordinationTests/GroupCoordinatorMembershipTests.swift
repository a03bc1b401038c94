import BrokerCore
import KafkaProtocol
import NIOCore
import Testing

@testable import GroupCoordination

/// JoinGroup, SyncGroup, Heartbeat and LeaveGroup through the coordinator actor.
@Suite struct GroupCoordinatorMembershipTests {
    @Test func partitionForUsesJavaStringHashCode() async {
        let fixture = await CoordinatorFixture.make(config: .init(offsetsTopicPartitionCount: 50), elect: false)
        // "console-consumer-1".hashCode() = 35782224 → 24; "" → 0; "polygenelubricants".hashCode() = Int32.min → 0.
        #expect(javaStringHashCode("console-consumer-1") == 35_782_224)
        #expect(fixture.coordinator.partition(for: "console-consumer-1") == 24)
        #expect(fixture.coordinator.partition(for: "") == 0)
        #expect(javaStringHashCode("polygenelubricants") == Int32.min)
        #expect(fixture.coordinator.partition(for: "polygenelubricants") == 0)
        await fixture.shutdown()
    }

    @Test func singleMemberJoinsSyncsAndHeartbeats() async {
        let fixture = await CoordinatorFixture.make()
        let id = await fixture.memberID()
        #expect(id.hasPrefix("client-"))
        async let join = fixture.coordinator.joinGroup(fixture.joinRequest(memberID: id), context: fixture.context(7))
        await fixture.waitForParkedJoins(1)
        await fixture.advance(3000)
        let joined = await join
        #expect(joined.errorCode == 0)
        #expect(joined.generationId == 1 && joined.leader == id && joined.memberId == id)
        #expect(joined.protocolType == "consumer" && joined.protocolName == "range")
        #expect(joined.members.map(\.memberId) == [id])
        #expect(joined.members.first?.metadata == subscription(["t"]))

        let synced = await fixture.coordinator.syncGroup(
            SyncGroupRequest(
                groupId: "g", generationId: 1, memberId: id, protocolType: "consumer", protocolName: "range",
                assignments: [.init(memberId: id, assignment: bytes("A"))]), context: fixture.context(5))
        #expect(synced.errorCode == 0 && synced.assignment == bytes("A"))
        #expect(synced.protocolType == "consumer" && synced.protocolName == "range")

        let beat = await fixture.coordinator.heartbeat(
            HeartbeatRequest(groupId: "g", generationId: 1, memberId: id), context: fixture.context(4))
        #expect(beat.errorCode == 0)
        #expect(await fixture.coordinator.group("g")?.state == .stable)
        await fixture.shutdown()
    }

    @Test func threeMembersLeaderGetsTheMemberListFollowersGetAssignments() async {
        let fixture = await CoordinatorFixture.make()
        let ids = [await fixture.memberID(client: "c1"), await fixture.memberID(client: "c2"), await fixture.memberID(client: "c3")]
        let coordinator = fixture.coordinator
        async let j1 = coordinator.joinGroup(fixture.joinRequest(memberID: ids[0], rebalanceTimeoutMs: 3000), context: fixture.context(5))
        await fixture.waitForParkedJoins(1)
        async let j2 = coordinator.joinGroup(fixture.joinRequest(memberID: ids[1], rebalanceTimeoutMs: 3000), context: fixture.context(5))
        async let j3 = coordinator.joinGroup(fixture.joinRequest(memberID: ids[2], rebalanceTimeoutMs: 3000), context: fixture.context(5))
        await fixture.waitForParkedJoins(3)
        await fixture.advance(3000)
        let joins = await [j1, j2, j3]
        #expect(joins.allSatisfy { $0.errorCode == 0 && $0.generationId == 1 && $0.leader == ids[0] })
        #expect(Set(joins[0].members.map(\.memberId)) == Set(ids))
        #expect(joins[1].members.isEmpty && joins[2].members.isEmpty)

        func sync(_ index: Int, assignments: [SyncGroupRequest.SyncGroupRequestAssignment] = []) async -> SyncGroupResponse {
            await coordinator.syncGroup(
                SyncGroupRequest(groupId: "g", generationId: 1, memberId: ids[index], assignments: assignments),
                context: fixture.context(3))
        }
        async let s2 = sync(1)
        async let s3 = sync(2)
        await fixture.waitUntil { await $0.group("g")?.members.count(where: \.isAwaitingSync) == 2 }
        let leader = await sync(0, assignments: ids.map { .init(memberId: $0, assignment: bytes("A-\($0)")) })
        let followers = await [s2, s3]
        #expect(leader.errorCode == 0 && leader.assignment == bytes("A-\(ids[0])"))
        #expect(followers[0].assignment == bytes("A-\(ids[1])") && followers[1].assignment == bytes("A-\(ids[2])"))
        // The assignment was stored before anyone got it.
        let records = try? await fixture.store.records(partition: 0)
        #expect(records?.count == 1)
        await fixture.shutdown()
    }

    @Test func joinGroupBeforeV4GetsAMemberIDWithoutMemberIDRequired() async {
        let fixture = await CoordinatorFixture.make()
        async let join = fixture.coordinator.joinGroup(fixture.joinRequest(), context: fixture.context(3))
        await fixture.waitForParkedJoins(1)
        await fixture.advance(3000)
        let joined = await join
        #expect(joined.errorCode == 0 && !joined.memberId.isEmpty && joined.leader == joined.memberId)
        await fixture.shutdown()
    }

    @Test func newMemberTriggersARebalance() async {
        let fixture = await CoordinatorFixture.make()
        let (first, _) = await fixture.stableSingleMemberGroup()
        let second = await fixture.memberID(client: "c2")
        async let join2 = fixture.coordinator.joinGroup(fixture.joinRequest(memberID: second), context: fixture.context(5))
        await fixture.waitForParkedJoins(1)
        #expect(await fixture.coordinator.group("g")?.state == .preparingRebalance)
        let beat = await fixture.coordinator.heartbeat(HeartbeatRequest(groupId: "g", generationId: 1, memberId: first), context: fixture.context(4))
        #expect(beat.errorCode == ErrorCode.rebalanceInProgress.rawValue)
        let rejoin = await fixture.coordinator.joinGroup(fixture.joinRequest(memberID: first), context: fixture.context(5))
        let joined2 = await join2
        #expect(rejoin.generationId == 2 && joined2.generationId == 2)
        #expect(rejoin.leader == first && rejoin.members.count == 2)
        await fixture.shutdown()
    }

    @Test func sessionExpiryRemovesTheMember() async {
        let fixture = await CoordinatorFixture.make()
        let (id, _) = await fixture.stableSingleMemberGroup()
        await fixture.advance(9_999)
        #expect(await fixture.coordinator.group("g")?.has(id) == true)
        await fixture.advance(1)
        let group = await fixture.coordinator.group("g")
        #expect(group?.members.isEmpty == true && group?.state == .empty)
        let beat = await fixture.coordinator.heartbeat(HeartbeatRequest(groupId: "g", generationId: 1, memberId: id), context: fixture.context(4))
        #expect(beat.errorCode == ErrorCode.unknownMemberId.rawValue)
        await fixture.shutdown()
    }

    @Test func leaveGroupV3IsBatchedWithPerMemberErrors() async {
        let fixture = await CoordinatorFixture.make()
        let (id, _) = await fixture.stableSingleMemberGroup()
        let response = await fixture.coordinator.leaveGroup(
            LeaveGroupRequest(groupId: "g", members: [.init(memberId: id), .init(memberId: "ghost"), .init(memberId: "", groupInstanceId: "nobody")]),
            context: fixture.context(3))
        #expect(response.errorCode == 0)
        #expect(response.members.map(\.errorCode) == [0, ErrorCode.unknownMemberId.rawValue, ErrorCode.unknownMemberId.rawValue])
        #expect(response.members.map(\.groupInstanceId) == [nil, nil, "nobody"])
        #expect(await fixture.coordinator.group("g")?.state == .empty)
        let old = await fixture.coordinator.leaveGroup(LeaveGroupRequest(groupId: "g", memberId: "ghost"), context: fixture.context(1))
        #expect(old.errorCode == ErrorCode.unknownMemberId.rawValue && old.members.isEmpty)
        await fixture.shutdown()
    }

    @Test func staticMemberLeavesByInstanceID() async {
        let fixture = await CoordinatorFixture.make()
        async let join = fixture.coordinator.joinGroup(fixture.joinRequest(instanceID: "i1"), context: fixture.context(5))
        await fixture.waitForParkedJoins(1)
        await fixture.advance(3000)
        #expect(await join.errorCode == 0)
        let response = await fixture.coordinator.leaveGroup(
            LeaveGroupRequest(groupId: "g", members: [.init(memberId: "", groupInstanceId: "i1")]), context: fixture.context(4))
        #expect(response.members.map(\.errorCode) == [0])
        #expect(await fixture.coordinator.group("g")?.members.isEmpty == true)
        await fixture.shutdown()
    }

    @Test func staticMemberRejoinsAStableGroupAndTheOldIDIsFenced() async {
        let fixture = await CoordinatorFixture.make()
        async let join = fixture.coordinator.joinGroup(fixture.joinRequest(instanceID: "i1"), context: fixture.context(5))
        await fixture.waitForParkedJoins(1)
        await fixture.advance(3000)
        let first = await join
        let synced = await fixture.coordinator.syncGroup(
            SyncGroupRequest(groupId: "g", generationId: 1, memberId: first.memberId, groupInstanceId: "i1",
                assignments: [.init(memberId: first.memberId, assignment: bytes("A"))]), context: fixture.context(3))
        #expect(synced.errorCode == 0)

        // Restart: same instance id, empty member id.
        let rejoin = await fixture.coordinator.joinGroup(fixture.joinRequest(instanceID: "i1"), context: fixture.context(5))
        #expect(rejoin.errorCode == 0 && rejoin.generationId == 1)
        #expect(rejoin.memberId != first.memberId && rejoin.memberId.hasPrefix("i1-"))
        #expect(rejoin.leader == first.memberId)  // the old leader id: no assignment to run
        let again = await fixture.coordinator.syncGroup(
            SyncGroupRequest(groupId: "g", generationId: 1, memberId: rejoin.memberId, groupInstanceId: "i1"), context: fixture.context(3))
        #expect(again.errorCode == 0 && again.assignment == bytes("A"))
        let fenced = await fixture.coordinator.heartbeat(
            HeartbeatRequest(groupId: "g", generationId: 1, memberId: first.memberId, groupInstanceId: "i1"), context: fixture.context(4))
        #expect(fenced.errorCode == ErrorCode.fencedInstanceId.rawValue)
        let conflicting = await fixture.coordinator.joinGroup(
            fixture.joinRequest(memberID: first.memberId, instanceID: "i1"), context: fixture.context(5))
        #expect(conflicting.errorCode == ErrorCode.fencedInstanceId.rawValue)
        await fixture.shutdown()
    }

    @Test func joinGroupErrors() async {
        let fixture = await CoordinatorFixture.make()
        let context = fixture.context(5)
        let badSession = await fixture.coordinator.joinGroup(fixture.joinRequest(sessionTimeoutMs: 5999), context: context)
        #expect(badSession.errorCode == ErrorCode.invalidSessionTimeout.rawValue)
        let tooLong = await fixture.coordinator.joinGroup(fixture.joinRequest(sessionTimeoutMs: 1_800_001), context: context)
        #expect(tooLong.errorCode == ErrorCode.invalidSessionTimeout.rawValue)
        let emptyID = await fixture.coordinator.joinGroup(fixture.joinRequest(group: ""), context: context)
        #expect(emptyID.errorCode == ErrorCode.invalidGroupId.rawValue)
        let unknown = await fixture.coordinator.joinGroup(fixture.joinRequest(group: "nope", memberID: "m"), context: context)
        #expect(unknown.errorCode == ErrorCode.unknownMemberId.rawValue && unknown.memberId == "m")
        _ = await fixture.stableSingleMemberGroup()
        let inconsistent = await fixture.coordinator.joinGroup(fixture.joinRequest(protocols: ["sticky"]), context: fixture.context(3))
        #expect(inconsistent.errorCode == ErrorCode.inconsistentGroupProtocol.rawValue)
        #expect(inconsistent.protocolName == "" && inconsistent.generationId == -1)
        await fixture.shutdown()
    }

    @Test func groupMaxSizeReached() async {
        let fixture = await CoordinatorFixture.make(config: .init(offsetsTopicPartitionCount: 1, groupMaxSize: 1))
        _ = await fixture.stableSingleMemberGroup()
        // A full group rejects a new member before handing out a member id.
        let response = await fixture.coordinator.joinGroup(fixture.joinRequest(), context: fixture.context(5, client: "c2"))
        #expect(response.errorCode == ErrorCode.groupMaxSizeReached.rawValue && response.memberId == "")
        await fixture.shutdown()
    }

    @Test func syncGroupErrors() async {
        let fixture = await CoordinatorFixture.make()
        let (id, generation) = await fixture.stableSingleMemberGroup()
        func sync(_ request: SyncGroupRequest, _ version: Int16 = 5) async -> Int16 {
            await fixture.coordinator.syncGroup(request, context: fixture.context(version)).errorCode
        }
        #expect(await sync(SyncGroupRequest(groupId: "g", generationId: generation, memberId: id)) == ErrorCode.inconsistentGroupProtocol.rawValue)
        #expect(await sync(SyncGroupRequest(groupId: "g", generationId: generation, memberId: id, protocolType: "consumer", protocolName: "other"))
            == ErrorCode.inconsistentGroupProtocol.rawValue)
        #expect(await sync(SyncGroupRequest(groupId: "g", generationId: generation + 1, memberId: id), 3) == ErrorCode.illegalGeneration.rawValue)
        #expect(await sync(SyncGroupRequest(groupId: "g", generationId: generation, memberId: "x"), 3) == ErrorCode.unknownMemberId.rawValue)
        #expect(await sync(SyncGroupRequest(groupId: "nope", generationId: 1, memberId: "x"), 3) == ErrorCode.unknownMemberId.rawValue)
        await fixture.shutdown()
    }

    @Test func heartbeatErrors() async {
        let fixture = await CoordinatorFixture.make()
        let (id, generation) = await fixture.stableSingleMemberGroup()
        func beat(_ group: String, _ generation: Int32, _ member: String) async -> Int16 {
            await fixture.coordinator.heartbeat(
                HeartbeatRequest(groupId: group, generationId: generation, memberId: member), context: fixture.context(4)
            ).errorCode
        }
        #expect(await beat("g", generation - 1, id) == ErrorCode.illegalGeneration.rawValue)
        #expect(await beat("g", generation, "x") == ErrorCode.unknownMemberId.rawValue)
        #expect(await beat("nope", 1, "x") == ErrorCode.unknownMemberId.rawValue)
        #expect(await beat("", 1, "x") == ErrorCode.invalidGroupId.rawValue)
        await fixture.shutdown()
    }

    @Test func notCoordinatorForAPartitionThatIsNotLoaded() async {
        let fixture = await CoordinatorFixture.make(elect: false)
        let join = await fixture.coordinator.joinGroup(fixture.joinRequest(), context: fixture.context(5))
        #expect(join.errorCode == ErrorCode.notCoordinator.rawValue)
        await fixture.shutdown()
        let after = await fixture.coordinator.joinGroup(fixture.joinRequest(), context: fixture.context(5))
        #expect(after.errorCode == ErrorCode.coordinatorNotAvailable.rawValue)
    }

    @Test func resignationAnswersParkedJoinsWithNotCoordinator() async {
        let fixture = await CoordinatorFixture.make()
        let id = await fixture.memberID()
        async let join = fixture.coordinator.joinGroup(fixture.joinRequest(memberID: id), context: fixture.context(5))
        await fixture.waitForParkedJoins(1)
        fixture.coordinator.onResignation(partition: 0, leaderEpoch: LeaderEpoch(2))
        #expect(await join.errorCode == ErrorCode.notCoordinator.rawValue)
        #expect(await fixture.coordinator.group("g") == nil)
        let beat = await fixture.coordinator.heartbeat(HeartbeatRequest(groupId: "g", generationId: 1, memberId: id), context: fixture.context(4))
        #expect(beat.errorCode == ErrorCode.notCoordinator.rawValue)
        await fixture.shutdown()
    }

    @Test func failedAssignmentWriteReachesTheMembersAndTheGroupRebalances() async {
        let fixture = await CoordinatorFixture.make()
        let id = await fixture.memberID()
        async let join = fixture.coordinator.joinGroup(fixture.joinRequest(memberID: id), context: fixture.context(5))
        await fixture.waitForParkedJoins(1)
        await fixture.advance(3000)
        #expect(await join.errorCode == 0)
        await fixture.store.failNextAppends(with: .notEnoughReplicas)
        let synced = await fixture.coordinator.syncGroup(
            SyncGroupRequest(groupId: "g", generationId: 1, memberId: id, assignments: [.init(memberId: id, assignment: bytes("A"))]),
            context: fixture.context(3))
        #expect(synced.errorCode == ErrorCode.coordinatorNotAvailable.rawValue)
        #expect(await fixture.coordinator.group("g")?.state == .preparingRebalance)
        await fixture.shutdown()
    }
}
