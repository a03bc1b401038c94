import BrokerAPI
import BrokerCore
import KafkaProtocol
import NIOCore
import NIOPosix
import Synchronization
import Testing

/// Holds topic assignments; "publishes" added partitions into the metadata cache unless told not to.
private final class FakePartitionAdmin: PartitionAdmin, Sendable {
    let controller: Bool
    let publish: Bool
    let cache: MetadataCache
    let topics: Mutex<[String: VersionedReplicaAssignment]>
    let writes = Mutex<[(topic: String, additions: [Int32: [BrokerID]], version: Int32)]>([])
    let failWrite: TopicAdminError?

    init(
        cache: MetadataCache, topics: [String: [Int32: [BrokerID]]], controller: Bool = true, publish: Bool = true,
        failWrite: TopicAdminError? = nil
    ) {
        self.cache = cache
        self.controller = controller
        self.publish = publish
        self.failWrite = failWrite
        self.topics = Mutex(topics.mapValues { VersionedReplicaAssignment(replicas: $0, version: 7) })
        for (name, assignment) in topics { Self.publish(name, assignment, into: cache) }
    }

    func isActiveController() async -> Bool { controller }
    func liveBrokers() async throws -> [BrokerID] { [BrokerID(1), BrokerID(2), BrokerID(3)] }
    func partitionAssignment(topic: String) async throws -> VersionedReplicaAssignment? {
        topics.withLock { $0[topic] }
    }
    func addPartitions(topic: String, additions: [Int32: [BrokerID]], expectedVersion: Int32) async throws {
        if let failWrite { throw failWrite }
        writes.withLock { $0.append((topic, additions, expectedVersion)) }
        let merged = topics.withLock { topics -> [Int32: [BrokerID]] in
            topics[topic]?.replicas.merge(additions) { old, _ in old }
            topics[topic]?.version += 1
            return topics[topic]?.replicas ?? [:]
        }
        if publish { Self.publish(topic, merged, into: cache) }
    }

    static func publish(_ name: String, _ assignment: [Int32: [BrokerID]], into cache: MetadataCache) {
        cache.update { image in
            image.topics[name] = TopicImage(
                name: name,
                partitions: assignment.keys.sorted().map {
                    let replicas = assignment[$0] ?? []
                    return PartitionImage(
                        index: $0, leader: replicas.first ?? BrokerID(-1), leaderEpoch: LeaderEpoch(0), replicas: replicas,
                        isr: replicas)
                })
        }
    }
}

/// The arguments the handler passed to its assigner.
private struct AssignCall: Equatable {
    var count: Int32
    var factor: Int16
    var brokers: [BrokerID]
    var startPartition: Int32
    var startIndex: Int
}

/// Records the assigner's calls.
private final class AssignCalls: Sendable {
    let calls = Mutex<[AssignCall]>([])
    func withLock<T>(_ body: (inout [AssignCall]) -> T) -> T { calls.withLock { body(&$0) } }
}

@Suite struct CreatePartitionsHandlerTests {
    private let group = MultiThreadedEventLoopGroup.singleton
    private let calls = AssignCalls()

    private func run(_ request: CreatePartitionsRequest, admin: FakePartitionAdmin, version: Int16 = 3) async throws
        -> CreatePartitionsResponse
    {
        let calls = self.calls
        let handler = CreatePartitionsHandler(
            admin: admin, cache: admin.cache,
            assign: { count, factor, brokers, start, startIndex in
                calls.withLock {
                    $0.append(AssignCall(count: count, factor: factor, brokers: brokers, startPartition: start, startIndex: startIndex))
                }
                return Dictionary(uniqueKeysWithValues: (0..<count).map { offset in
                    let p = start + offset
                    return (p, (0..<Int(factor)).map { brokers[(Int(p) + startIndex + $0) % brokers.count] })
                })
            })
        let registry = HandlerRegistry(handlers: [handler])
        var body = encodeBody(request, version: version)
        let context = RequestContext(
            apiKey: 37, apiVersion: version, correlationID: 1, clientID: "t", clientAddress: "x", listenerName: "PLAINTEXT",
            eventLoop: group.next())
        guard case .later(let future) = registry.dispatch(body: &body, context: context) else {
            throw TestFailure("expected a deferred response")
        }
        return try decodeFrame(try await future.get(), as: CreatePartitionsResponse.self, version: version).response
    }

    private func cache() -> MetadataCache {
        MetadataCache(ClusterMetadataImage(clusterID: "c", controllerID: BrokerID(1), brokers: [:]))
    }

    /// Topic "t": 2 partitions, factor 2, partition 0 led by broker 2.
    private func admin(controller: Bool = true, publish: Bool = true, failWrite: TopicAdminError? = nil) -> FakePartitionAdmin {
        FakePartitionAdmin(
            cache: cache(), topics: ["t": [0: [BrokerID(2), BrokerID(3)], 1: [BrokerID(3), BrokerID(1)]]],
            controller: controller, publish: publish, failWrite: failWrite)
    }

    private func topic(_ name: String, _ count: Int32, _ assignments: [[Int32]]? = nil)
        -> CreatePartitionsRequest.CreatePartitionsTopic
    {
        .init(name: name, count: count, assignments: assignments?.map { .init(brokerIds: $0) })
    }

