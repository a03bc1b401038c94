import GroupCoordination
import KafkaProtocol

/// OffsetCommit (key 8), versions 2-8: commits offsets of a group (generation-checked, or simple
/// commits for `assign()` users).
///
/// Forwarded as decoded to the ``GroupCoordinatorService``, which applies Kafka 3.9's
/// version-dependent rules and answers every error in the response.
public struct OffsetCommitHandler: KafkaAPIHandler {
    public typealias Request = OffsetCommitRequest
    public static let supportedVersions: ClosedRange<Int16> = 2...8

    let coordinator: any GroupCoordinatorService

    public init(coordinator: any GroupCoordinatorService) {
        self.coordinator = coordinator
    }

    public func handle(_ request: OffsetCommitRequest, context: RequestContext) -> APIOutcome<OffsetCommitResponse> {
        let coordinator = self.coordinator
        return CoordinatorForwarding.forward(context) { await coordinator.offsetCommit(request, context: $0) }
    }
}
