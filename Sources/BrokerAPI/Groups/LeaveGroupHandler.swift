import GroupCoordination
import KafkaProtocol

/// LeaveGroup (key 13), versions 1-5: members leave a group (one `memberId` before v3, a batch of `members` from v3).
///
/// Forwarded as decoded to the ``GroupCoordinatorService``, which applies Kafka 3.9's
/// version-dependent rules and answers every error in the response.
public struct LeaveGroupHandler: KafkaAPIHandler {
    public typealias Request = LeaveGroupRequest
    public static let supportedVersions: ClosedRange<Int16> = 1...5

    let coordinator: any GroupCoordinatorService

    public init(coordinator: any GroupCoordinatorService) {
        self.coordinator = coordinator
    }

    public func handle(_ request: LeaveGroupRequest, context: RequestContext) -> APIOutcome<LeaveGroupResponse> {
        let coordinator = self.coordinator
        return CoordinatorForwarding.forward(context) { await coordinator.leaveGroup(request, context: $0) }
    }
}
