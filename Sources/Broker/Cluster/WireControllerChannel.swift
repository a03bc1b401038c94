import BrokerAPI
import BrokerCore
import Controller
import KafkaClient
import KafkaProtocol
import Logging
import NIOCore
import Synchronization

/// The controller's requests to brokers, sent over Kafka's wire protocol like Kafka's
/// ControllerChannelManager: LeaderAndIsr v4, UpdateMetadata v7, StopReplica v3 (the versions a
/// ZooKeeper-mode Kafka 3.x controller sends without topic ids).
///
/// One cached connection per broker, to its inter-broker listener, looked up through `resolve`
/// (the broker's registration in ZooKeeper). A failed request drops the connection so the next one
/// reconnects. Thread-safety: `Sendable`; the connection cache is the only shared state.
final class WireControllerChannel: ControllerChannel {
    typealias Resolver = @Sendable (BrokerID) async throws -> HostPort?

    private let controllerID: BrokerID
    private let group: any EventLoopGroup
    private let resolve: Resolver
    private let logger: Logger
    private let connections = Mutex<[BrokerID: KafkaBrokerConnection]>([:])
    private let requestTimeout: TimeAmount

    init(
        controllerID: BrokerID, group: any EventLoopGroup, requestTimeout: TimeAmount = .seconds(30),
        logger: Logger, resolve: @escaping Resolver
    ) {
        self.controllerID = controllerID
        self.group = group
        self.resolve = resolve
        self.logger = logger
        self.requestTimeout = requestTimeout
    }

    func sendLeaderAndIsr(
        to broker: BrokerID, controllerEpoch: ControllerEpoch, brokerEpoch: BrokerEpoch,
        partitions: [ControllerPartitionState], liveLeaders: [BrokerInfo]
    ) async throws {
        let request = LeaderAndIsrRequest(
            controllerId: controllerID.rawValue, controllerEpoch: controllerEpoch.rawValue,
            brokerEpoch: brokerEpoch.rawValue,
            topicStates: Self.grouped(partitions).map { topic, states in
                LeaderAndIsrRequest.LeaderAndIsrTopicState(
                    topicName: topic,
                    partitionStates: states.map { state in
                        LeaderAndIsrRequest.LeaderAndIsrPartitionState(
                            partitionIndex: state.topicPartition.partition,
                            controllerEpoch: state.controllerEpoch.rawValue, leader: state.leader.rawValue,
                            leaderEpoch: state.leaderEpoch.rawValue, isr: state.isr.map(\.rawValue),
                            partitionEpoch: state.partitionEpoch, replicas: state.replicas.map(\.rawValue),
                            addingReplicas: state.addingReplicas.map(\.rawValue),
                            removingReplicas: state.removingReplicas.map(\.rawValue), isNew: state.isNew)
                    })
            },
            liveLeaders: liveLeaders.compactMap { leader in
                guard let endpoint = leader.endpoints.first else { return nil }
                return LeaderAndIsrRequest.LeaderAndIsrLiveLeader(
                    brokerId: leader.id.rawValue, hostName: endpoint.host, port: endpoint.port)
            })
        let response = try await send(request, version: 4, to: broker)
        if response.errorCode != 0 {
            logger.warning(
                "LeaderAndIsr rejected", metadata: ["broker": "\(broker)", "error": "\(response.errorCode)"])
        }
    }