    @Test func addsPartitionsWithKafkasStartIndexAndWaitsForMetadata() async throws {
        let admin = admin()
        let response = try await run(CreatePartitionsRequest(topics: [topic("t", 5)], timeoutMs: 5000), admin: admin)
        #expect(response.results.map(\.errorCode) == [0])
        // Partition 0's first replica is broker 2: index 1 among the sorted brokers [1, 2, 3].
        #expect(
            calls.withLock { $0 } == [
                AssignCall(count: 3, factor: 2, brokers: [BrokerID(1), BrokerID(2), BrokerID(3)], startPartition: 2, startIndex: 1)
            ])
        let writes = admin.writes.withLock { $0 }
        #expect(writes.count == 1)
        #expect(writes.first?.additions.keys.sorted() == [2, 3, 4])
        #expect(writes.first?.version == 7)
        #expect(admin.cache.snapshot.topics["t"]?.partitions.count == 5)
    }

    @Test(arguments: [Int16(0), 1, 2, 3]) func everyVersionRoundTrips(version: Int16) async throws {
        let response = try await run(CreatePartitionsRequest(topics: [topic("t", 3)], timeoutMs: 0), admin: admin(), version: version)
        #expect(response.results.map(\.errorCode) == [0])
    }

    @Test func nonControllerAnswersNotController() async throws {
        let admin = admin(controller: false)
        let response = try await run(CreatePartitionsRequest(topics: [topic("t", 5)]), admin: admin)
        #expect(response.results.map(\.errorCode) == [ErrorCode.notController.rawValue])
        #expect(admin.writes.withLock { $0.isEmpty })
    }

    @Test func unknownTopicAnswersUnknownTopicOrPartition() async throws {
        let response = try await run(CreatePartitionsRequest(topics: [topic("nope", 5)]), admin: admin())
        #expect(response.results.map(\.errorCode) == [ErrorCode.unknownTopicOrPartition.rawValue])
    }

    @Test func countNotAboveCurrentAnswersInvalidPartitions() async throws {
        let admin = admin()
        let response = try await run(CreatePartitionsRequest(topics: [topic("t", 2)]), admin: admin)
        #expect(response.results.map(\.errorCode) == [ErrorCode.invalidPartitions.rawValue])
        let lower = try await run(CreatePartitionsRequest(topics: [topic("t", 1)]), admin: admin)
        #expect(lower.results.map(\.errorCode) == [ErrorCode.invalidPartitions.rawValue])
        #expect(admin.writes.withLock { $0.isEmpty })
    }

    @Test func duplicateTopicAnswersInvalidRequestOnce() async throws {
        let admin = admin()
        let response = try await run(CreatePartitionsRequest(topics: [topic("t", 3), topic("t", 4)]), admin: admin)
        #expect(response.results.map(\.name) == ["t"])
        #expect(response.results.map(\.errorCode) == [ErrorCode.invalidRequest.rawValue])
        #expect(admin.writes.withLock { $0.isEmpty })
    }

    @Test func manualAssignmentIsWrittenAsGiven() async throws {
        let admin = admin()
        let response = try await run(CreatePartitionsRequest(topics: [topic("t", 4, [[1, 2], [3, 2]])]), admin: admin)
        #expect(response.results.map(\.errorCode) == [0])
        #expect(admin.writes.withLock { $0.first?.additions } == [2: [BrokerID(1), BrokerID(2)], 3: [BrokerID(3), BrokerID(2)]])
        #expect(calls.withLock { $0.isEmpty })
    }

    @Test(arguments: [
        [[1, 2]],  // one assignment for two new partitions
        [[1, 2], [2, 9]],  // unknown broker
        [[1, 2], [2, 2]],  // duplicate broker
        [[1, 2], [3]],  // wrong replication factor
        [[1, 2], []],  // no replicas
    ])
    func invalidManualAssignmentAnswersInvalidReplicaAssignment(assignments: [[Int32]]) async throws {
        let admin = admin()
        let response = try await run(CreatePartitionsRequest(topics: [topic("t", 4, assignments)]), admin: admin)
        #expect(response.results.map(\.errorCode) == [ErrorCode.invalidReplicaAssignment.rawValue])
        #expect(admin.writes.withLock { $0.isEmpty })
    }

    @Test func validateOnlyWritesNothing() async throws {
        let admin = admin()
        let response = try await run(
            CreatePartitionsRequest(topics: [topic("t", 5)], timeoutMs: 5000, validateOnly: true), admin: admin)
        #expect(response.results.map(\.errorCode) == [0])
        #expect(admin.writes.withLock { $0.isEmpty })
        #expect(admin.cache.snapshot.topics["t"]?.partitions.count == 2)
    }

    @Test func newPartitionsMissingFromMetadataAnswerRequestTimedOut() async throws {
        let admin = admin(publish: false)
        let response = try await run(CreatePartitionsRequest(topics: [topic("t", 3)], timeoutMs: 1), admin: admin)
        #expect(response.results.map(\.errorCode) == [ErrorCode.requestTimedOut.rawValue])
        #expect(admin.writes.withLock { $0.count } == 1)
    }

    @Test func writeFailureIsAnswered() async throws {
        let admin = admin(failWrite: TopicAdminError(.invalidPartitions, "modified concurrently"))
        let response = try await run(CreatePartitionsRequest(topics: [topic("t", 3)], timeoutMs: 5000), admin: admin)
        #expect(response.results.map(\.errorCode) == [ErrorCode.invalidPartitions.rawValue])
        #expect(response.results.first?.errorMessage == "modified concurrently")
    }
}
