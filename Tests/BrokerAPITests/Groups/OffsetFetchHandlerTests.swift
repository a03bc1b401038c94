import BrokerAPI
import BrokerCore
import KafkaProtocol
import Testing

@Suite struct OffsetFetchHandlerTests {
    @Test func servesVersions1To8() {
        #expect(OffsetFetchHandler.supportedVersions == 1...8)
    }

    @Test(arguments: Array(Int16(1)...7))
    func forwardsOneGroupToTheCoordinator(version: Int16) async throws {
        let coordinator = FakeGroupCoordinator()
        let request = OffsetFetchRequest(groupId: "orders", topics: [.init(name: "t", partitionIndexes: [0, 1])])
        let response = try await exchange(OffsetFetchHandler(coordinator: coordinator), request, version: version)
        if version >= 2 { #expect(response.errorCode == ErrorCode.coordinatorLoadInProgress.rawValue) }
        let forwarded = try #require(coordinator.only(OffsetFetchRequest.self))
        #expect(forwarded.request.groupId == "orders")
        #expect(forwarded.request.topics?.first?.partitionIndexes == [0, 1])
        #expect(forwarded.context == expectedGroupContext(version: version))
    }

    @Test func forwardsSeveralGroupsAtVersion8() async throws {
        let coordinator = FakeGroupCoordinator()
        let request = OffsetFetchRequest(groups: [.init(groupId: "a", topics: nil), .init(groupId: "b", topics: nil)])
        let response = try await exchange(OffsetFetchHandler(coordinator: coordinator), request, version: 8)
        #expect(response.groups.map(\.groupId) == ["a", "b"])
        #expect(response.groups.map(\.errorCode) == [14, 14])
        let forwarded = try #require(coordinator.only(OffsetFetchRequest.self))
        #expect(forwarded.request.groups.map(\.groupId) == ["a", "b"])
        #expect(forwarded.context == expectedGroupContext(version: 8))
    }
}
