import BrokerAPI
import BrokerCore
import KafkaProtocol
import Testing

@Suite struct ListGroupsHandlerTests {
    @Test func servesVersions0To4() {
        #expect(ListGroupsHandler.supportedVersions == 0...4)
    }

    @Test(arguments: Array(Int16(0)...4))
    func forwardsToTheCoordinatorAndAnswersWithItsResponse(version: Int16) async throws {
        let coordinator = FakeGroupCoordinator()
        let request = ListGroupsRequest(statesFilter: version >= 4 ? ["Stable"] : [])
        let response = try await exchange(ListGroupsHandler(coordinator: coordinator), request, version: version)
        #expect(response.groups.map(\.groupId) == ["g1"])
        let forwarded = try #require(coordinator.only(ListGroupsRequest.self))
        #expect(forwarded.request.statesFilter == (version >= 4 ? ["Stable"] : []))
        #expect(forwarded.context == expectedGroupContext(version: version))
    }
}
