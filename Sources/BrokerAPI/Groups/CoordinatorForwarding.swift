import GroupCoordination
import KafkaProtocol

/// The one way the group API handlers answer: hand the decoded request to the
/// ``GroupCoordinatorService`` in a task and send its response when it returns. The coordinator
/// answers every error in the response, so the future never fails.
enum CoordinatorForwarding {
    static func forward<Response: KafkaResponse>(
        _ context: RequestContext,
        _ call: @escaping @Sendable (GroupRequestContext) async -> Response
    ) -> APIOutcome<Response> {
        let groupContext = GroupRequestContext(context)
        return .later(context.eventLoop.makeFutureWithTask { await call(groupContext) })
    }
}
