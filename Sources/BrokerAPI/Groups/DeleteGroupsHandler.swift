import GroupCoordination
import KafkaProtocol

/// DeleteGroups (key 42), versions 0-2: deletes empty groups and their offsets.
///
/// Forwarded as decoded to the ``GroupCoordinatorService``, which applies Kafka 3.9's
/// version-dependent rules and answers every error in the response.
public struct DeleteGroupsHandler: KafkaAPIHandler {
    public typealias Request = DeleteGroupsRequest
    public static let supportedVersions: ClosedRange<Int16> = 0...2

    let coordinator: any GroupCoordinatorService

    public init(coordinator: any GroupCoordinatorService) {
        self.coordinator = coordinator
    }

    public func handle(_ request: DeleteGroupsRequest, context: RequestContext) -> APIOutcome<DeleteGroupsResponse> {
        let coordinator = self.coordinator
        return CoordinatorForwarding.forward(context) { await coordinator.deleteGroups(request, context: $0) }
    }
}
