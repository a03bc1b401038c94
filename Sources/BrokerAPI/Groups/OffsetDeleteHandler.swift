import GroupCoordination
import KafkaProtocol

/// OffsetDelete (key 47), version 0: deletes committed offsets of partitions a group is not subscribed to.
///
/// Forwarded as decoded to the ``GroupCoordinatorService``, which applies Kafka 3.9's
/// version-dependent rules and answers every error in the response.
public struct OffsetDeleteHandler: KafkaAPIHandler {
    public typealias Request = OffsetDeleteRequest
    public static let supportedVersions: ClosedRange<Int16> = 0...0

    let coordinator: any GroupCoordinatorService

    public init(coordinator: any GroupCoordinatorService) {
        self.coordinator = coordinator
    }

    public func handle(_ request: OffsetDeleteRequest, context: RequestContext) -> APIOutcome<OffsetDeleteResponse> {
        let coordinator = self.coordinator
        return CoordinatorForwarding.forward(context) { await coordinator.offsetDelete(request, context: $0) }
    }
}
