import GroupCoordination
import KafkaProtocol

/// DescribeGroups (key 15), versions 0-5: state, protocol and members of groups.
///
/// Forwarded as decoded to the ``GroupCoordinatorService``, which applies Kafka 3.9's
/// version-dependent rules and answers every error in the response.
public struct DescribeGroupsHandler: KafkaAPIHandler {
    public typealias Request = DescribeGroupsRequest
    public static let supportedVersions: ClosedRange<Int16> = 0...5

    let coordinator: any GroupCoordinatorService

    public init(coordinator: any GroupCoordinatorService) {
        self.coordinator = coordinator
    }

    public func handle(_ request: DescribeGroupsRequest, context: RequestContext) -> APIOutcome<DescribeGroupsResponse> {
        let coordinator = self.coordinator
        return CoordinatorForwarding.forward(context) { await coordinator.describeGroups(request, context: $0) }
    }
}
