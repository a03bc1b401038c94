import BrokerAPI
import BrokerCore
import KafkaProtocol
import NIOCore
import NIOEmbedded
import NIOPosix
import Synchronization
import Testing

/// Records created topics; "publishes" them into the metadata cache unless told not to.
private final class FakeAdmin: TopicAdmin {
    let controller: Bool
    let publish: Bool
    let cache: MetadataCache
    let created = Mutex<[String: [Int32: [BrokerID]]]>([:])
    init(cache: MetadataCache, controller: Bool = true, publish: Bool = true) {
        self.cache = cache
        self.controller = controller
        self.publish = publish
    }
    func isActiveController() async -> Bool { controller }
    func deleteTopic(name: String) async throws {}
    func liveBrokers() async throws -> [BrokerID] { [BrokerID(0), BrokerID(1), BrokerID(2)] }
    func createTopic(name: String, assignment: [Int32: [BrokerID]], configs: [String: String]) async throws {
        let exists = created.withLock { $0[name] != nil }
        if exists || name == "existing" { throw TopicAdminError(.topicAlreadyExists, "Topic '\(name)' already exists.") }
        created.withLock { $0[name] = assignment }
        guard publish else { return }
        cache.update { image in
            image.topics[name] = TopicImage(
                name: name,
                partitions: assignment.keys.sorted().map {
                    PartitionImage(
                        index: $0, leader: assignment[$0]![0], leaderEpoch: LeaderEpoch(0), replicas: assignment[$0]!,
                        isr: assignment[$0]!)
                })
        }
    }
}

@Suite struct CreateTopicsHandlerTests {
    private let group = MultiThreadedEventLoopGroup.singleton

    private func run(_ request: CreateTopicsRequest, admin: FakeAdmin, version: Int16 = 7) async throws
        -> CreateTopicsResponse
    {
        let handler = CreateTopicsHandler(
            admin: admin, cache: admin.cache, defaultPartitions: 2, defaultReplicationFactor: 1,
            assign: { partitions, factor, brokers in
                Dictionary(uniqueKeysWithValues: (0..<partitions).map { p in
                    (p, (0..<Int(factor)).map { brokers[(Int(p) + $0) % brokers.count] })
                })
            })
        let registry = HandlerRegistry(handlers: [handler])
        var body = encodeBody(request, version: version)
        let context = RequestContext(
            apiKey: 19, apiVersion: version, correlationID: 1, clientID: "t", clientAddress: "x", listenerName: "PLAINTEXT",
            eventLoop: group.next())
        guard case .later(let future) = registry.dispatch(body: &body, context: context) else {
            throw TestFailure("expected a deferred response")
        }
        return try decodeFrame(try await future.get(), as: CreateTopicsResponse.self, version: version).response
    }

    private func cache() -> MetadataCache {
        MetadataCache(ClusterMetadataImage(clusterID: "c", controllerID: BrokerID(0), brokers: [:]))
    }

    private func topic(_ name: String, _ partitions: Int32 = 3, _ factor: Int16 = 2, configs: [String: String] = [:])
        -> CreateTopicsRequest.CreatableTopic
    {
        .init(
            name: name, numPartitions: partitions, replicationFactor: factor,
            configs: configs.map { .init(name: $0.key, value: $0.value) })
    }

    @Test func createsTopicsAndWaitsForTheirMetadata() async throws {
        let admin = FakeAdmin(cache: cache())
        let response = try await run(CreateTopicsRequest(topics: [topic("a"), topic("b", -1, -1)], timeoutMs: 5000), admin: admin)
        #expect(response.topics.map(\.errorCode) == [0, 0])
        #expect(response.topics.map(\.numPartitions) == [3, 2])
        #expect(response.topics.map(\.replicationFactor) == [2, 1])
        #expect(admin.cache.snapshot.topics["a"]?.partitions.count == 3)
        #expect(admin.created.withLock { $0["a"]?[0]?.count } == 2)
    }

