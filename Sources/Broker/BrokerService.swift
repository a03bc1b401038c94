import BrokerAPI
import BrokerCore
import BrokerServer
import Controller
import Coordination
import Logging
import LogStorage
import NIOCore
import NIOPosix
import ReplicaFetcher
import Replication
import ServiceLifecycle
import SystemPackage
import ZooKeeperCoordination

/// The composition root: builds every layer from a ``BrokerConfig`` and runs the broker until
/// graceful shutdown (SIGTERM/SIGINT through the ServiceGroup).
///
/// Start-up, in Kafka's order: lock the log dirs → (ZooKeeper mode) connect, read `/cluster/id`
/// → write `meta.properties` → load and recover the logs → replica manager → handlers → bind the
/// listeners → register `/brokers/ids/N` and start the controller candidate.
/// Shutdown: stop replica fetchers → controlled shutdown through the controller → close listeners → leave ZooKeeper →
/// stop the group coordinator → stop partitions → close logs cleanly (clean-shutdown marker) →
/// release the dirs.
///
/// Without `zookeeper.connect` the broker runs alone: it answers ApiVersions and Metadata about
/// itself but leads no partitions.
public final class BrokerService: Service {
    private let config: BrokerConfig
    private let logger: Logger

    public init(config: BrokerConfig, logger: Logger) {
        self.config = config
        self.logger = logger
    }

