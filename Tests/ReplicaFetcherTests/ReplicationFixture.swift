import BrokerAPI
import BrokerCore
import BrokerServer
import BrokerTestSupport
import KafkaRecords
import Logging
import LogStorage
import NIOCore
import NIOPosix
import ReplicaFetcher
import Replication
import Synchronization

/// A leader broker (ReplicaManager behind a real KafkaServer on 127.0.0.1, port 0, answering
/// Fetch and ListOffsets) and a follower broker (ReplicaManager + ReplicaFetcherManager) in one
/// process, over in-memory logs. Broker 1 leads, broker 2 follows.
final class TwoBrokers: @unchecked Sendable {
    static let leaderID = BrokerID(1)
    static let followerID = BrokerID(2)
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
    let leader: ReplicaManager
    let follower: ReplicaManager
    let leaderLogs: LogManager
    let followerLogs: LogManager
    let fetchers: ReplicaFetcherManager
    private(set) var server: KafkaServer?
    /// The server's own loops: shutting them down drops its open connections.
    private var serverGroup: MultiThreadedEventLoopGroup?
    private let port = PortBox()
    let logger = Logger(label: "test")

    init(backoffMs: Int64 = 20) throws {
        let clock = SystemTimeSource()
        leaderLogs = try InMemoryLogManager.make(fileSystem: FaultInjectingFileSystem(), clock: clock)
        followerLogs = try InMemoryLogManager.make(fileSystem: FaultInjectingFileSystem(), clock: clock)
        leader = ReplicaManager(
            config: ReplicaManagerConfig(localBrokerID: Self.leaderID), logManager: leaderLogs, group: group, logger: logger)
        follower = ReplicaManager(
            config: ReplicaManagerConfig(localBrokerID: Self.followerID), logManager: followerLogs, group: group,
            logger: logger)
        let port = self.port
        fetchers = ReplicaFetcherManager(
            config: ReplicaFetcherConfig(localBrokerID: Self.followerID, fetchWaitMaxMs: 100, fetchBackoffMs: backoffMs),
            replicaManager: follower, group: group,
            resolveEndpoint: { id in
                guard id == TwoBrokers.leaderID, let port = port.value.withLock({ $0 }) else { return nil }
                return BrokerEndpoint(host: "127.0.0.1", port: port)
            }, logger: logger)
    }

    /// Starts (or restarts) the leader's server on a new port.
    func startServer() async throws {
        let registry = HandlerRegistry(handlers: [
            FetchHandler(replicaManager: leader), ListOffsetsHandler(replicaManager: leader),
        ])
        let serverGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let server = try await KafkaServer.start(
            configuration: .init(host: "127.0.0.1", port: 0, listenerName: "PLAINTEXT"), registry: registry,
            group: serverGroup, logger: logger)
        self.server = server
        self.serverGroup = serverGroup
        port.value.withLock { $0 = server.localAddress?.port }
    }

    func stopServer() async throws {
        port.value.withLock { $0 = nil }
        try await server?.close()
        try await serverGroup?.shutdownGracefully()
        server = nil
        serverGroup = nil
    }

    func shutdown() async throws {
        try await fetchers.shutdown().get()
        try await stopServer()
        try await leader.shutdown().get()
        try await follower.shutdown().get()
        try await group.shutdownGracefully()
    }

    func state(
        _ partition: TopicPartition, leader: BrokerID = TwoBrokers.leaderID, epoch: Int32, isr: [BrokerID]? = nil,
        minIsr: Int = 1
    ) -> LeaderAndIsrState {
        LeaderAndIsrState(
            topicPartition: partition, leader: leader, leaderEpoch: LeaderEpoch(epoch),
            isr: isr ?? [Self.leaderID, Self.followerID], partitionEpoch: 0, replicas: [Self.leaderID, Self.followerID],
            minInSyncReplicas: minIsr)
    }

    /// Produces `count` single-record batches to the leader with `acks`.
    func produce(_ partition: TopicPartition, count: Int, acks: Int16, tag: Int = 0, minIsr: Int = 1) async throws
        -> [ProducePartitionResult]
    {
        var results: [ProducePartitionResult] = []
        for index in 0..<count {
            var builder = RecordBatchBuilder()
            builder.append(key: Array("k\(index)".utf8), value: Array("v\(tag)-\(index)".utf8), timestamp: 1_700_000_000_000)
            results += try await leader.appendRecords(
                [ProducePartitionData(topicPartition: partition, records: builder.build(), minInSyncReplicas: minIsr)],
                acks: acks, timeoutMs: 30_000
            ).get()
        }
        return results
    }

    /// All bytes of a log from its start.
    static func bytes(_ logs: LogManager, _ partition: TopicPartition) throws -> [UInt8] {
        guard let log = logs.log(for: partition) else { return [] }
        var all: [UInt8] = []
        var offset = log.logStartOffset
        while offset < log.logEndOffset {
            let read = try log.read(from: offset, maxBytes: 1 << 20)
            var buffer = try read.readBytes()
            all += buffer.readBytes(length: buffer.readableBytes) ?? []
            guard let next = read.nextFetchOffset, next > offset else { break }
            offset = next
        }
        return all
    }
}

/// The leader's current port, read by the endpoint resolver.
final class PortBox: Sendable {
    let value = Mutex<Int?>(nil)
}
