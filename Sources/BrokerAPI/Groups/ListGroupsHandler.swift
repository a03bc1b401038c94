import GroupCoordination
import KafkaProtocol

/// ListGroups (key 16), versions 0-4: the groups this broker coordinates (states filter from v4).
///
/// Forwarded as decoded to the ``GroupCoordinatorService``, which applies Kafka 3.9's
/// version-dependent rules and answers every error in the response.
public struct ListGroupsHandler: KafkaAPIHandler {
    public typealias Request = ListGroupsRequest
    public static let supportedVersions: ClosedRange<Int16> = 0...4

    let coordinator: any GroupCoordinatorService

    public init(coordinator: any GroupCoordinatorService) {
        self.coordinator = coordinator
    }

    public func handle(_ request: ListGroupsRequest, context: RequestContext) -> APIOutcome<ListGroupsResponse> {
        let coordinator = self.coordinator
        return CoordinatorForwarding.forward(context) { await coordinator.listGroups(request, context: $0) }
    }
}
