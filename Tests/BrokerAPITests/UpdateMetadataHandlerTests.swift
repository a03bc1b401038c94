import BrokerAPI
import BrokerCore
import KafkaProtocol
import Testing

@Suite struct UpdateMetadataHandlerTests {
    private typealias Req = UpdateMetadataRequest

    private func request(controllerEpoch: Int32, brokerEpoch: Int64 = 10, leaders: [Int32: Int32]) -> Req {
        Req(
            controllerId: 2, controllerEpoch: controllerEpoch, brokerEpoch: brokerEpoch,
            topicStates: [
                .init(
                    topicName: "orders",
                    partitionStates: leaders.sorted { $0.key < $1.key }.map { partition, leader in
                        .init(
                            partitionIndex: partition, controllerEpoch: controllerEpoch, leader: leader, leaderEpoch: 3,
                            isr: [1, 2], zkVersion: 1, replicas: [1, 2])
                    })
            ],
            liveBrokers: [1, 2].map { id in
                .init(
                    id: id,
                    endpoints: [.init(port: 9090 + id, host: "b\(id)", listener: "PLAINTEXT", securityProtocol: 0)],
                    rack: nil)
            })
    }

    private func fixture() -> (HandlerRegistry, MetadataCache, BrokerEpochSource) {
        let cache = MetadataCache(ClusterMetadataImage(clusterID: "c", controllerID: .none, brokers: [:]))
        let epoch = BrokerEpochSource()
        epoch.update(10)
        let registry = HandlerRegistry(handlers: [
            UpdateMetadataHandler(
                cache: cache, fence: ControllerRequestFence(brokerEpoch: epoch, controllerEpochs: ControllerEpochTracker())),
            MetadataHandler(cache: cache),
        ])
        return (registry, cache, epoch)
    }

    @Test func isServedButNotAdvertised() {
        let (registry, _, _) = fixture()
        #expect(registry.supportedVersions(apiKey: 6) == 0...8)
        #expect(!registry.advertisedVersions.contains { $0.apiKey == 6 })
    }

    @Test(arguments: [Int16(5), 6, 7, 8])
    func appliedStateIsWhatClientMetadataReturns(version: Int16) throws {
        let (registry, cache, _) = fixture()
        let (_, response) = try roundTrip(registry, request(controllerEpoch: 4, leaders: [0: 1, 1: 2]), version: version)
        #expect(response.errorCode == 0)
        let image = cache.snapshot
        #expect(image.controllerID == BrokerID(2))
        #expect(image.brokers[BrokerID(2)]?.endpoints["PLAINTEXT"] == HostPort(host: "b2", port: 9092))
        let (_, metadata) = try roundTrip(registry, MetadataRequest(topics: nil), version: 12)
        #expect(metadata.controllerId == 2)
        #expect(metadata.brokers.map(\.nodeId) == [1, 2])
        #expect(metadata.topics.map(\.name) == ["orders"])
        #expect(metadata.topics[0].partitions.map(\.leaderId) == [1, 2])
        #expect(metadata.topics[0].partitions.map(\.leaderEpoch) == [3, 3])
    }

    @Test func olderControllerEpochIsStaleAndIgnored() throws {
        let (registry, cache, _) = fixture()
        _ = try roundTrip(registry, request(controllerEpoch: 5, leaders: [0: 1]), version: 7)
        let (_, response) = try roundTrip(registry, request(controllerEpoch: 4, leaders: [0: 2]), version: 7)
        #expect(response.errorCode == ErrorCode.staleControllerEpoch.rawValue)
        #expect(cache.snapshot.topics["orders"]?.partitions.first?.leader == BrokerID(1))
    }

    @Test func olderBrokerEpochIsStale() throws {
        let (registry, cache, _) = fixture()
        let (_, response) = try roundTrip(registry, request(controllerEpoch: 5, brokerEpoch: 9, leaders: [0: 1]), version: 7)
        #expect(response.errorCode == ErrorCode.staleBrokerEpoch.rawValue)
        #expect(cache.snapshot.topics.isEmpty)
    }

    @Test func leaderDuringDeleteRemovesThePartitionAndEmptyTopic() throws {
        let (registry, cache, _) = fixture()
        _ = try roundTrip(registry, request(controllerEpoch: 5, leaders: [0: 1, 1: 2]), version: 7)
        _ = try roundTrip(registry, request(controllerEpoch: 5, leaders: [0: -2]), version: 7)
        #expect(cache.snapshot.topics["orders"]?.partitions.map(\.index) == [1])
        _ = try roundTrip(registry, request(controllerEpoch: 5, leaders: [1: -2]), version: 7)
        #expect(cache.snapshot.topics["orders"] == nil)
    }

    @Test func versionZeroUsesHostAndPortFields() throws {
        let (registry, cache, _) = fixture()
        let old = Req(
            controllerId: 1, controllerEpoch: 1,
            ungroupedPartitionStates: [
                .init(topicName: "t", partitionIndex: 0, controllerEpoch: 1, leader: 1, leaderEpoch: 0, isr: [1], zkVersion: 0, replicas: [1])
            ],
            liveBrokers: [.init(id: 1, v0Host: "old", v0Port: 9000)])
        _ = try roundTrip(registry, old, version: 0)
        #expect(cache.snapshot.brokers[BrokerID(1)]?.endpoints["PLAINTEXT"] == HostPort(host: "old", port: 9000))
        #expect(cache.snapshot.topics["t"]?.partitions.count == 1)
    }
}
