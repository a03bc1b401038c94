import BrokerAPI
import BrokerCore
import KafkaProtocol
import Testing

@Suite struct OffsetDeleteHandlerTests {
    @Test func servesVersion0Only() {
        #expect(OffsetDeleteHandler.supportedVersions == 0...0)
    }

    @Test func forwardsToTheCoordinatorAndAnswersWithItsResponse() async throws {
        let coordinator = FakeGroupCoordinator()
        let request = OffsetDeleteRequest(groupId: "orders", topics: [.init(name: "t", partitions: [.init(partitionIndex: 2)])])
        let response = try await exchange(OffsetDeleteHandler(coordinator: coordinator), request, version: 0)
        #expect(response.errorCode == ErrorCode.groupIdNotFound.rawValue)
        let forwarded = try #require(coordinator.only(OffsetDeleteRequest.self))
        #expect(forwarded.request.topics.first?.partitions.map(\.partitionIndex) == [2])
        #expect(forwarded.context == expectedGroupContext(version: 0))
    }
}
