import BrokerCore

/// How the controller reaches brokers: Kafka's inter-broker LeaderAndIsr, UpdateMetadata and
/// StopReplica requests, in domain form. The broker implements it with its Kafka wire client.
///
/// Contract:
/// - `controllerEpoch` is the sender's epoch; `brokerEpoch` is the *recipient's* epoch as the
///   controller knows it (the recipient rejects a stale one with STALE_BROKER_EPOCH).
/// - The controller calls each broker's methods one at a time, in order, from one task per broker
///   (Kafka's per-broker `RequestSendThread`), so a slow broker delays only its own requests.
/// - A method returns once the broker answered. Throwing (unreachable broker, error response) is
///   logged by the controller, which moves on: a broker that comes back gets full
///   LeaderAndIsr/UpdateMetadata then. Implementations should time out rather than hang.
///
/// Thread-safety: implementations are `Sendable`; calls for different brokers run concurrently.
public protocol ControllerChannel: Sendable {
    /// LeaderAndIsr: `partitions` the recipient is a replica of; `liveLeaders` describes their
    /// leaders (so followers know where to fetch from).
    func sendLeaderAndIsr(
        to broker: BrokerID, controllerEpoch: ControllerEpoch, brokerEpoch: BrokerEpoch,
        partitions: [ControllerPartitionState], liveLeaders: [BrokerInfo]
    ) async throws

    /// UpdateMetadata: the live brokers (with endpoints) and the states of `partitions` (all
    /// partitions for a broker that just joined; the changed ones otherwise; possibly none).
    func sendUpdateMetadata(
        to broker: BrokerID, controllerEpoch: ControllerEpoch, brokerEpoch: BrokerEpoch,
        partitions: [ControllerPartitionState], liveBrokers: [BrokerInfo]
    ) async throws

    /// StopReplica: stop fetching/leading `partitions`; with `delete` also delete their logs.
    func sendStopReplica(
        to broker: BrokerID, controllerEpoch: ControllerEpoch, brokerEpoch: BrokerEpoch,
        partitions: [TopicPartition], delete: Bool
    ) async throws
}

/// One queued controller → broker request.
enum ControllerRequest: Sendable {
    case leaderAndIsr(partitions: [ControllerPartitionState], liveLeaders: [BrokerInfo])
    case updateMetadata(partitions: [ControllerPartitionState], liveBrokers: [BrokerInfo])
    case stopReplica(partitions: [TopicPartition], delete: Bool)

    func send(
        via channel: any ControllerChannel, to broker: BrokerInfo, controllerEpoch: ControllerEpoch
    ) async throws {
        switch self {
        case .leaderAndIsr(let partitions, let leaders):
            try await channel.sendLeaderAndIsr(
                to: broker.id, controllerEpoch: controllerEpoch, brokerEpoch: broker.epoch, partitions: partitions,
                liveLeaders: leaders)
        case .updateMetadata(let partitions, let brokers):
            try await channel.sendUpdateMetadata(
                to: broker.id, controllerEpoch: controllerEpoch, brokerEpoch: broker.epoch, partitions: partitions,
                liveBrokers: brokers)
        case .stopReplica(let partitions, let delete):
            try await channel.sendStopReplica(
                to: broker.id, controllerEpoch: controllerEpoch, brokerEpoch: broker.epoch, partitions: partitions,
                delete: delete)
        }
    }

    var name: String {
        switch self {
        case .leaderAndIsr: "LeaderAndIsr"
        case .updateMetadata: "UpdateMetadata"
        case .stopReplica: "StopReplica"
        }
    }
}
