import BrokerAPI
import BrokerCore
import KafkaProtocol
import Logging
import Testing

@Suite struct FindCoordinatorHandlerTests {
    /// Brokers 1 and 2 alive; `__consumer_offsets` partition 0 led by 1, 1 led by 2, 2 leaderless,
    /// 3 led by the dead broker 3.
    private static let image = ClusterMetadataImage(
        clusterID: "c", controllerID: BrokerID(1),
        brokers: [
            BrokerID(1): BrokerNode(
                id: BrokerID(1),
                endpoints: ["PLAINTEXT": HostPort(host: "h1", port: 9092), "INTERNAL": HostPort(host: "i1", port: 19092)]),
            BrokerID(2): BrokerNode(id: BrokerID(2), endpoints: ["PLAINTEXT": HostPort(host: "h2", port: 9093)]),
        ],
        topics: [
            "__consumer_offsets": TopicImage(
                name: "__consumer_offsets", isInternal: true,
                partitions: [
                    PartitionImage(index: 0, leader: BrokerID(1), leaderEpoch: LeaderEpoch(0), replicas: [BrokerID(1)], isr: [BrokerID(1)]),
                    PartitionImage(index: 1, leader: BrokerID(2), leaderEpoch: LeaderEpoch(0), replicas: [BrokerID(2)], isr: [BrokerID(2)]),
                    PartitionImage(index: 2, leader: .none, leaderEpoch: LeaderEpoch(0), replicas: [BrokerID(3)], isr: []),
                    PartitionImage(index: 3, leader: BrokerID(3), leaderEpoch: LeaderEpoch(0), replicas: [BrokerID(3)], isr: [BrokerID(3)]),
                ])
        ])

    /// Group "gN" lives in offsets partition N.
    private static func coordinator() -> FakeGroupCoordinator {
        FakeGroupCoordinator(partitionFor: { Int32($0.dropFirst()) ?? 0 })
    }

    private static func handler(
        image: ClusterMetadataImage = image, admin: FakeTopicAdmin? = nil, replicationFactor: Int16 = 2
    ) -> FindCoordinatorHandler {
        let creator = admin.map {
            OffsetsTopicCreator(
                settings: OffsetsTopicSettings(partitionCount: 4, replicationFactor: replicationFactor), admin: $0,
                assign: simpleAssign, logger: Logger(label: "test"))
        }
        return FindCoordinatorHandler(coordinator: coordinator(), cache: MetadataCache(image), offsetsTopic: creator)
    }

    @Test func servesVersions0To4() {
        #expect(FindCoordinatorHandler.supportedVersions == 0...4)
    }

