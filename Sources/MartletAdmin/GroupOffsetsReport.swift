import BrokerCore

/// One row of `martlet groups describe`: a partition of a group with its committed offset, log
/// end offset and lag, and the member it is assigned to. `nil` fields print as `-`.
public struct GroupOffsetsRow: Hashable, Sendable {
    public var group: String
    public var topic: String?
    public var partition: Int32?
    public var currentOffset: Offset?
    public var logEndOffset: Offset?
    public var lag: Int64?
    public var consumerID: String?
    public var host: String?
    public var clientID: String?

    public init(
        group: String, topic: String?, partition: Int32?, currentOffset: Offset?, logEndOffset: Offset?, lag: Int64?,
        consumerID: String?, host: String?, clientID: String?
    ) {
        self.group = group
        self.topic = topic
        self.partition = partition
        self.currentOffset = currentOffset
        self.logEndOffset = logEndOffset
        self.lag = lag
        self.consumerID = consumerID
        self.host = host
        self.clientID = clientID
    }
}

/// A group's offsets view, built (without I/O) from DescribeGroups, OffsetFetch and ListOffsets
/// results the way Kafka's `kafka-consumer-groups --describe` builds it:
/// - members with assigned partitions first, the member with most partitions first (ties by
///   member id), one row per assigned partition in (topic, partition) order;
/// - then committed partitions assigned to no member, with consumer, host and client `-`;
/// - lag = log end offset − committed offset when both are known.
public struct GroupOffsetsReport: Sendable, Hashable {
    public var description: GroupDescription
    public var rows: [GroupOffsetsRow]

    public init(
        description: GroupDescription, committed: [TopicPartition: CommittedOffset],
        logEndOffsets: [TopicPartition: Offset]
    ) {
        self.description = description
        let group = description.groupID
        func row(_ tp: TopicPartition, _ member: GroupMemberDescription?) -> GroupOffsetsRow {
            let current = committed[tp]?.offset
            let end = logEndOffsets[tp]
            let lag: Int64? = if let current, let end { end - current } else { nil }
            return GroupOffsetsRow(
                group: group, topic: tp.topic, partition: tp.partition, currentOffset: current, logEndOffset: end,
                lag: lag, consumerID: member?.memberID, host: member?.clientHost, clientID: member?.clientID)
        }
        let members = description.members.filter { !$0.assignment.isEmpty }.sorted {
            ($0.assignment.count, $1.memberID) > ($1.assignment.count, $0.memberID)
        }
        var rows: [GroupOffsetsRow] = []
        var assigned = Set<TopicPartition>()
        for member in members {
            for tp in member.assignment.sorted() where assigned.insert(tp).inserted {
                rows.append(row(tp, member))
            }
        }
        for tp in committed.keys.sorted() where !assigned.contains(tp) {
            rows.append(row(tp, nil))
        }
        self.rows = rows
    }

    /// The partitions whose log end offsets the report needs: every assigned or committed one.
    public static func partitions(
        of description: GroupDescription, committed: [TopicPartition: CommittedOffset]
    ) -> Set<TopicPartition> {
        Set(description.members.flatMap(\.assignment)).union(committed.keys)
    }

    /// Kafka's rebalancing states.
    public var isRebalancing: Bool {
        ["PreparingRebalance", "CompletingRebalance", "Assigning", "Reconciling"].contains(description.state)
    }
}
