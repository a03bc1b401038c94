import BrokerAPI
import BrokerCore
import KafkaProtocol
import Testing

@Suite struct MetadataHandlerTests {
    private let image = ClusterMetadataImage(
        clusterID: "Q2x1c3Rlci1pZC0xMjM0NQ", controllerID: BrokerID(2),
        brokers: [
            BrokerID(1): BrokerNode(
                id: BrokerID(1),
                endpoints: ["PLAINTEXT": HostPort(host: "h1", port: 9092), "INTERNAL": HostPort(host: "i1", port: 9093)],
                rack: "r1"),
            BrokerID(2): BrokerNode(id: BrokerID(2), endpoints: ["PLAINTEXT": HostPort(host: "h2", port: 9092)]),
        ],
        topics: [
            "orders": TopicImage(
                name: "orders",
                partitions: [
                    PartitionImage(
                        index: 0, leader: BrokerID(1), leaderEpoch: LeaderEpoch(4), replicas: [BrokerID(1), BrokerID(2)],
                        isr: [BrokerID(1), BrokerID(2)]),
                    PartitionImage(
                        index: 1, leader: BrokerID(3), leaderEpoch: LeaderEpoch(1), replicas: [BrokerID(3), BrokerID(1)],
                        isr: [BrokerID(3)]),
                ]),
            "__consumer_offsets": TopicImage(name: "__consumer_offsets", isInternal: true, partitions: []),
        ])

    private var registry: HandlerRegistry { HandlerRegistry(handlers: [MetadataHandler(cache: MetadataCache(image))]) }

    @Test(arguments: Array(Int16(1)...12))
    func listsBrokersControllerAndAllTopics(version: Int16) throws {
        let (_, response) = try roundTrip(registry, MetadataRequest(topics: nil), version: version)
        #expect(response.brokers.map(\.nodeId) == [1, 2])
        #expect(response.brokers.map(\.host) == ["h1", "h2"])
        #expect(response.brokers[0].rack == "r1")
        #expect(response.controllerId == 2)
        if version >= 2 { #expect(response.clusterId == image.clusterID) }
        #expect(response.topics.map(\.name) == ["__consumer_offsets", "orders"])
        #expect(response.topics[0].isInternal)
        let orders = response.topics[1]
        #expect(orders.errorCode == 0)
        #expect(orders.partitions.map(\.partitionIndex) == [0, 1])
        #expect(orders.partitions[0].leaderId == 1)
        #expect(orders.partitions[0].replicaNodes == [1, 2])
        if version >= 7 { #expect(orders.partitions[0].leaderEpoch == 4) }
    }

    @Test func partitionWithDeadLeaderIsLeaderNotAvailable() throws {
        let (_, response) = try roundTrip(registry, MetadataRequest(topics: nil), version: 12)
        let partition = response.topics[1].partitions[1]
        #expect(partition.errorCode == ErrorCode.leaderNotAvailable.rawValue)
        #expect(partition.leaderId == -1)
        #expect(partition.offlineReplicas == [3])
    }

    @Test func brokersAreListedWithTheEndpointOfTheRequestListener() throws {
        var body = encodeBody(MetadataRequest(topics: []), version: 9)
        let outcome = registry.dispatch(body: &body, context: makeContext(apiKey: 3, version: 9, listener: "INTERNAL"))
        guard case .response(let encoded) = outcome else {
            Issue.record("expected response")
            return
        }
        let (_, response) = try decodeFrame(encoded, as: MetadataResponse.self, version: 9)
        #expect(response.brokers.map(\.host) == ["i1"])
        #expect(response.topics.isEmpty)
    }

    @Test func requestedTopicsGetPerTopicErrors() throws {
        let request = MetadataRequest(topics: [
            .init(name: "orders"), .init(name: "missing"), .init(name: "bad name!"),
        ])
        let (_, response) = try roundTrip(registry, request, version: 4)
        #expect(response.topics.map(\.name) == ["orders", "missing", "bad name!"])
        #expect(
            response.topics.map(\.errorCode) == [
                0, ErrorCode.unknownTopicOrPartition.rawValue, ErrorCode.invalidTopicException.rawValue,
            ])
    }

    @Test func lookupByUnknownTopicIDGetsUnknownTopicID() throws {
        let id = KafkaUUID(high: 1, low: 2)
        let request = MetadataRequest(topics: [.init(topicId: id, name: nil)])
        let (_, response) = try roundTrip(registry, request, version: 12)
        #expect(response.topics.count == 1)
        #expect(response.topics[0].errorCode == ErrorCode.unknownTopicId.rawValue)
        #expect(response.topics[0].topicId == id)
    }

    @Test func authorizedOperationsOnlyWhenAsked() throws {
        let (_, plain) = try roundTrip(registry, MetadataRequest(topics: nil), version: 10)
        #expect(plain.topics[1].topicAuthorizedOperations == Int32.min)
        #expect(plain.clusterAuthorizedOperations == Int32.min)
        let asked = MetadataRequest(
            topics: nil, includeClusterAuthorizedOperations: true, includeTopicAuthorizedOperations: true)
        let (_, full) = try roundTrip(registry, asked, version: 10)
        #expect(full.topics[1].topicAuthorizedOperations != Int32.min)
        #expect(full.clusterAuthorizedOperations != Int32.min)
    }
}

import Synchronization

private final class RecordingAutoCreator: TopicAutoCreator {
    let created = Mutex<[String]>([])
    func createTopic(_ name: String) { created.withLock { $0.append(name) } }
}

@Suite struct MetadataAutoCreationTests {
    private let image = ClusterMetadataImage(clusterID: "c", controllerID: BrokerID(0), brokers: [:])

