import KafkaProtocol
import NIOCore
import Testing

@Suite("Golden consumer-group requests (FindCoordinator, JoinGroup, SyncGroup, Heartbeat, OffsetCommit, OffsetFetch, LeaveGroup)")
struct GoldenConsumerGroupTests {
    static let rdkafkaMember = "rdkafka-b111a6f2-8782-4245-9a87-c4cf373fbcbb"
    static let pythonMember = "kafka-python-3.0.12-1e3ecc4a-7506-4501-a97e-0716faa81fb1"

    @Test("FindCoordinator: v2 uses key, v6 uses coordinatorKeys")
    func findCoordinator() throws {
        let (_, v2) = try GoldenFrames.decode("librdkafka-2.16.0-FindCoordinator-v2.bin", as: FindCoordinatorRequest.self)
        #expect(v2.key == "grp-ck")
        #expect(v2.keyType == 0)
        let (_, v6) = try GoldenFrames.decode("kafka-python-3.0.12-FindCoordinator-v6.bin", as: FindCoordinatorRequest.self)
        #expect(v6.key == "")
        #expect(v6.coordinatorKeys == ["grp-kp"])
    }

    @Test("JoinGroup metadata is a ConsumerProtocolSubscription")
    func joinGroup() throws {
        let (_, body) = try GoldenFrames.decode("librdkafka-2.16.0-JoinGroup-v5.bin", as: JoinGroupRequest.self)
        #expect(body.groupId == "grp-ck")
        #expect(body.memberId == Self.rdkafkaMember)
        #expect(body.sessionTimeoutMs == 6000)
        #expect(body.rebalanceTimeoutMs == 300_000)
        #expect(body.protocolType == "consumer")
        #expect(body.protocols.map(\.name) == ["range", "roundrobin"])
        var metadata = try #require(body.protocols.first?.metadata)
        let version = try metadata.readKafkaInt16()
        #expect(version == 3)
        let subscription = try ConsumerProtocolSubscription(from: &metadata, version: version)
        #expect(subscription.topics == ["golden-ck"])
        #expect(subscription.generationId == -1)
        #expect(metadata.readableBytes == 0)

        let (_, python) = try GoldenFrames.decode("kafka-python-3.0.12-JoinGroup-v7.bin", as: JoinGroupRequest.self)
        #expect(python.memberId == Self.pythonMember)
        #expect(python.reason == nil)
    }

    @Test("SyncGroup assignment is a ConsumerProtocolAssignment")
    func syncGroup() throws {
        let (_, body) = try GoldenFrames.decode("kafka-python-3.0.12-SyncGroup-v5.bin", as: SyncGroupRequest.self)
        #expect(body.groupId == "grp-kp")
        #expect(body.protocolType == "consumer")
        #expect(body.protocolName == "range")
        var assignment = try #require(body.assignments.first?.assignment)
        let version = try assignment.readKafkaInt16()
        let decoded = try ConsumerProtocolAssignment(from: &assignment, version: version)
        #expect(decoded.assignedPartitions.map(\.topic) == ["golden-kp"])
        #expect(decoded.assignedPartitions.first?.partitions == [0, 1, 2, 3])

        let (_, v3) = try GoldenFrames.decode("librdkafka-2.16.0-SyncGroup-v3.bin", as: SyncGroupRequest.self)
        #expect(v3.memberId == Self.rdkafkaMember)
        #expect(v3.protocolType == nil)
    }

    @Test("Heartbeat and LeaveGroup name the member")
    func heartbeatAndLeave() throws {
        let (_, heartbeat) = try GoldenFrames.decode("librdkafka-2.16.0-Heartbeat-v3.bin", as: HeartbeatRequest.self)
        #expect(heartbeat.groupId == "grp-ck")
        #expect(heartbeat.generationId == 0)
        #expect(heartbeat.memberId == Self.rdkafkaMember)
        let (_, v1) = try GoldenFrames.decode("librdkafka-2.16.0-LeaveGroup-v1.bin", as: LeaveGroupRequest.self)
        #expect(v1.memberId == Self.rdkafkaMember)
        #expect(v1.members.isEmpty)
        let (_, v5) = try GoldenFrames.decode("kafka-python-3.0.12-LeaveGroup-v5.bin", as: LeaveGroupRequest.self)
        #expect(v5.memberId == "")
        #expect(v5.members.map(\.memberId) == [Self.pythonMember])
    }

    @Test("OffsetCommit carries offsets, leader epochs and empty metadata")
    func offsetCommit() throws {
        let (_, v9) = try GoldenFrames.decode("librdkafka-2.16.0-OffsetCommit-v9.bin", as: OffsetCommitRequest.self)
        #expect(v9.groupId == "grp-ck")
        let partitions = try #require(v9.topics.first?.partitions)
        #expect(v9.topics.first?.name == "golden-ck")
        #expect(partitions.map(\.partitionIndex) == [1, 3])
        #expect(partitions.map(\.committedOffset) == [1, 2])
        #expect(partitions.map(\.committedLeaderEpoch) == [0, 0])
        #expect(partitions.map(\.committedMetadata) == ["", ""])
        let (_, v8) = try GoldenFrames.decode("kafka-python-3.0.12-OffsetCommit-v8.bin", as: OffsetCommitRequest.self)
        #expect(v8.memberId == Self.pythonMember)
        #expect(v8.topics.first?.partitions.count == 4)
    }

    @Test("OffsetFetch v8+ uses the groups array")
    func offsetFetch() throws {
        let (_, v9) = try GoldenFrames.decode("librdkafka-2.16.0-OffsetFetch-v9.bin", as: OffsetFetchRequest.self)
        #expect(v9.groupId == "")
        #expect(v9.requireStable)
        #expect(v9.groups.map(\.groupId) == ["grp-ck"])
        #expect(v9.groups.first?.topics?.first?.partitionIndexes == [0, 1, 2, 3])
        let (_, v8) = try GoldenFrames.decode("kafka-python-3.0.12-OffsetFetch-v8.bin", as: OffsetFetchRequest.self)
        #expect(!v8.requireStable)
        #expect(v8.groups.first?.topics?.first?.name == "golden-kp")
    }
}
