import BrokerAPI
import BrokerCore
import BrokerServer
import KafkaProtocol
import Logging
import NIOCore
import NIOPosix
import Synchronization

@testable import MartletAdmin

/// One in-process broker (id 1, controller) serving Metadata from a real ``MetadataCache`` and
/// fake group/admin handlers with fixed data:
/// - topic `orders` (2 partitions, led by broker 1); log end offset of partition p = 100 + p;
/// - group `payments`: Stable, members m1 (orders-0) and m2 (orders-1), committed orders-0 = 40,
///   orders-1 = 7 and legacy-0 = 5 (a topic that no longer exists);
/// - group `idle`: Empty, committed orders-0 = 100; any other group is Dead.
final class FakeCluster: Sendable {
    struct State {
        var coordinatorNotAvailableAnswers = 0
        var createRequests: [CreateTopicsRequest.CreatableTopic] = []
        var deleteRequests: [String] = []
        var findCoordinatorVersions: [Int16] = []
    }

    let cache: MetadataCache
    let state = Mutex(State())

    init() {
        cache = MetadataCache(ClusterMetadataImage(clusterID: "fake", controllerID: BrokerID(1), brokers: [:]))
    }

    var port: Int { cache.snapshot.brokers[BrokerID(1)]?.endpoints["PLAINTEXT"]?.port ?? 0 }

    func addTopic(_ name: String, partitions: Int32) {
        cache.update { image in
            image.topics[name] = TopicImage(
                name: name,
                partitions: (0..<partitions).map {
                    PartitionImage(
                        index: $0, leader: BrokerID(1), leaderEpoch: LeaderEpoch(0), replicas: [BrokerID(1)],
                        isr: [BrokerID(1)])
                })
        }
    }

    static func committed(_ group: String) -> [(String, Int32, Int64)] {
        switch group {
        case "payments": [("orders", 0, 40), ("orders", 1, 7), ("legacy", 0, 5)]
        case "idle": [("orders", 0, 100)]
        default: []
        }
    }

    /// Starts the broker with the current-generation handlers (or the older versions), runs
    /// `body` with a client bootstrapped to it, then shuts everything down.
    static func withCluster(
        oldVersions: Bool = false, _ body: (FakeCluster, AdminClient) async throws -> Void
    ) async throws {
        let fake = FakeCluster()
        fake.addTopic("orders", partitions: 2)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var handlers: [any KafkaAPIHandler] = [
            MetadataHandler(cache: fake.cache), FakeListOffsets(), FakeDescribeGroups(), FakeListGroups(),
            FakeDeleteGroups(), FakeCreateTopics(fake: fake), FakeDeleteTopics(fake: fake), FakeDescribeConfigs(),
        ]
        handlers += oldVersions ? [FakeFindCoordinatorV3(fake: fake), FakeOffsetFetchV7()]
            : [FakeFindCoordinator(fake: fake), FakeOffsetFetch()]
        let server = try await KafkaServer.start(
            configuration: .init(host: "127.0.0.1", port: 0, listenerName: "PLAINTEXT"),
            registry: HandlerRegistry(handlers: handlers), group: group, logger: Logger(label: "test"))
        let port = server.localAddress?.port ?? 0
        fake.cache.update {
            $0.brokers[BrokerID(1)] = BrokerNode(
                id: BrokerID(1), endpoints: ["PLAINTEXT": HostPort(host: "127.0.0.1", port: port)])
        }
        let client = AdminClient(
            bootstrap: [BrokerAddress(host: "127.0.0.1", port: port)],
            options: .init(requestTimeout: .seconds(10), operationTimeout: .seconds(20), retryBackoff: .milliseconds(10)),
            group: group)
        do {
            try await body(fake, client)
        } catch {
            await client.close()
            try await server.close()
            try await group.shutdownGracefully()
            throw error
        }
        await client.close()
        try await server.close()
        try await group.shutdownGracefully()
    }
}

