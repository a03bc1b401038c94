import GroupCoordination
import KafkaProtocol

/// OffsetFetch (key 9), versions 1-8: reads committed offsets (one group before v8, several from v8; null topics = all).
///
/// Forwarded as decoded to the ``GroupCoordinatorService``, which applies Kafka 3.9's
/// version-dependent rules and answers every error in the response.
public struct OffsetFetchHandler: KafkaAPIHandler {
    public typealias Request = OffsetFetchRequest
    public static let supportedVersions: ClosedRange<Int16> = 1...8

    let coordinator: any GroupCoordinatorService

    public init(coordinator: any GroupCoordinatorService) {
        self.coordinator = coordinator
    }

    public func handle(_ request: OffsetFetchRequest, context: RequestContext) -> APIOutcome<OffsetFetchResponse> {
        let coordinator = self.coordinator
        return CoordinatorForwarding.forward(context) { await coordinator.offsetFetch(request, context: $0) }
    }
}
