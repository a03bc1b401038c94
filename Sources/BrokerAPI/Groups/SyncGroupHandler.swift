import GroupCoordination
import KafkaProtocol

/// SyncGroup (key 14), versions 1-5: the leader hands out the assignment; every member receives its own.
///
/// Forwarded as decoded to the ``GroupCoordinatorService``, which applies Kafka 3.9's
/// version-dependent rules and answers every error in the response.
public struct SyncGroupHandler: KafkaAPIHandler {
    public typealias Request = SyncGroupRequest
    public static let supportedVersions: ClosedRange<Int16> = 1...5

    let coordinator: any GroupCoordinatorService

    public init(coordinator: any GroupCoordinatorService) {
        self.coordinator = coordinator
    }

    public func handle(_ request: SyncGroupRequest, context: RequestContext) -> APIOutcome<SyncGroupResponse> {
        let coordinator = self.coordinator
        return CoordinatorForwarding.forward(context) { await coordinator.syncGroup(request, context: $0) }
    }
}
