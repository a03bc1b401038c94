import BrokerAPI
import BrokerCore
import KafkaProtocol
import Testing

@Suite struct DescribeGroupsHandlerTests {
    @Test func servesVersions0To5() {
        #expect(DescribeGroupsHandler.supportedVersions == 0...5)
    }

    @Test(arguments: Array(Int16(0)...5))
    func forwardsToTheCoordinatorAndAnswersWithItsResponse(version: Int16) async throws {
        let coordinator = FakeGroupCoordinator()
        let request = DescribeGroupsRequest(groups: ["a", "b"])
        let response = try await exchange(DescribeGroupsHandler(coordinator: coordinator), request, version: version)
        #expect(response.groups.map(\.groupId) == ["a", "b"])
        #expect(response.groups.map(\.groupState) == ["Dead", "Dead"])
        let forwarded = try #require(coordinator.only(DescribeGroupsRequest.self))
        #expect(forwarded.request.groups == ["a", "b"])
        #expect(forwarded.context == expectedGroupContext(version: version))
    }
}