struct FakeListOffsets: KafkaAPIHandler {
    static let supportedVersions: ClosedRange<Int16> = 1...7
    func handle(_ request: ListOffsetsRequest, context: RequestContext) -> APIOutcome<ListOffsetsResponse> {
        .respond(
            ListOffsetsResponse(
                topics: request.topics.map { topic in
                    .init(
                        name: topic.name,
                        partitions: topic.partitions.map {
                            .init(
                                partitionIndex: $0.partitionIndex, errorCode: 0, timestamp: -1,
                                offset: $0.timestamp == -2 ? 0 : 100 + Int64($0.partitionIndex), leaderEpoch: 0)
                        })
                }))
    }
}

func coordinatorAnswer(_ fake: FakeCluster, version: Int16) -> (code: Int16, port: Int32) {
    let unavailable = fake.state.withLock { state -> Bool in
        state.findCoordinatorVersions.append(version)
        guard state.coordinatorNotAvailableAnswers > 0 else { return false }
        state.coordinatorNotAvailableAnswers -= 1
        return true
    }
    return unavailable ? (ErrorCode.coordinatorNotAvailable.rawValue, -1) : (0, Int32(fake.port))
}

struct FakeFindCoordinator: KafkaAPIHandler {
    static let supportedVersions: ClosedRange<Int16> = 0...4
    let fake: FakeCluster
    func handle(_ request: FindCoordinatorRequest, context: RequestContext) -> APIOutcome<FindCoordinatorResponse> {
        var response = FindCoordinatorResponse()
        if context.apiVersion >= 4 {
            response.coordinators = request.coordinatorKeys.map { key in
                let (code, port) = coordinatorAnswer(fake, version: context.apiVersion)
                return .init(key: key, nodeId: code == 0 ? 1 : -1, host: "127.0.0.1", port: port, errorCode: code)
            }
        } else {
            let (code, port) = coordinatorAnswer(fake, version: context.apiVersion)
            (response.errorCode, response.nodeId, response.host, response.port) = (code, code == 0 ? 1 : -1, "127.0.0.1", port)
        }
        return .respond(response)
    }
}

struct FakeFindCoordinatorV3: KafkaAPIHandler {
    static let supportedVersions: ClosedRange<Int16> = 0...3
    let fake: FakeCluster
    func handle(_ request: FindCoordinatorRequest, context: RequestContext) -> APIOutcome<FindCoordinatorResponse> {
        FakeFindCoordinator(fake: fake).handle(request, context: context)
    }
}

func offsetFetchTopics(_ group: String) -> [OffsetFetchResponse.OffsetFetchResponseTopics] {
    let committed = FakeCluster.committed(group)
    return Set(committed.map(\.0)).sorted().map { topic in
        .init(
            name: topic,
            partitions: committed.filter { $0.0 == topic }.map {
                .init(partitionIndex: $0.1, committedOffset: $0.2, committedLeaderEpoch: 0, metadata: "m", errorCode: 0)
            })
    }
}

struct FakeOffsetFetch: KafkaAPIHandler {
    static let supportedVersions: ClosedRange<Int16> = 1...8
    func handle(_ request: OffsetFetchRequest, context: RequestContext) -> APIOutcome<OffsetFetchResponse> {
        precondition(context.apiVersion == 8, "the client should use v8 here")
        return .respond(
            OffsetFetchResponse(
                groups: request.groups.map { .init(groupId: $0.groupId, topics: offsetFetchTopics($0.groupId), errorCode: 0) }))
    }
}

struct FakeOffsetFetchV7: KafkaAPIHandler {
    static let supportedVersions: ClosedRange<Int16> = 1...7
    func handle(_ request: OffsetFetchRequest, context: RequestContext) -> APIOutcome<OffsetFetchResponse> {
        .respond(
            OffsetFetchResponse(
                topics: offsetFetchTopics(request.groupId).map { topic in
                    .init(
                        name: topic.name,
                        partitions: topic.partitions.map {
                            .init(
                                partitionIndex: $0.partitionIndex, committedOffset: $0.committedOffset,
                                committedLeaderEpoch: 0, metadata: "m", errorCode: 0)
                        })
                }, errorCode: 0))
    }
}

