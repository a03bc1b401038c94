import BrokerCore
import KafkaProtocol
import NIOCore

/// Hands out producer ids (Kafka's ProducerIdManager: blocks of 1000 reserved in ZooKeeper's
/// `/latest_producer_id_block`, so ids are unique across the cluster).
public protocol ProducerIDSource: Sendable {
    func nextProducerID() async throws -> ProducerID
}

/// InitProducerId (key 22), versions 0-4, for idempotent producers.
///
/// As Kafka's TransactionCoordinator does for a null transactional id: every request gets a fresh
/// producer id with epoch 0 (also v3+ requests that carry an old id/epoch to bump). Transactions
/// are not supported yet: a request with a transactional id fails at once with
/// TRANSACTIONAL_ID_AUTHORIZATION_FAILED rather than leaving the client waiting for a coordinator.
public struct InitProducerIdHandler: KafkaAPIHandler {
    public typealias Request = InitProducerIdRequest
    public static let supportedVersions: ClosedRange<Int16> = 0...4

    let source: any ProducerIDSource

    public init(source: any ProducerIDSource) {
        self.source = source
    }

    public func handle(_ request: InitProducerIdRequest, context: RequestContext) -> APIOutcome<InitProducerIdResponse> {
        if request.transactionalId != nil {
            return .respond(
                InitProducerIdResponse(
                    errorCode: ErrorCode.transactionalIdAuthorizationFailed.rawValue, producerId: -1, producerEpoch: -1))
        }
        let source = self.source
        return .later(
            context.eventLoop.makeFutureWithTask {
                do {
                    let id = try await source.nextProducerID()
                    return InitProducerIdResponse(errorCode: ErrorCode.none.rawValue, producerId: id.rawValue, producerEpoch: 0)
                } catch {
                    return InitProducerIdResponse(
                        errorCode: ErrorCode.coordinatorNotAvailable.rawValue, producerId: -1, producerEpoch: -1)
                }
            })
    }
}
