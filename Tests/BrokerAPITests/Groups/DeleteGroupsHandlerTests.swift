import BrokerAPI
import BrokerCore
import KafkaProtocol
import Testing

@Suite struct DeleteGroupsHandlerTests {
    @Test func servesVersions0To2() {
        #expect(DeleteGroupsHandler.supportedVersions == 0...2)
    }

    @Test(arguments: Array(Int16(0)...2))
    func forwardsToTheCoordinatorAndAnswersWithItsResponse(version: Int16) async throws {
        let coordinator = FakeGroupCoordinator()
        let response = try await exchange(
            DeleteGroupsHandler(coordinator: coordinator), DeleteGroupsRequest(groupsNames: ["a"]), version: version)
        #expect(response.results.map(\.groupId) == ["a"])
        #expect(response.results.map(\.errorCode) == [ErrorCode.nonEmptyGroup.rawValue])
        let forwarded = try #require(coordinator.only(DeleteGroupsRequest.self))
        #expect(forwarded.request.groupsNames == ["a"])
        #expect(forwarded.context == expectedGroupContext(version: version))
    }
}
