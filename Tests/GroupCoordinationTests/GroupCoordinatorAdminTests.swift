import BrokerCore
import KafkaProtocol
import NIOCore
import Testing

@testable import GroupCoordination

/// DescribeGroups, ListGroups and DeleteGroups through the coordinator.
@Suite struct GroupCoordinatorAdminTests {
    @Test func describeStableGroupShowsMembersWithMetadataAndAssignment() async {
        let fixture = await CoordinatorFixture.make()
        let (id, _) = await fixture.stableSingleMemberGroup()
        let response = await fixture.coordinator.describeGroups(
            DescribeGroupsRequest(groups: ["g", "unknown", ""]), context: fixture.context(5))
        let group = response.groups[0]
        #expect(group.errorCode == 0 && group.groupState == "Stable")
        #expect(group.protocolType == "consumer" && group.protocolData == "range")
        #expect(group.members.map(\.memberId) == [id])
        #expect(group.members.first?.clientHost == "/127.0.0.1" && group.members.first?.clientId == "client")
        #expect(group.members.first?.memberMetadata == subscription(["t"]) && group.members.first?.memberAssignment == bytes("A"))
        #expect(group.authorizedOperations == Int32.min)
        #expect(response.groups[1].groupState == "Dead" && response.groups[1].errorCode == 0)
        #expect(response.groups[2].groupState == "Dead")
        let withOperations = await fixture.coordinator.describeGroups(
            DescribeGroupsRequest(groups: ["g"], includeAuthorizedOperations: true), context: fixture.context(5))
        #expect(withOperations.groups[0].authorizedOperations == 328)
        await fixture.shutdown()
    }

    @Test func describeWhenNotCoordinator() async {
        let fixture = await CoordinatorFixture.make(elect: false)
        let response = await fixture.coordinator.describeGroups(DescribeGroupsRequest(groups: ["g"]), context: fixture.context(5))
        #expect(response.groups[0].errorCode == ErrorCode.notCoordinator.rawValue && response.groups[0].groupState == "")
        await fixture.shutdown()
    }

    @Test func listGroupsFiltersByStateFromV4() async {
        let fixture = await CoordinatorFixture.make()
        _ = await fixture.stableSingleMemberGroup(group: "stable")
        _ = await fixture.coordinator.offsetCommit(
            OffsetCommitRequest(groupId: "simple", topics: [.init(name: "t", partitions: [.init(partitionIndex: 0, committedOffset: 1)])]),
            context: fixture.context(8))
        let all = await fixture.coordinator.listGroups(ListGroupsRequest(statesFilter: ["empty"]), context: fixture.context(3))
        #expect(all.groups.map(\.groupId) == ["simple", "stable"])
        #expect(all.groups.map(\.protocolType) == ["", "consumer"])
        let empty = await fixture.coordinator.listGroups(ListGroupsRequest(statesFilter: ["EMPTY"]), context: fixture.context(4))
        #expect(empty.groups.map(\.groupId) == ["simple"] && empty.groups.first?.groupState == "Empty")
        let consumerType = await fixture.coordinator.listGroups(ListGroupsRequest(typesFilter: ["consumer"]), context: fixture.context(5))
        #expect(consumerType.groups.isEmpty)
        await fixture.shutdown()
    }

    @Test func deleteGroupsOnlyDeletesEmptyGroupsWithTombstones() async throws {
        let fixture = await CoordinatorFixture.make()
        _ = await fixture.stableSingleMemberGroup(group: "busy")
        _ = await fixture.coordinator.offsetCommit(
            OffsetCommitRequest(groupId: "idle", topics: [.init(name: "t", partitions: [.init(partitionIndex: 0, committedOffset: 1)])]),
            context: fixture.context(8))
        let response = await fixture.coordinator.deleteGroups(
            DeleteGroupsRequest(groupsNames: ["busy", "idle", "missing", "idle"]), context: fixture.context(2))
        #expect(response.results.map(\.groupId) == ["busy", "idle", "missing"])
        #expect(response.results.map(\.errorCode) == [
            ErrorCode.nonEmptyGroup.rawValue, 0, ErrorCode.groupIdNotFound.rawValue,
        ])
        #expect(await fixture.coordinator.group("idle") == nil)
        let records = try await fixture.store.records(partition: 0)
        let last = try #require(records.last)
        #expect(last.value == nil)
        #expect(last.key.flatMap { try? GroupRecords.decodeKey($0) } == .offset(group: "idle", partition: TopicPartition("t", 0)))
        let fetched = await fixture.coordinator.offsetFetch(OffsetFetchRequest(groupId: "idle", topics: nil), context: fixture.context(7))
        #expect(fetched.topics.isEmpty)
        await fixture.shutdown()
    }
}
