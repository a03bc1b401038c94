import GroupCoordination
import KafkaProtocol

/// JoinGroup (key 11), versions 2-9: a member joins (or rejoins) a classic group and waits for the rebalance.
///
/// Forwarded as decoded to the ``GroupCoordinatorService``, which applies Kafka 3.9's
/// version-dependent rules and answers every error in the response.
public struct JoinGroupHandler: KafkaAPIHandler {
    public typealias Request = JoinGroupRequest
    public static let supportedVersions: ClosedRange<Int16> = 2...9

    let coordinator: any GroupCoordinatorService

    public init(coordinator: any GroupCoordinatorService) {
        self.coordinator = coordinator
    }

    public func handle(_ request: JoinGroupRequest, context: RequestContext) -> APIOutcome<JoinGroupResponse> {
        let coordinator = self.coordinator
        return CoordinatorForwarding.forward(context) { await coordinator.joinGroup(request, context: $0) }
    }
}
