import BrokerAPI
import BrokerCore
import KafkaProtocol
import Testing

@Suite struct HeartbeatHandlerTests {
    @Test func servesVersions1To4() {
        #expect(HeartbeatHandler.supportedVersions == 1...4)
    }

    @Test(arguments: Array(Int16(1)...4))
    func forwardsToTheCoordinatorAndAnswersWithItsResponse(version: Int16) async throws {
        let coordinator = FakeGroupCoordinator()
        let request = HeartbeatRequest(groupId: "orders", generationId: 3, memberId: "m-1")
        let response = try await exchange(HeartbeatHandler(coordinator: coordinator), request, version: version)
        #expect(response.errorCode == ErrorCode.illegalGeneration.rawValue)
        let forwarded = try #require(coordinator.only(HeartbeatRequest.self))
        #expect(forwarded.request.memberId == "m-1")
        #expect(forwarded.request.generationId == 3)
        #expect(forwarded.context == expectedGroupContext(version: version))
    }
}
