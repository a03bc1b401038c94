import BrokerAPI
import BrokerCore
import KafkaProtocol
import Logging
import Testing

/// Metadata and `__consumer_offsets`: reported internal, auto-created with its own settings.
@Suite struct MetadataOffsetsTopicTests {
    private static let brokers: [BrokerID: BrokerNode] = [
        BrokerID(1): BrokerNode(id: BrokerID(1), endpoints: ["PLAINTEXT": HostPort(host: "h1", port: 9092)]),
        BrokerID(2): BrokerNode(id: BrokerID(2), endpoints: ["PLAINTEXT": HostPort(host: "h2", port: 9092)]),
    ]

    private final class NoAutoCreation: TopicAutoCreator {
        func createTopic(_ name: String) { Issue.record("user-topic creation asked for \(name)") }
    }

    private func handler(_ image: ClusterMetadataImage, admin: FakeTopicAdmin?, replicationFactor: Int16 = 2) -> MetadataHandler {
        let creator = admin.map {
            OffsetsTopicCreator(
                settings: OffsetsTopicSettings(partitionCount: 3, replicationFactor: replicationFactor, segmentBytes: 1000),
                admin: $0, assign: simpleAssign, logger: Logger(label: "test"))
        }
        return MetadataHandler(cache: MetadataCache(image), autoCreator: NoAutoCreation(), offsetsTopic: creator)
    }

    @Test(arguments: [Int16(1), 9, 12])
    func existingOffsetsTopicIsInternal(version: Int16) async throws {
        let image = ClusterMetadataImage(
            clusterID: "c", controllerID: BrokerID(1), brokers: Self.brokers,
            topics: [
                "__consumer_offsets": TopicImage(
                    name: "__consumer_offsets", isInternal: true,
                    partitions: [
                        PartitionImage(index: 0, leader: BrokerID(1), leaderEpoch: LeaderEpoch(0), replicas: [BrokerID(1)], isr: [BrokerID(1)])
                    ]),
                "orders": TopicImage(name: "orders", partitions: []),
            ])
        let response = try await exchange(handler(image, admin: nil), MetadataRequest(topics: nil), version: version)
        #expect(response.topics.map(\.name) == ["__consumer_offsets", "orders"])
        #expect(response.topics.map(\.isInternal) == [true, false])
    }

    @Test func missingOffsetsTopicIsCreatedWithItsOwnSettings() async throws {
        let admin = FakeTopicAdmin(brokers: [BrokerID(1), BrokerID(2)])
        let image = ClusterMetadataImage(clusterID: "c", controllerID: BrokerID(1), brokers: Self.brokers)
        let response = try await exchange(
            handler(image, admin: admin), MetadataRequest(topics: [.init(name: "__consumer_offsets")]), version: 9)
        #expect(response.topics.map(\.errorCode) == [ErrorCode.leaderNotAvailable.rawValue])
        #expect(response.topics.map(\.isInternal) == [true])
        let creation = await admin.firstCreation()
        #expect(creation.assignment.count == 3)
        #expect(creation.assignment.values.allSatisfy { $0.count == 2 })
        #expect(creation.configs == ["cleanup.policy": "compact", "compression.type": "producer", "segment.bytes": "1000"])
    }

    @Test func fewerLiveBrokersThanTheReplicationFactorIsInvalidReplicationFactor() async throws {
        let admin = FakeTopicAdmin(brokers: [BrokerID(1), BrokerID(2)])
        let image = ClusterMetadataImage(clusterID: "c", controllerID: BrokerID(1), brokers: Self.brokers)
        let response = try await exchange(
            handler(image, admin: admin, replicationFactor: 3), MetadataRequest(topics: [.init(name: "__consumer_offsets")]),
            version: 9)
        #expect(response.topics.map(\.errorCode) == [ErrorCode.invalidReplicationFactor.rawValue])
        #expect(admin.created.isEmpty)
    }

    @Test func requestsThatDisallowCreationOnlyLearnItIsMissing() async throws {
        let admin = FakeTopicAdmin(brokers: [BrokerID(1), BrokerID(2)])
        let image = ClusterMetadataImage(clusterID: "c", controllerID: BrokerID(1), brokers: Self.brokers)
        let request = MetadataRequest(topics: [.init(name: "__consumer_offsets"), .init(name: "__transaction_state")], allowAutoTopicCreation: false)
        let response = try await exchange(handler(image, admin: admin), request, version: 9)
        #expect(response.topics.map(\.errorCode) == [ErrorCode.unknownTopicOrPartition.rawValue, ErrorCode.unknownTopicOrPartition.rawValue])
        #expect(response.topics.map(\.isInternal) == [true, true])
        #expect(admin.created.isEmpty)
    }
}
