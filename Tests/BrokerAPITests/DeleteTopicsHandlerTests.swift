import BrokerAPI
import BrokerCore
import KafkaProtocol
import NIOCore
import NIOPosix
import Synchronization
import Testing

/// Records deletion requests; removes the topic from the metadata cache unless told not to.
private final class DeletingAdmin: TopicAdmin {
    let controller: Bool
    let publish: Bool
    let cache: MetadataCache
    let deleted = Mutex<[String]>([])
    init(cache: MetadataCache, controller: Bool = true, publish: Bool = true) {
        self.cache = cache
        self.controller = controller
        self.publish = publish
    }
    func isActiveController() async -> Bool { controller }
    func liveBrokers() async throws -> [BrokerID] { [BrokerID(0)] }
    func createTopic(name: String, assignment: [Int32: [BrokerID]], configs: [String: String]) async throws {}
    func deleteTopic(name: String) async throws {
        if name == "vanished" { throw TopicAdminError(.unknownTopicOrPartition, "Topic 'vanished' does not exist.") }
        deleted.withLock { $0.append(name) }
        if publish { cache.update { $0.topics[name] = nil } }
    }
}

@Suite struct DeleteTopicsHandlerTests {
    private let group = MultiThreadedEventLoopGroup.singleton

    private func cache() -> MetadataCache {
        let partition = PartitionImage(
            index: 0, leader: BrokerID(0), leaderEpoch: LeaderEpoch(0), replicas: [BrokerID(0)], isr: [BrokerID(0)])
        var topics: [String: TopicImage] = [:]
        for name in ["a", "b", "vanished"] { topics[name] = TopicImage(name: name, partitions: [partition]) }
        return MetadataCache(ClusterMetadataImage(clusterID: "c", controllerID: BrokerID(0), brokers: [:], topics: topics))
    }

    private func run(
        _ names: [String], timeoutMs: Int32 = 5000, admin: DeletingAdmin, enabled: Bool = true, version: Int16 = 5
    ) async throws -> DeleteTopicsResponse {
        let handler = DeleteTopicsHandler(admin: admin, cache: admin.cache, deleteTopicEnable: enabled)
        let registry = HandlerRegistry(handlers: [handler])
        var body = encodeBody(DeleteTopicsRequest(topicNames: names, timeoutMs: timeoutMs), version: version)
        let context = RequestContext(
            apiKey: 20, apiVersion: version, correlationID: 1, clientID: "t", clientAddress: "x", listenerName: "PLAINTEXT",
            eventLoop: group.next())
        guard case .later(let future) = registry.dispatch(body: &body, context: context) else {
            throw TestFailure("expected a deferred response")
        }
        return try decodeFrame(try await future.get(), as: DeleteTopicsResponse.self, version: version).response
    }

    @Test(arguments: [Int16(1), 4, 5]) func deletesAndWaitsUntilGoneFromMetadata(version: Int16) async throws {
        let admin = DeletingAdmin(cache: cache())
        let response = try await run(["a", "b", "a"], admin: admin, version: version)
        #expect(response.responses.map(\.name) == ["a", "b"])
        #expect(response.responses.map(\.errorCode) == [0, 0])
        #expect(admin.deleted.withLock { $0 } == ["a", "b"])
        #expect(admin.cache.snapshot.topics["a"] == nil)
    }

    @Test func timesOutWhileTheTopicIsStillInMetadata() async throws {
        let admin = DeletingAdmin(cache: cache(), publish: false)
        let response = try await run(["a"], timeoutMs: 30, admin: admin)
        #expect(response.responses[0].errorCode == ErrorCode.requestTimedOut.rawValue)
        #expect(admin.deleted.withLock { $0 } == ["a"])
    }

    @Test func zeroTimeoutAnswersAtOnce() async throws {
        let admin = DeletingAdmin(cache: cache(), publish: false)
        let response = try await run(["a"], timeoutMs: 0, admin: admin)
        #expect(response.responses[0].errorCode == 0)
        #expect(admin.deleted.withLock { $0 } == ["a"])
    }

    @Test func nonControllerAnswersNotController() async throws {
        let admin = DeletingAdmin(cache: cache(), controller: false)
        let response = try await run(["a"], admin: admin)
        #expect(response.responses[0].errorCode == ErrorCode.notController.rawValue)
        #expect(admin.deleted.withLock { $0.isEmpty })
    }

    @Test func disabledDeletion() async throws {
        let admin = DeletingAdmin(cache: cache())
        let v5 = try await run(["a"], admin: admin, enabled: false, version: 5)
        #expect(v5.responses[0].errorCode == ErrorCode.topicDeletionDisabled.rawValue)
        let v2 = try await run(["a"], admin: admin, enabled: false, version: 2)
        #expect(v2.responses[0].errorCode == ErrorCode.invalidRequest.rawValue)
        #expect(admin.deleted.withLock { $0.isEmpty })
    }

    @Test func unknownTopics() async throws {
        let admin = DeletingAdmin(cache: cache())
        let response = try await run(["missing", "vanished", "b"], admin: admin)
        #expect(response.responses.map(\.errorCode) == [
            ErrorCode.unknownTopicOrPartition.rawValue, ErrorCode.unknownTopicOrPartition.rawValue, 0,
        ])
        #expect(admin.deleted.withLock { $0 } == ["b"])
    }
}
