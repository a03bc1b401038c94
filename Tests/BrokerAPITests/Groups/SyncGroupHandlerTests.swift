import BrokerAPI
import BrokerCore
import KafkaProtocol
import NIOCore
import Testing

@Suite struct SyncGroupHandlerTests {
    @Test func servesVersions1To5() {
        #expect(SyncGroupHandler.supportedVersions == 1...5)
    }

    @Test(arguments: Array(Int16(1)...5))
    func forwardsToTheCoordinatorAndAnswersWithItsResponse(version: Int16) async throws {
        let coordinator = FakeGroupCoordinator()
        let request = SyncGroupRequest(
            groupId: "orders", generationId: 4, memberId: "m-1",
            assignments: [.init(memberId: "m-1", assignment: ByteBuffer(bytes: [9]))])
        let response = try await exchange(SyncGroupHandler(coordinator: coordinator), request, version: version)
        #expect(response.errorCode == ErrorCode.rebalanceInProgress.rawValue)
        #expect(response.assignment == ByteBuffer(bytes: [1, 2, 3]))
        let forwarded = try #require(coordinator.only(SyncGroupRequest.self))
        #expect(forwarded.request.generationId == 4)
        #expect(forwarded.request.assignments.map(\.memberId) == ["m-1"])
        #expect(forwarded.context == expectedGroupContext(version: version))
    }
}