    func sendUpdateMetadata(
        to broker: BrokerID, controllerEpoch: ControllerEpoch, brokerEpoch: BrokerEpoch,
        partitions: [ControllerPartitionState], liveBrokers: [BrokerInfo]
    ) async throws {
        let request = UpdateMetadataRequest(
            controllerId: controllerID.rawValue, controllerEpoch: controllerEpoch.rawValue,
            brokerEpoch: brokerEpoch.rawValue,
            topicStates: Self.grouped(partitions).map { topic, states in
                UpdateMetadataRequest.UpdateMetadataTopicState(
                    topicName: topic,
                    partitionStates: states.map { state in
                        UpdateMetadataRequest.UpdateMetadataPartitionState(
                            topicName: topic, partitionIndex: state.topicPartition.partition,
                            controllerEpoch: state.controllerEpoch.rawValue, leader: state.leader.rawValue,
                            leaderEpoch: state.leaderEpoch.rawValue, isr: state.isr.map(\.rawValue),
                            zkVersion: state.partitionEpoch, replicas: state.replicas.map(\.rawValue),
                            offlineReplicas: state.offlineReplicas.map(\.rawValue))
                    })
            },
            liveBrokers: liveBrokers.map { info in
                UpdateMetadataRequest.UpdateMetadataBroker(
                    id: info.id.rawValue,
                    endpoints: info.endpoints.map { endpoint in
                        UpdateMetadataRequest.UpdateMetadataEndpoint(
                            port: endpoint.port, host: endpoint.host, listener: endpoint.listenerName,
                            securityProtocol: 0)
                    },
                    rack: info.rack)
            })
        let response = try await send(request, version: 7, to: broker)
        if response.errorCode != 0 {
            logger.warning(
                "UpdateMetadata rejected", metadata: ["broker": "\(broker)", "error": "\(response.errorCode)"])
        }
    }

    func sendStopReplica(
        to broker: BrokerID, controllerEpoch: ControllerEpoch, brokerEpoch: BrokerEpoch,
        partitions: [TopicPartition], delete: Bool
    ) async throws {
        let byTopic = Dictionary(grouping: partitions, by: \.topic)
        let request = StopReplicaRequest(
            controllerId: controllerID.rawValue, controllerEpoch: controllerEpoch.rawValue,
            brokerEpoch: brokerEpoch.rawValue,
            topicStates: byTopic.keys.sorted().map { topic in
                StopReplicaRequest.StopReplicaTopicState(
                    topicName: topic,
                    partitionStates: byTopic[topic, default: []].map { tp in
                        // Kafka sends EpochDuringDelete (-2) when the partition is deleted.
                        StopReplicaRequest.StopReplicaPartitionState(
                            partitionIndex: tp.partition, leaderEpoch: delete ? -2 : -1, deletePartition: delete)
                    })
            })
        let response = try await send(request, version: 3, to: broker)
        if response.errorCode != 0 {
            logger.warning("StopReplica rejected", metadata: ["broker": "\(broker)", "error": "\(response.errorCode)"])
        }
    }

    /// Closes every cached connection.
    func close() async {
        let all = connections.withLock { current in
            defer { current.removeAll() }
            return Array(current.values)
        }
        for connection in all { await connection.close() }
    }

    private static func grouped(_ partitions: [ControllerPartitionState]) -> [(String, [ControllerPartitionState])] {
        let byTopic = Dictionary(grouping: partitions, by: \.topicPartition.topic)
        return byTopic.keys.sorted().map { ($0, byTopic[$0]!.sorted { $0.topicPartition < $1.topicPartition }) }
    }

    private func send<Request: KafkaRequest>(_ request: Request, version: Int16, to broker: BrokerID) async throws
        -> Request.Response
    {
        let connection = try await connection(to: broker)
        do {
            return try await connection.send(request, version: version, timeout: requestTimeout)
        } catch {
            connections.withLock { if $0[broker] === connection { $0[broker] = nil } }
            await connection.close()
            throw error
        }
    }

    private func connection(to broker: BrokerID) async throws -> KafkaBrokerConnection {
        if let existing = connections.withLock({ $0[broker] }), existing.isActive { return existing }
        guard let address = try await resolve(broker) else { throw ControllerChannelError.unknownBroker(broker) }
        let fresh = try await KafkaBrokerConnection.connect(
            host: address.host, port: address.port, clientID: "martlet-controller-\(controllerID)", group: group)
        let (kept, extra) = connections.withLock { current -> (KafkaBrokerConnection, KafkaBrokerConnection?) in
            if let other = current[broker], other.isActive { return (other, fresh) }
            current[broker] = fresh
            return (fresh, nil)
        }
        if let extra { await extra.close() }
        return kept
    }
}

enum ControllerChannelError: Error, CustomStringConvertible {
    case unknownBroker(BrokerID)
    var description: String {
        switch self {
        case .unknownBroker(let id): "broker \(id) is not registered"
        }
    }
}
