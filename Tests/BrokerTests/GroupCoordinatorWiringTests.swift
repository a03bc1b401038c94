import BrokerAPI
import BrokerCore
import Foundation
import GroupCoordination
import KafkaProtocol
import LogStorage
import Logging
import NIOPosix
import Replication
import SystemPackage
import Testing

@testable import Broker

@Suite struct GroupCoordinatorWiringTests {
    @Test func buildsTheRealCoordinatorWithTheGroupHandlers() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("martlet-gw-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let logManager = try LogManager(dirs: [FilePath(directory.path)])
        let replicaManager = ReplicaManager(
            config: ReplicaManagerConfig(localBrokerID: BrokerID(1)), logManager: logManager, group: group)
        let config = try BrokerConfig(properties: [("broker.id", "1"), ("offsets.topic.num.partitions", "7")])
        let wiring = GroupCoordinatorWiring(
            settings: try GroupCoordinatorSettings(config), replicaManager: replicaManager,
            cache: MetadataCache(ClusterMetadataImage(clusterID: "c", controllerID: BrokerID(1), brokers: [:])),
            topicSettings: { _ in TopicSettings() }, topicAdmin: nil, logger: Logger(label: "test"))
        #expect(wiring.coordinator is GroupCoordinator)
        #expect(wiring.offsetsTopic == nil)
        let registry = HandlerRegistry(handlers: wiring.handlers)
        #expect(registry.supportedVersions(apiKey: FindCoordinatorRequest.apiKey) == 0...4)
        #expect(registry.supportedVersions(apiKey: JoinGroupRequest.apiKey) == 2...9)
        // The coordinator's partition count is offsets.topic.num.partitions.
        #expect((0..<7).contains(wiring.coordinator.partition(for: "any-group")))
        await wiring.shutdown()
        _ = try? await replicaManager.shutdown().get()
        try? logManager.shutdown()
        try await group.shutdownGracefully()
    }
}
