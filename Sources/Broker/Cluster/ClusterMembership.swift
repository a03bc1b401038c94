import BrokerAPI
import BrokerCore
import Controller
import Coordination
import KafkaClient
import KafkaProtocol
import Logging
import NIOCore
import ZooKeeperCoordination

/// This broker's part in a ZooKeeper-mode cluster, as Kafka's KafkaServer sets it up:
/// the ZooKeeper session, `/cluster/id`, the ephemeral `/brokers/ids/N` registration (kept across
/// session expiry, updating the broker epoch), the controller candidate, and controlled shutdown.
///
/// Lifecycle: ``join(...)`` at start-up, after the listeners are bound; ``leave()`` at shutdown.
/// Thread-safety: an actor.
actor ClusterMembership {
    let store: ZooKeeperCoordinationStore
    let zk: KafkaZooKeeperClient
    let controller: ZooKeeperController
    private let keeper: EphemeralNodeKeeper
    private let brokerID: BrokerID
    private let brokerEpoch: BrokerEpochSource
    private let channel: WireControllerChannel
    private let group: any EventLoopGroup
    private let logger: Logger
    private var tasks: [Task<Void, Never>] = []

    /// Connects to ZooKeeper and reads (or creates) `/cluster/id`.
    static func connect(config: BrokerConfig, proposedClusterID: String, logger: Logger) async throws
        -> (ZooKeeperCoordinationStore, clusterID: String)
    {
        guard let connect = config.zookeeperConnect else { throw BrokerStartupError.zookeeper("zookeeper.connect is not set") }
        let configuration = ZooKeeperConfiguration(
            connectString: try ZooKeeperConnectString(parsing: connect),
            sessionTimeout: .milliseconds(config.zookeeperSessionTimeoutMs),
            connectionTimeout: .milliseconds(config.zookeeperConnectionTimeoutMs))
        let store = try await ZooKeeperCoordinationStore.connect(configuration, logger: logger)
        do {
            let zk = KafkaZooKeeperClient(store: store)
            try await zk.ensurePersistentPaths()
            let clusterID = try await zk.getOrCreateClusterID(proposed: proposedClusterID)
            return (store, clusterID)
        } catch {
            await store.close()
            throw error
        }
    }

    init(
        store: ZooKeeperCoordinationStore, config: BrokerConfig, uncleanLeaderElection: Bool,
        brokerEpoch: BrokerEpochSource, group: any EventLoopGroup, logger: Logger
    ) {
        self.store = store
        self.zk = KafkaZooKeeperClient(store: store)
        self.keeper = EphemeralNodeKeeper(store: store)
        self.brokerID = config.brokerID
        self.brokerEpoch = brokerEpoch
        self.group = group
        self.logger = logger
        let zk = self.zk
        let interBroker = config.interBrokerListenerName
        self.channel = WireControllerChannel(controllerID: config.brokerID, group: group, logger: logger) { id in
            guard let info = try await zk.broker(id) else { return nil }
            let endpoint = info.endpoints.first { $0.listenerName == interBroker } ?? info.endpoints.first
            return endpoint.map { HostPort(host: $0.host, port: Int($0.port)) }
        }
        self.controller = ZooKeeperController(
            configuration: ControllerConfiguration(
                brokerID: config.brokerID, uncleanLeaderElectionEnable: uncleanLeaderElection),
            store: store, channel: channel, logger: logger)
    }

    /// Registers `/brokers/ids/N` with the bound endpoints and starts the controller candidate.
    /// Throws when another live broker holds the same id.
    func join(endpoints: [ListenerEndpoint], rack: String?, timestamp: Int64) async throws {
        let registration = BrokerRegistration(
            brokerID: brokerID,
            endpoints: endpoints.map {
                BrokerEndpoint(listenerName: $0.name, host: $0.host, port: Int32($0.port), securityProtocol: "PLAINTEXT")
            },
            rack: rack, timestamp: timestamp)
        let keeper = self.keeper
        let brokerEpoch = self.brokerEpoch
        let logger = self.logger
        // Observe re-registrations (new broker epoch after a session expiry) before registering.
        let events = keeper.events()
        tasks.append(Task { await keeper.run() })
        tasks.append(
            Task {
                for await event in events {
                    switch event {
                    case .recreated(let node):
                        brokerEpoch.update(node.stat.czxid)
                        logger.info("re-registered in ZooKeeper after a new session", metadata: ["broker.epoch": "\(node.stat.czxid)"])
                    case .recreationFailed(let path, let error):
                        logger.error("could not re-register", metadata: ["path": "\(path)", "error": "\(error)"])
                    }
                }
            })
        let epoch = try await zk.registerBroker(registration, keeper: keeper)
        brokerEpoch.update(epoch.rawValue)
        let controller = self.controller
        tasks.append(Task { await controller.run() })
        logger.info("registered in ZooKeeper", metadata: ["broker.epoch": "\(epoch)"])
    }

    /// Kafka's controlled shutdown: asks the active controller (over the wire, like any broker)
    /// to move this broker's leaderships, retrying up to `maxRetries` times while partitions remain.
    func controlledShutdown(maxRetries: Int = 3) async {
        for attempt in 1...maxRetries {
            do {
                guard let controllerID = try await zk.currentController(),
                    let info = try await zk.broker(controllerID), let endpoint = info.endpoints.first
                else {
                    logger.warning("controlled shutdown: no active controller", metadata: ["attempt": "\(attempt)"])
                    try await Task.sleep(for: .milliseconds(500))
                    continue
                }
                let connection = try await KafkaBrokerConnection.connect(
                    host: endpoint.host, port: Int(endpoint.port), clientID: "martlet-\(brokerID)-shutdown", group: group)
                let response = try await connection.send(
                    ControlledShutdownRequest(brokerId: brokerID.rawValue, brokerEpoch: brokerEpoch.current), version: 3,
                    timeout: .seconds(30))
                await connection.close()
                if response.errorCode == 0 && response.remainingPartitions.isEmpty {
                    logger.info("controlled shutdown complete")
                    return
                }
                logger.warning(
                    "controlled shutdown incomplete",
                    metadata: [
                        "error": "\(response.errorCode)", "remaining": "\(response.remainingPartitions.count)",
                        "attempt": "\(attempt)",
                    ])
            } catch {
                logger.warning("controlled shutdown failed", metadata: ["error": "\(error)", "attempt": "\(attempt)"])
            }
            try? await Task.sleep(for: .milliseconds(500))
        }
        logger.warning("proceeding to shut down without completing controlled shutdown")
    }

    /// Stops the controller, closes the session (deleting `/brokers/ids/N`) and the channel.
    func leave() async {
        controller.shutdown()
        await store.close()
        for task in tasks { task.cancel() }
        await channel.close()
    }
}

