import BrokerAPI
import BrokerCore
import BrokerServer
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// The composition root: builds every layer from a ``BrokerConfig`` and runs the broker until
/// graceful shutdown (SIGTERM/SIGINT through the ServiceGroup).
///
/// Start-up order: log directories (lock, meta.properties) → metadata cache → handler registry
/// → one ``KafkaServer`` per listener. Shutdown reverses it.
public final class BrokerService: Service {
    private let config: BrokerConfig
    private let logger: Logger
    private let onStarted: (@Sendable ([ListenerEndpoint]) -> Void)?

    public init(config: BrokerConfig, logger: Logger, onStarted: (@Sendable ([ListenerEndpoint]) -> Void)? = nil) {
        self.config = config
        self.logger = logger
        self.onStarted = onStarted
    }

    public func run() async throws {
        let directories = try LogDirectories(paths: config.logDirs, brokerID: config.brokerID)
        defer { directories.release() }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: config.numNetworkThreads)

        var servers: [KafkaServer] = []
        var advertised = config.advertisedListeners
        let cache = MetadataCache(
            ClusterMetadataImage(clusterID: directories.clusterID, controllerID: config.brokerID, brokers: [:]))
        let registry = HandlerRegistry(handlers: [
            MetadataHandler(cache: cache)
        ])
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
        } catch {
            for server in servers { try? await server.close() }
            try? await group.shutdownGracefully()
            throw BrokerStartupError.bind("\(error)")
        }

        var endpoints: [String: HostPort] = [:]
        for listener in advertised {
            let host = listener.host.isEmpty ? Self.hostName() : listener.host
            endpoints[listener.name] = HostPort(host: host, port: listener.port)
        }
        cache.update {
            $0.brokers[config.brokerID] = BrokerNode(id: config.brokerID, endpoints: endpoints, rack: config.brokerRack)
        }
        logger.info(
            "Martlet broker started",
            metadata: [
                "broker.id": "\(config.brokerID)", "cluster.id": "\(directories.clusterID)",
                "listeners": "\(advertised.map(\.description).joined(separator: ","))",
            ])
        onStarted?(advertised)

        try? await gracefulShutdown()

        logger.info("Martlet broker shutting down")
        for server in servers { try? await server.close() }
        try? await group.shutdownGracefully()
        logger.info("Martlet broker stopped")
    }

    private static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
        return String(cString: buffer)
    }
}

public enum BrokerStartupError: Error, CustomStringConvertible {
    case bind(String)
    public var description: String {
        switch self {
        case .bind(let reason): "cannot bind listener: \(reason)"
        }
    }
}