    @Test func timesOutWhenPartitionsNeverAppear() async throws {
        let admin = FakeAdmin(cache: cache(), publish: false)
        let response = try await run(CreateTopicsRequest(topics: [topic("slow")], timeoutMs: 50), admin: admin)
        #expect(response.topics[0].errorCode == ErrorCode.requestTimedOut.rawValue)
        #expect(admin.created.withLock { $0["slow"] } != nil)
    }

    @Test func nonControllerAnswersNotController() async throws {
        let admin = FakeAdmin(cache: cache(), controller: false)
        let response = try await run(CreateTopicsRequest(topics: [topic("a")], timeoutMs: 1000), admin: admin)
        #expect(response.topics[0].errorCode == ErrorCode.notController.rawValue)
        #expect(admin.created.withLock { $0.isEmpty })
    }

    @Test func validateOnlyCreatesNothing() async throws {
        let admin = FakeAdmin(cache: cache())
        let response = try await run(
            CreateTopicsRequest(topics: [topic("a")], timeoutMs: 1000, validateOnly: true), admin: admin)
        #expect(response.topics[0].errorCode == 0)
        #expect(admin.created.withLock { $0.isEmpty })
    }

    @Test func perTopicErrors() async throws {
        let admin = FakeAdmin(cache: cache())
        let request = CreateTopicsRequest(
            topics: [
                topic("bad name"), topic("existing"), topic("zero", 0, 1), topic("rf", 1, 0), topic("wide", 1, 4),
                topic("compact", 1, 1, configs: ["cleanup.policy": "compact"]),
                topic("unknown-config", 1, 1, configs: ["no.such.config": "1"]),
                topic("dup"), topic("dup"),
                .init(name: "both", numPartitions: 1, replicationFactor: 1, assignments: [.init(partitionIndex: 0, brokerIds: [0])]),
                .init(name: "manual-bad", numPartitions: -1, replicationFactor: -1, assignments: [.init(partitionIndex: 0, brokerIds: [0, 0])]),
            ], timeoutMs: 0)
        let response = try await run(request, admin: admin)
        let codes = Dictionary(response.topics.map { ($0.name, $0.errorCode) }, uniquingKeysWith: { a, _ in a })
        #expect(codes["bad name"] == ErrorCode.invalidTopicException.rawValue)
        #expect(codes["existing"] == ErrorCode.topicAlreadyExists.rawValue)
        #expect(codes["zero"] == ErrorCode.invalidPartitions.rawValue)
        #expect(codes["rf"] == ErrorCode.invalidReplicationFactor.rawValue)
        #expect(codes["wide"] == ErrorCode.invalidReplicationFactor.rawValue)
        #expect(codes["compact"] == ErrorCode.invalidConfig.rawValue)
        #expect(codes["unknown-config"] == ErrorCode.invalidConfig.rawValue)
        #expect(codes["dup"] == ErrorCode.invalidRequest.rawValue)
        #expect(response.topics.filter { $0.name == "dup" }.count == 1)
        #expect(codes["both"] == ErrorCode.invalidRequest.rawValue)
        #expect(codes["manual-bad"] == ErrorCode.invalidReplicaAssignment.rawValue)
        #expect(admin.created.withLock { $0.isEmpty })
        #expect(response.topics.first { $0.name == "compact" }?.errorMessage?.contains("compaction") == true)
    }

    @Test func manualAssignmentIsUsedAsGiven() async throws {
        let admin = FakeAdmin(cache: cache())
        let request = CreateTopicsRequest(
            topics: [
                .init(
                    name: "manual", numPartitions: -1, replicationFactor: -1,
                    assignments: [.init(partitionIndex: 0, brokerIds: [2, 1]), .init(partitionIndex: 1, brokerIds: [1, 0])])
            ], timeoutMs: 1000)
        let response = try await run(request, admin: admin)
        #expect(response.topics[0].errorCode == 0)
        #expect(admin.created.withLock { $0["manual"] } == [0: [BrokerID(2), BrokerID(1)], 1: [BrokerID(1), BrokerID(0)]])
    }
}
