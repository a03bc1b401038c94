import BrokerAPI
import BrokerCore
import KafkaProtocol
import Testing

@Suite struct LeaveGroupHandlerTests {
    @Test func servesVersions1To5() {
        #expect(LeaveGroupHandler.supportedVersions == 1...5)
    }

    @Test(arguments: Array(Int16(1)...5))
    func forwardsSingleAndBatchedLeavesToTheCoordinator(version: Int16) async throws {
        let coordinator = FakeGroupCoordinator()
        let request =
            version < 3
            ? LeaveGroupRequest(groupId: "orders", memberId: "m-1")
            : LeaveGroupRequest(groupId: "orders", members: [.init(memberId: "m-1"), .init(memberId: "m-2")])
        let response = try await exchange(LeaveGroupHandler(coordinator: coordinator), request, version: version)
        #expect(response.errorCode == ErrorCode.unknownMemberId.rawValue)
        let forwarded = try #require(coordinator.only(LeaveGroupRequest.self))
        if version < 3 {
            #expect(forwarded.request.memberId == "m-1")
        } else {
            #expect(forwarded.request.members.map(\.memberId) == ["m-1", "m-2"])
        }
        #expect(forwarded.context == expectedGroupContext(version: version))
    }
}
