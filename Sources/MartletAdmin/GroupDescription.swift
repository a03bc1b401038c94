import BrokerCore
import KafkaProtocol
import NIOCore

/// A member of a group as DescribeGroups reports it, with its assignment decoded when the group
/// uses the consumer protocol (`protocolType == "consumer"`).
public struct GroupMemberDescription: Hashable, Sendable {
    public var memberID: String
    public var groupInstanceID: String?
    public var clientID: String
    /// As the coordinator reports it, e.g. `/127.0.0.1`.
    public var clientHost: String
    /// The partitions assigned to the member; empty when none or when the assignment is not a
    /// consumer-protocol assignment.
    public var assignment: [TopicPartition]

    public init(
        memberID: String, groupInstanceID: String? = nil, clientID: String, clientHost: String,
        assignment: [TopicPartition]
    ) {
        self.memberID = memberID
        self.groupInstanceID = groupInstanceID
        self.clientID = clientID
        self.clientHost = clientHost
        self.assignment = assignment
    }
}

/// A group as DescribeGroups reports it.
public struct GroupDescription: Hashable, Sendable {
    public var groupID: String
    /// Kafka's state name: Stable, Empty, PreparingRebalance, CompletingRebalance, Dead.
    public var state: String
    /// "consumer" for consumer groups, "" for groups that only hold committed offsets.
    public var protocolType: String
    /// The selected assignor (e.g. "range"), "" when none.
    public var assignmentStrategy: String
    public var members: [GroupMemberDescription]
    /// The broker that answered: the group's coordinator.
    public var coordinator: BrokerInfo

    public init(
        groupID: String, state: String, protocolType: String, assignmentStrategy: String,
        members: [GroupMemberDescription], coordinator: BrokerInfo
    ) {
        self.groupID = groupID
        self.state = state
        self.protocolType = protocolType
        self.assignmentStrategy = assignmentStrategy
        self.members = members
        self.coordinator = coordinator
    }
}

/// A group as ListGroups reports it.
public struct GroupListing: Hashable, Sendable, Comparable {
    public var groupID: String
    public var protocolType: String
    /// Empty when the broker does not report states (ListGroups before v4).
    public var state: String

    public init(groupID: String, protocolType: String, state: String = "") {
        self.groupID = groupID
        self.protocolType = protocolType
        self.state = state
    }

    public static func < (a: GroupListing, b: GroupListing) -> Bool { a.groupID < b.groupID }
}

/// A committed offset as OffsetFetch reports it.
public struct CommittedOffset: Hashable, Sendable {
    public var offset: Offset
    public var leaderEpoch: LeaderEpoch
    public var metadata: String?

    public init(offset: Offset, leaderEpoch: LeaderEpoch = .unknown, metadata: String? = nil) {
        self.offset = offset
        self.leaderEpoch = leaderEpoch
        self.metadata = metadata
    }
}

/// Decodes a member's assignment bytes (DescribeGroups `memberAssignment`) as Kafka's consumer
/// protocol: an int16 version, then ``ConsumerProtocolAssignment`` at that version. A version
/// newer than this codec knows is read at the newest known one (Kafka's forward-compatibility
/// rule). Returns nil for empty or malformed bytes; never traps.
public enum ConsumerAssignmentDecoder {
    public static func partitions(from bytes: ByteBuffer) -> [TopicPartition]? {
        var buffer = bytes
        guard buffer.readableBytes >= 2, let version = buffer.readInteger(as: Int16.self), version >= 0 else {
            return nil
        }
        let readAt = min(version, ConsumerProtocolAssignment.validVersions.upperBound)
        guard let assignment = try? ConsumerProtocolAssignment(from: &buffer, version: readAt) else { return nil }
        return assignment.assignedPartitions.flatMap { topic in
            topic.partitions.map { TopicPartition(topic.topic, $0) }
        }.sorted()
    }

    /// Encodes an assignment as a consumer would send it in SyncGroup (for tests and tools).
    public static func encode(_ partitions: [TopicPartition], version: Int16 = 0) -> ByteBuffer {
        var byTopic: [String: [Int32]] = [:]
        for tp in partitions { byTopic[tp.topic, default: []].append(tp.partition) }
        let assignment = ConsumerProtocolAssignment(
            assignedPartitions: byTopic.keys.sorted().map {
                ConsumerProtocolAssignment.TopicPartition(topic: $0, partitions: byTopic[$0] ?? [])
            })
        var writer = MessageWriter()
        writer.writeInt16(version)
        assignment.encode(to: &writer, version: version)
        return writer.finishAsByteBuffer() ?? ByteBuffer()
    }
}
