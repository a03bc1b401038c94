import BrokerAPI
import BrokerCore
import KafkaProtocol
import Testing

@Suite struct OffsetCommitHandlerTests {
    @Test func servesVersions2To8() {
        #expect(OffsetCommitHandler.supportedVersions == 2...8)
    }

    @Test(arguments: Array(Int16(2)...8))
    func forwardsToTheCoordinatorAndAnswersWithItsResponse(version: Int16) async throws {
        let coordinator = FakeGroupCoordinator()
        let request = OffsetCommitRequest(
            groupId: "orders", generationIdOrMemberEpoch: 5, memberId: "m-1",
            topics: [
                .init(
                    name: "t",
                    partitions: [.init(partitionIndex: 1, committedOffset: 42, committedMetadata: "checkpoint")])
            ])
        let response = try await exchange(OffsetCommitHandler(coordinator: coordinator), request, version: version)
        #expect(response.topics.map(\.name) == ["t"])
        #expect(response.topics.first?.partitions.map(\.errorCode) == [ErrorCode.unknownTopicOrPartition.rawValue])
        let forwarded = try #require(coordinator.only(OffsetCommitRequest.self))
        #expect(forwarded.request.generationIdOrMemberEpoch == 5)
        #expect(forwarded.request.topics.first?.partitions.first?.committedOffset == 42)
        #expect(forwarded.request.topics.first?.partitions.first?.committedMetadata == "checkpoint")
        #expect(forwarded.context == expectedGroupContext(version: version))
    }
}