struct FakeDescribeGroups: KafkaAPIHandler {
    static let supportedVersions: ClosedRange<Int16> = 0...5
    func handle(_ request: DescribeGroupsRequest, context: RequestContext) -> APIOutcome<DescribeGroupsResponse> {
        .respond(
            DescribeGroupsResponse(
                groups: request.groups.map { group in
                    switch group {
                    case "payments":
                        return .init(
                            errorCode: 0, groupId: group, groupState: "Stable", protocolType: "consumer",
                            protocolData: "range",
                            members: [
                                member("m1", client: "c1", [TopicPartition("orders", 0)]),
                                member("m2", client: "c2", [TopicPartition("orders", 1)]),
                            ])
                    case "idle":
                        return .init(errorCode: 0, groupId: group, groupState: "Empty", protocolType: "consumer")
                    default:
                        return .init(errorCode: 0, groupId: group, groupState: "Dead", protocolType: "")
                    }
                }))
    }

    private func member(_ id: String, client: String, _ partitions: [TopicPartition])
        -> DescribeGroupsResponse.DescribedGroupMember
    {
        .init(
            memberId: id, clientId: client, clientHost: "/127.0.0.1", memberMetadata: ByteBuffer(),
            memberAssignment: ConsumerAssignmentDecoder.encode(partitions, version: 1))
    }
}

struct FakeListGroups: KafkaAPIHandler {
    static let supportedVersions: ClosedRange<Int16> = 0...4
    func handle(_ request: ListGroupsRequest, context: RequestContext) -> APIOutcome<ListGroupsResponse> {
        .respond(
            ListGroupsResponse(
                errorCode: 0,
                groups: [
                    .init(groupId: "payments", protocolType: "consumer", groupState: "Stable"),
                    .init(groupId: "idle", protocolType: "consumer", groupState: "Empty"),
                ]))
    }
}

struct FakeDeleteGroups: KafkaAPIHandler {
    static let supportedVersions: ClosedRange<Int16> = 0...2
    func handle(_ request: DeleteGroupsRequest, context: RequestContext) -> APIOutcome<DeleteGroupsResponse> {
        .respond(
            DeleteGroupsResponse(
                results: request.groupsNames.map { group in
                    let code: ErrorCode =
                        switch group {
                        case "idle": .none
                        case "payments": .nonEmptyGroup
                        default: .groupIdNotFound
                        }
                    return .init(groupId: group, errorCode: code.rawValue)
                }))
    }
}

struct FakeCreateTopics: KafkaAPIHandler {
    static let supportedVersions: ClosedRange<Int16> = 2...7
    let fake: FakeCluster
    func handle(_ request: CreateTopicsRequest, context: RequestContext) -> APIOutcome<CreateTopicsResponse> {
        .respond(
            CreateTopicsResponse(
                topics: request.topics.map { topic in
                    fake.state.withLock { $0.createRequests.append(topic) }
                    if topic.name == "orders" {
                        return .init(
                            name: topic.name, errorCode: ErrorCode.topicAlreadyExists.rawValue,
                            errorMessage: "Topic 'orders' already exists.")
                    }
                    fake.addTopic(topic.name, partitions: topic.numPartitions)
                    return .init(name: topic.name, errorCode: 0)
                }))
    }
}

struct FakeDeleteTopics: KafkaAPIHandler {
    static let supportedVersions: ClosedRange<Int16> = 1...5
    let fake: FakeCluster
    func handle(_ request: DeleteTopicsRequest, context: RequestContext) -> APIOutcome<DeleteTopicsResponse> {
        .respond(
            DeleteTopicsResponse(
                responses: request.topicNames.map { name in
                    fake.state.withLock { $0.deleteRequests.append(name) }
                    fake.cache.update { $0.topics[name] = nil }
                    return .init(name: name, errorCode: 0)
                }))
    }
}

struct FakeDescribeConfigs: KafkaAPIHandler {
    static let supportedVersions: ClosedRange<Int16> = 1...4
    func handle(_ request: DescribeConfigsRequest, context: RequestContext) -> APIOutcome<DescribeConfigsResponse> {
        .respond(
            DescribeConfigsResponse(
                results: request.resources.map {
                    .init(
                        errorCode: 0, resourceType: $0.resourceType, resourceName: $0.resourceName,
                        configs: [
                            .init(name: "retention.ms", value: "1000", configSource: 1),
                            .init(name: "segment.bytes", value: "1073741824", configSource: 5),
                        ])
                }))
    }
}
