import GroupCoordination
import KafkaProtocol

/// Heartbeat (key 12), versions 1-4: a member keeps its session alive and learns of rebalances.
///
/// Forwarded as decoded to the ``GroupCoordinatorService``, which applies Kafka 3.9's
/// version-dependent rules and answers every error in the response.
public struct HeartbeatHandler: KafkaAPIHandler {
    public typealias Request = HeartbeatRequest
    public static let supportedVersions: ClosedRange<Int16> = 1...4

    let coordinator: any GroupCoordinatorService

    public init(coordinator: any GroupCoordinatorService) {
        self.coordinator = coordinator
    }

    public func handle(_ request: HeartbeatRequest, context: RequestContext) -> APIOutcome<HeartbeatResponse> {
        let coordinator = self.coordinator
        return CoordinatorForwarding.forward(context) { await coordinator.heartbeat(request, context: $0) }
    }
}
