import BrokerCore
import KafkaProtocol
import NIOCore

/// What the active controller does for a broker that asks to shut down (implemented by the
/// ZooKeeper controller; injected so this layer does not depend on it).
public protocol ControlledShutdownService: Sendable {
    /// Moves leadership off `broker` and returns the partitions it still leads.
    /// Throws ``ControlledShutdownError`` for the Kafka error to answer.
    func controlledShutdown(broker: BrokerID, brokerEpoch: Int64) async throws -> [TopicPartition]
}

public enum ControlledShutdownError: Error, Equatable {
    /// This broker is not the active controller (NOT_CONTROLLER).
    case notController
    /// The broker's epoch is older than its registration (STALE_BROKER_EPOCH).
    case staleBrokerEpoch
    /// The broker is not registered (BROKER_NOT_AVAILABLE).
    case brokerNotAvailable
}

/// ControlledShutdown (key 7), versions 0-3, served by the controller: a broker stopping on
/// SIGTERM asks it to move its leaderships first (Kafka's controlled shutdown). Inter-broker only.
public struct ControlledShutdownHandler: KafkaAPIHandler {
    public typealias Request = ControlledShutdownRequest
    public static let supportedVersions: ClosedRange<Int16> = 0...3
    public static let isAdvertised = false

    let service: any ControlledShutdownService

    public init(service: any ControlledShutdownService) {
        self.service = service
    }

    public func handle(_ request: ControlledShutdownRequest, context: RequestContext)
        -> APIOutcome<ControlledShutdownResponse>
    {
        let service = self.service
        let broker = BrokerID(request.brokerId)
        let epoch = context.apiVersion >= 2 ? request.brokerEpoch : -1
        let future = context.eventLoop.makeFutureWithTask { () -> ControlledShutdownResponse in
            do {
                let remaining = try await service.controlledShutdown(broker: broker, brokerEpoch: epoch)
                return ControlledShutdownResponse(
                    errorCode: ErrorCode.none.rawValue,
                    remainingPartitions: remaining.map { .init(topicName: $0.topic, partitionIndex: $0.partition) })
            } catch let error as ControlledShutdownError {
                let code: ErrorCode =
                    switch error {
                    case .notController: .notController
                    case .staleBrokerEpoch: .staleBrokerEpoch
                    case .brokerNotAvailable: .brokerNotAvailable
                    }
                return ControlledShutdownResponse(errorCode: code.rawValue)
            } catch {
                return ControlledShutdownResponse(errorCode: ErrorCode.unknownServerError.rawValue)
            }
        }
        return .later(future)
    }
}
