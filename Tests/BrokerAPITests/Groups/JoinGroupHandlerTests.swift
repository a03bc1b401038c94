import BrokerAPI
import BrokerCore
import KafkaProtocol
import NIOCore
import Testing

@Suite struct JoinGroupHandlerTests {
    @Test func servesVersions2To9() {
        #expect(JoinGroupHandler.supportedVersions == 2...9)
    }

    @Test(arguments: Array(Int16(2)...9))
    func forwardsToTheCoordinatorAndAnswersWithItsResponse(version: Int16) async throws {
        let coordinator = FakeGroupCoordinator()
        let request = JoinGroupRequest(
            groupId: "orders", sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 30_000, memberId: "",
            protocolType: "consumer", protocols: [.init(name: "range", metadata: ByteBuffer(bytes: [0, 3]))])
        let response = try await exchange(JoinGroupHandler(coordinator: coordinator), request, version: version)
        #expect(response.errorCode == ErrorCode.memberIdRequired.rawValue)
        #expect(response.memberId == "member-1")
        let forwarded = try #require(coordinator.only(JoinGroupRequest.self))
        #expect(forwarded.request.groupId == "orders")
        #expect(forwarded.request.rebalanceTimeoutMs == 30_000)
        #expect(forwarded.request.protocols.map(\.name) == ["range"])
        #expect(forwarded.context == expectedGroupContext(version: version))
    }

    @Test func nullClientIDReachesTheCoordinatorAsEmpty() async throws {
        let coordinator = FakeGroupCoordinator()
        let request = JoinGroupRequest(groupId: "g", sessionTimeoutMs: 10_000, memberId: "", protocolType: "consumer")
        _ = try await exchange(JoinGroupHandler(coordinator: coordinator), request, version: 9, clientID: nil)
        #expect(coordinator.only(JoinGroupRequest.self)?.context == expectedGroupContext(version: 9, clientID: ""))
    }
}