    @Test func unknownTopicIsCreatedAndReportedLeaderNotAvailable() throws {
        let creator = RecordingAutoCreator()
        let registry = HandlerRegistry(handlers: [MetadataHandler(cache: MetadataCache(image), autoCreator: creator)])
        let (_, response) = try roundTrip(registry, MetadataRequest(topics: [.init(name: "fresh")]), version: 9)
        #expect(response.topics.map(\.errorCode) == [ErrorCode.leaderNotAvailable.rawValue])
        #expect(creator.created.withLock { $0 } == ["fresh"])
    }

    @Test func requestThatDisallowsCreationGetsUnknownTopic() throws {
        let creator = RecordingAutoCreator()
        let registry = HandlerRegistry(handlers: [MetadataHandler(cache: MetadataCache(image), autoCreator: creator)])
        let request = MetadataRequest(topics: [.init(name: "fresh")], allowAutoTopicCreation: false)
        let (_, response) = try roundTrip(registry, request, version: 9)
        #expect(response.topics.map(\.errorCode) == [ErrorCode.unknownTopicOrPartition.rawValue])
        // Before v4 the flag does not exist and creation is always allowed.
        let (_, old) = try roundTrip(registry, request, version: 3)
        #expect(old.topics.map(\.errorCode) == [ErrorCode.leaderNotAvailable.rawValue])
        #expect(creator.created.withLock { $0 } == ["fresh"])
    }

    @Test func internalAndInvalidTopicsAreNeverAutoCreated() throws {
        let creator = RecordingAutoCreator()
        let registry = HandlerRegistry(handlers: [MetadataHandler(cache: MetadataCache(image), autoCreator: creator)])
        let request = MetadataRequest(topics: [.init(name: "__consumer_offsets"), .init(name: "bad name")])
        let (_, response) = try roundTrip(registry, request, version: 9)
        #expect(
            response.topics.map(\.errorCode) == [
                ErrorCode.unknownTopicOrPartition.rawValue, ErrorCode.invalidTopicException.rawValue,
            ])
        #expect(creator.created.withLock { $0 }.isEmpty)
    }
}