    public func run() async throws {
        let settings = try BrokerLogSettings(config)
        let fetcherConfig = try ReplicaFetcherSettings.config(config)
        let groupSettings = try GroupCoordinatorSettings(config)
        let directories = try LogDirectories(paths: config.logDirs, brokerID: config.brokerID)
        defer { directories.release() }

        let proposedClusterID = directories.storedClusterID ?? LogDirectories.newClusterID()
        var zookeeper: (store: ZooKeeperCoordinationStore, clusterID: String)?
        if config.zookeeperConnect != nil {
            do {
                let (store, clusterID) = try await ClusterMembership.connect(
                    config: config, proposedClusterID: proposedClusterID, logger: logger)
                zookeeper = (store, clusterID)
            } catch {
                throw BrokerStartupError.zookeeper("\(error)")
            }
        }
        let clusterID = zookeeper?.clusterID ?? proposedClusterID
        do {
            try directories.commit(clusterID: clusterID)
        } catch {
            await zookeeper?.store.close()
            throw error
        }

        let group = MultiThreadedEventLoopGroup(numberOfThreads: config.numNetworkThreads)
        let logManager: LogManager
        do {
            // Rolled segments are fsynced on a background queue, not in the append on an event loop.
            logManager = try LogManager(
                dirs: config.logDirs.map { FilePath($0) }, config: settings.logConfig, logger: logger,
                segmentSyncer: BackgroundSegmentSyncer())
        } catch {
            await zookeeper?.store.close()
            try? await group.shutdownGracefully()
            throw BrokerStartupError.storage("\(error)")
        }
        let isrChanges = IsrChangeWiring(store: zookeeper?.store, logger: logger)
        let replicaManager = ReplicaManager(
            config: ReplicaManagerConfig(localBrokerID: config.brokerID, replicaLagTimeMaxMs: settings.replicaLagTimeMaxMs),
            logManager: logManager, group: group, isrUpdateWriter: isrChanges.writer, logger: logger)
        replicaManager.start()
        let maintenance = LogMaintenance(logManager: logManager, group: group, logger: logger)

        let cache = MetadataCache(
            ClusterMetadataImage(
                clusterID: clusterID, controllerID: zookeeper == nil ? config.brokerID : .none, brokers: [:]))
        let fetchers = ReplicaFetcherManager(
            config: fetcherConfig, replicaManager: replicaManager, group: group,
            resolveEndpoint: ReplicaFetcherSettings.endpointResolver(cache: cache, listenerName: config.interBrokerListenerName),
            logger: logger)
        let brokerEpoch = BrokerEpochSource()
        let fence = ControllerRequestFence(brokerEpoch: brokerEpoch, controllerEpochs: ControllerEpochTracker())
        let topicConfigs = TopicConfigCache(
            zk: zookeeper.map { KafkaZooKeeperClient(store: $0.store) }, defaults: settings, logger: logger)
        let topicSettings: @Sendable (String) -> TopicSettings = { topicConfigs.cached($0) }
        let membership = zookeeper.map {
            ClusterMembership(
                store: $0.store, config: config, uncleanLeaderElection: settings.uncleanLeaderElectionEnable,
                brokerEpoch: brokerEpoch, group: group, logger: logger)
        }
        let autoCreator: (any TopicAutoCreator)? =
            config.autoCreateTopicsEnable
            ? membership.map {
                ZooKeeperTopicAutoCreator(
                    zk: $0.zk, partitions: config.numPartitions, replicationFactor: config.defaultReplicationFactor,
                    logger: logger)
            } : nil
        let groups = GroupCoordinatorWiring(
            settings: groupSettings, replicaManager: replicaManager, cache: cache, topicSettings: topicSettings,
            topicAdmin: membership.map { ZooKeeperTopicAdmin(zk: $0.zk, controller: $0.controller) }, logger: logger)
        var handlers: [any KafkaAPIHandler] = [
            MetadataHandler(
                cache: cache, autoCreator: autoCreator,
                offsetsTopic: config.autoCreateTopicsEnable ? groups.offsetsTopic : nil),
            UpdateMetadataHandler(cache: cache, fence: fence),
            LeaderAndIsrHandler(
                replicaManager: replicaManager, fence: fence,
                topicSettings: { topics, loop in loop.makeFutureWithTask { await topicConfigs.load(topics) } },
                listeners: [groups.leadershipListener]),
            DescribeClusterHandler(cache: cache),
            StopReplicaHandler(replicaManager: replicaManager, fence: fence, listeners: [groups.leadershipListener]),
        ]
        handlers += groups.handlers
        handlers += DataPathHandlers.make(
            replicaManager: replicaManager, metadataCache: cache, topicSettings: topicSettings)
        handlers.append(DeleteRecordsHandler(replicaManager: replicaManager, metadataCache: cache))
        if let membership {
            let topicAdmin = ZooKeeperTopicAdmin(zk: membership.zk, controller: membership.controller)
            handlers.append(ControlledShutdownHandler(service: ControllerShutdownService(controller: membership.controller)))
            handlers.append(InitProducerIdHandler(source: ZooKeeperProducerIDs(zk: membership.zk, broker: config.brokerID)))
            let configStore = ZooKeeperTopicConfigStore(zk: membership.zk)
            handlers.append(
                DeleteTopicsHandler(
                    admin: topicAdmin, cache: cache,
                    deleteTopicEnable: (config.rawProperties["delete.topic.enable"] ?? "true").lowercased() != "false"))
            handlers.append(
                DescribeConfigsHandler(
                    store: configStore, cache: cache, brokerID: config.brokerID, brokerProperties: config.rawProperties))
            handlers.append(AlterConfigsHandler(store: configStore))
            handlers.append(IncrementalAlterConfigsHandler(store: configStore))
            handlers.append(
                CreatePartitionsHandler(
                    admin: topicAdmin, cache: cache,
                    assign: { count, factor, brokers, startPartition, startIndex in
                        try ReplicaAssignor.assign(
                            partitionCount: count, replicationFactor: factor, brokers: brokers,
                            startPartition: startPartition, fixedStartIndex: startIndex)
                    }))
            handlers.append(
                CreateTopicsHandler(
                    admin: topicAdmin, cache: cache,
                    defaultPartitions: config.numPartitions, defaultReplicationFactor: config.defaultReplicationFactor,
                    assign: { partitions, factor, brokers in
                        try ReplicaAssignor.assign(partitionCount: partitions, replicationFactor: factor, brokers: brokers)
                    }))
        }
        let registry = HandlerRegistry(handlers: handlers)

        var servers: [KafkaServer] = []
        var advertised = config.advertisedListeners
        do {
            for listener in config.listeners {
                let host = listener.host.isEmpty ? "0.0.0.0" : listener.host
                let server = try await KafkaServer.start(
                    configuration: .init(
                        host: host, port: listener.port, listenerName: listener.name,
                        maxRequestSize: config.socketRequestMaxBytes),
                    registry: registry, group: group, logger: logger)
                servers.append(server)
                // Port 0 binds an ephemeral port: advertise the port actually bound.
                for i in advertised.indices where advertised[i].name == listener.name && advertised[i].port == 0 {
                    advertised[i].port = server.localAddress?.port ?? 0
                }
            }
            for i in advertised.indices where advertised[i].host.isEmpty { advertised[i].host = Self.hostName() }
            var endpoints: [String: HostPort] = [:]
            for listener in advertised { endpoints[listener.name] = HostPort(host: listener.host, port: listener.port) }
            cache.update {
                $0.brokers[config.brokerID] = BrokerNode(id: config.brokerID, endpoints: endpoints, rack: config.brokerRack)
            }
            try await membership?.join(
                endpoints: advertised, rack: config.brokerRack, timestamp: SystemTimeSource().nowMilliseconds)
        } catch {
            for server in servers { try? await server.close() }
            await membership?.leave()
            await groups.shutdown()
            _ = try? await fetchers.shutdown().get()
            _ = try? await replicaManager.shutdown().get()
            try? logManager.shutdown()
            try? await group.shutdownGracefully()
            throw BrokerStartupError.bind("\(error)")
        }
        // "Started" means serving *with* cluster metadata: wait (bounded) for the controller's first
        // UpdateMetadata. Before it, Metadata answers controller -1, and librdkafka's AdminClient,
        // seeing that, can wait out its whole request timeout for a controller.
        if zookeeper != nil {
            let known = try? await cache.wait(
                until: { $0.controllerID != .none }, timeout: .milliseconds(Int64(config.zookeeperSessionTimeoutMs)),
                on: group.next()
            ).get()
            if known != true {
                logger.warning("no UpdateMetadata from a controller yet; serving without cluster metadata")
            }
        }
        maintenance.start()
        let isrPropagation = isrChanges.start()
        let configWatcher = Task { await topicConfigs.watchChanges(logManager: logManager, replicaManager: replicaManager) }

        logger.info(
            "Martlet broker started",
            metadata: [
                "broker.id": "\(config.brokerID)", "cluster.id": "\(clusterID)",
                "listeners": "\(advertised.map(\.description).joined(separator: ","))",
                "zookeeper": "\(config.zookeeperConnect ?? "none")",
            ])

        try? await gracefulShutdown()

        logger.info("Martlet broker shutting down")
        configWatcher.cancel()
        // Stop replicating before the controller moves leadership away: a stopping broker must
        // not follow its former partitions and be added back to their ISRs (Kafka's controller
        // refuses shutting-down brokers in ISR updates; here the leaders write the ISR, so the
        // stopping broker simply stops fetching).
        _ = try? await fetchers.shutdown().get()
        await membership?.controlledShutdown()
        for server in servers { try? await server.close() }
        await membership?.leave()
        maintenance.stop()
        await groups.shutdown()
        isrPropagation.cancel()
        _ = try? await replicaManager.shutdown().get()
        do {
            try logManager.shutdown()
        } catch {
            logger.error("closing logs failed", metadata: ["error": "\(error)"])
        }
        try? await group.shutdownGracefully()
        logger.info("Martlet broker stopped")
    }

    private static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

public enum BrokerStartupError: Error, CustomStringConvertible {
    case bind(String)
    case zookeeper(String)
    case storage(String)
    public var description: String {
        switch self {
        case .bind(let reason): "cannot start listeners: \(reason)"
        case .zookeeper(let reason): "cannot join the cluster through ZooKeeper: \(reason)"
        case .storage(let reason): "cannot load the logs: \(reason)"
        }
    }
}