/// The controller behind the ControlledShutdown handler.
struct ControllerShutdownService: ControlledShutdownService {
    let controller: ZooKeeperController

    func controlledShutdown(broker: BrokerID, brokerEpoch: Int64) async throws -> [TopicPartition] {
        do {
            return try await controller.controlledShutdown(broker: broker, brokerEpoch: BrokerEpoch(brokerEpoch)).sorted()
        } catch let error as ClusterMetadataError {
            switch error {
            case .notController, .controllerStopped: throw ControlledShutdownError.notController
            case .staleBrokerEpoch: throw ControlledShutdownError.staleBrokerEpoch
            case .brokerNotAvailable: throw ControlledShutdownError.brokerNotAvailable
            default: throw error
            }
        }
    }
}

/// Topic administration through ZooKeeper, answered only while this broker is the controller.
struct ZooKeeperTopicAdmin: TopicAdmin {
    let zk: KafkaZooKeeperClient
    let controller: ZooKeeperController

    func isActiveController() async -> Bool { await controller.status.isActive }

    func liveBrokers() async throws -> [BrokerID] { try await zk.liveBrokerIDs() }

    func createTopic(name: String, assignment: [Int32: [BrokerID]], configs: [String: String]) async throws {
        do {
            try await zk.createTopic(name, assignment: assignment, config: configs)
        } catch let error as ClusterMetadataError {
            throw TopicAdminError(error.errorCode, "\(error)")
        }
    }
}

/// Producer ids from blocks of 1000 reserved in `/latest_producer_id_block` (Kafka's
/// ZkProducerIdManager): one block at a time per broker, a new one when it runs out.
actor ZooKeeperProducerIDs: ProducerIDSource {
    private let zk: KafkaZooKeeperClient
    private let broker: BrokerID
    private var next: Int64 = 0
    private var end: Int64 = -1  // inclusive; next > end means "no block"

    init(zk: KafkaZooKeeperClient, broker: BrokerID) {
        self.zk = zk
        self.broker = broker
    }

    func nextProducerID() async throws -> ProducerID {
        if next > end {
            let block = try await zk.allocateProducerIDBlock(for: broker)
            next = block.firstProducerID.rawValue
            end = block.lastProducerID.rawValue
        }
        defer { next += 1 }
        return ProducerID(next)
    }
}

/// Metadata-triggered topic creation through ZooKeeper: any broker may write the topic znodes
/// (Kafka's ZooKeeper-mode auto-creation), the controller then creates the partitions.
struct ZooKeeperTopicAutoCreator: TopicAutoCreator {
    let zk: KafkaZooKeeperClient
    let partitions: Int32
    let replicationFactor: Int16
    let logger: Logger

    func createTopic(_ name: String) {
        let zk = self.zk
        let partitions = self.partitions
        let replicationFactor = self.replicationFactor
        let logger = self.logger
        Task {
            do {
                let brokers = try await zk.liveBrokerIDs()
                let factor = min(Int(replicationFactor), brokers.count)
                guard factor > 0 else { return }
                let assignment = try ReplicaAssignor.assign(
                    partitionCount: partitions, replicationFactor: Int16(factor), brokers: brokers)
                try await zk.createTopic(name, assignment: assignment)
                logger.info("auto-created topic", metadata: ["topic": "\(name)", "partitions": "\(partitions)"])
            } catch ClusterMetadataError.topicAlreadyExists {
                return
            } catch {
                logger.warning("auto-creating topic failed", metadata: ["topic": "\(name)", "error": "\(error)"])
            }
        }
    }
}
