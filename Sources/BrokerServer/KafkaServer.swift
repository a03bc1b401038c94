import BrokerAPI
import KafkaProtocol
import Logging
import NIOCore
import NIOPosix

/// A listening socket that serves the Kafka protocol with a ``HandlerRegistry``.
///
/// Each accepted connection gets a ``KafkaFrameSplitter`` and a ``KafkaConnectionHandler`` on
/// one event loop of the group. Thread-safety: the type is immutable after ``start``; `close`
/// may be called from anywhere.
public final class KafkaServer: Sendable {
    public struct Configuration: Sendable {
        public var host: String
        public var port: Int
        public var listenerName: String
        /// `socket.request.max.bytes`: larger (or negative) frames close the connection.
        public var maxRequestSize: Int32
        public init(host: String, port: Int, listenerName: String, maxRequestSize: Int32 = 104_857_600) {
            self.host = host
            self.port = port
            self.listenerName = listenerName
            self.maxRequestSize = maxRequestSize
        }
    }

    private let channel: any Channel
    /// The bound address (useful with port 0).
    public let localAddress: SocketAddress?

    private init(channel: any Channel) {
        self.channel = channel
        self.localAddress = channel.localAddress
    }

    /// Binds and starts accepting connections.
    public static func start(
        configuration: Configuration, registry: HandlerRegistry, group: any EventLoopGroup, logger: Logger
    ) async throws -> KafkaServer {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        KafkaFrameSplitter(maxFrameSize: configuration.maxRequestSize))
                    try channel.pipeline.syncOperations.addHandler(
                        KafkaConnectionHandler(
                            registry: registry, listenerName: configuration.listenerName, logger: logger))
                }
            }
        let channel = try await bootstrap.bind(host: configuration.host, port: configuration.port).get()
        return KafkaServer(channel: channel)
    }

    /// Stops accepting connections. Open connections end when the event loop group shuts down.
    public func close() async throws {
        try await channel.close()
    }

    /// Completes when the listening socket is closed.
    public var closeFuture: EventLoopFuture<Void> { channel.closeFuture }
}