    @Test(arguments: Array(Int16(0)...3))
    func answersTheLeaderOfTheGroupsOffsetsPartition(version: Int16) async throws {
        let response = try await exchange(Self.handler(), FindCoordinatorRequest(key: "g1", keyType: 0), version: version)
        #expect(response.errorCode == 0)
        #expect(response.nodeId == 2)
        #expect(response.host == "h2")
        #expect(response.port == 9093)
        if version >= 1 { #expect(response.errorMessage == "NONE") }
    }

    @Test func answersWithTheEndpointOfTheRequestsListener() async throws {
        let response = try await exchange(
            Self.handler(), FindCoordinatorRequest(key: "g0", keyType: 0), version: 3, listener: "INTERNAL")
        #expect(response.nodeId == 1)
        #expect(response.host == "i1")
        #expect(response.port == 19092)
    }

    @Test(arguments: ["g2", "g3", "g9"])
    func noLiveLeaderIsCoordinatorNotAvailable(group: String) async throws {
        let response = try await exchange(Self.handler(), FindCoordinatorRequest(key: group, keyType: 0), version: 2)
        #expect(response.errorCode == ErrorCode.coordinatorNotAvailable.rawValue)
        #expect(response.nodeId == -1)
        #expect(response.host == "")
        #expect(response.port == -1)
        #expect(response.errorMessage == ErrorCode.coordinatorNotAvailable.defaultMessage)
    }

    @Test func version4AnswersEveryKeyOnItsOwn() async throws {
        let request = FindCoordinatorRequest(keyType: 0, coordinatorKeys: ["g0", "g2", "g1"])
        let response = try await exchange(Self.handler(), request, version: 4)
        #expect(response.coordinators.map(\.key) == ["g0", "g2", "g1"])
        #expect(response.coordinators.map(\.errorCode) == [0, ErrorCode.coordinatorNotAvailable.rawValue, 0])
        #expect(response.coordinators.map(\.nodeId) == [1, -1, 2])
        #expect(response.coordinators.map(\.host) == ["h1", "", "h2"])
        #expect(response.coordinators.map(\.port) == [9092, -1, 9093])
    }

    @Test(arguments: [Int16(1), 2, 3])
    func transactionCoordinatorsAreNotAvailable(version: Int16) async throws {
        let response = try await exchange(Self.handler(), FindCoordinatorRequest(key: "tx", keyType: 1), version: version)
        #expect(response.errorCode == ErrorCode.coordinatorNotAvailable.rawValue)
    }

    @Test func unknownKeyTypeIsInvalidRequest() async throws {
        let old = try await exchange(Self.handler(), FindCoordinatorRequest(key: "g1", keyType: 7), version: 3)
        #expect(old.errorCode == ErrorCode.invalidRequest.rawValue)
        #expect(old.nodeId == -1)
        let batched = try await exchange(
            Self.handler(), FindCoordinatorRequest(keyType: 7, coordinatorKeys: ["g0", "g1"]), version: 4)
        #expect(batched.coordinators.map(\.errorCode) == [ErrorCode.invalidRequest.rawValue, ErrorCode.invalidRequest.rawValue])
        #expect(batched.coordinators.map(\.key) == ["g0", "g1"])
        // Share coordinators (type 2) exist only from FindCoordinator v6.
        let share = try await exchange(Self.handler(), FindCoordinatorRequest(keyType: 2, coordinatorKeys: ["s"]), version: 4)
        #expect(share.coordinators.map(\.errorCode) == [ErrorCode.invalidRequest.rawValue])
    }

    @Test func missingOffsetsTopicIsCreatedAndCoordinatorNotAvailableMeanwhile() async throws {
        let admin = FakeTopicAdmin(brokers: [BrokerID(1), BrokerID(2)])
        let image = ClusterMetadataImage(clusterID: "c", controllerID: BrokerID(1), brokers: Self.image.brokers)
        let handler = Self.handler(image: image, admin: admin, replicationFactor: 2)
        let response = try await exchange(handler, FindCoordinatorRequest(keyType: 0, coordinatorKeys: ["g1"]), version: 4)
        #expect(response.coordinators.map(\.errorCode) == [ErrorCode.coordinatorNotAvailable.rawValue])
        let creation = await admin.firstCreation()
        #expect(creation.name == "__consumer_offsets")
        #expect(creation.assignment.count == 4)
        #expect(creation.assignment.values.allSatisfy { $0.count == 2 })
        #expect(creation.configs["cleanup.policy"] == "compact")
    }

    @Test func offsetsTopicIsNotCreatedWithFewerLiveBrokersThanItsReplicationFactor() async throws {
        let admin = FakeTopicAdmin(brokers: [BrokerID(1), BrokerID(2)])
        let image = ClusterMetadataImage(clusterID: "c", controllerID: BrokerID(1), brokers: Self.image.brokers)
        let handler = Self.handler(image: image, admin: admin, replicationFactor: 3)
        let response = try await exchange(handler, FindCoordinatorRequest(key: "g1", keyType: 0), version: 3)
        #expect(response.errorCode == ErrorCode.coordinatorNotAvailable.rawValue)
        // No task was started: nothing can be created later either.
        #expect(admin.created.isEmpty)
    }

    @Test func withoutACreatorAMissingTopicIsOnlyNotAvailable() async throws {
        let image = ClusterMetadataImage(clusterID: "c", controllerID: BrokerID(1), brokers: Self.image.brokers)
        let response = try await exchange(Self.handler(image: image), FindCoordinatorRequest(key: "g1", keyType: 0), version: 0)
        #expect(response.errorCode == ErrorCode.coordinatorNotAvailable.rawValue)
    }
}
