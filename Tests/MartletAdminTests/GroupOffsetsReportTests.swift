import BrokerCore
import Testing

@testable import MartletAdmin

@Suite struct GroupOffsetsReportTests {
    @Test func rowsFollowMembersByAssignmentSizeThenUnassignedCommittedPartitions() {
        let small = Fixtures.member("m-b", [TopicPartition("t", 3)])
        let big = Fixtures.member("m-a", [TopicPartition("t", 2), TopicPartition("t", 0)])
        let idle = Fixtures.member("m-c", [])
        let description = Fixtures.group("Stable", members: [small, idle, big])
        let committed: [TopicPartition: CommittedOffset] = [
            TopicPartition("t", 0): CommittedOffset(offset: Offset(5)),
            TopicPartition("t", 3): CommittedOffset(offset: Offset(9)),
            TopicPartition("old", 1): CommittedOffset(offset: Offset(4)),
        ]
        let ends: [TopicPartition: Offset] = [
            TopicPartition("t", 0): Offset(10), TopicPartition("t", 2): Offset(3), TopicPartition("t", 3): Offset(9),
        ]
        let report = GroupOffsetsReport(description: description, committed: committed, logEndOffsets: ends)
        #expect(
            report.rows == [
                GroupOffsetsRow(
                    group: "g", topic: "t", partition: 0, currentOffset: Offset(5), logEndOffset: Offset(10), lag: 5,
                    consumerID: "m-a", host: "/127.0.0.1", clientID: "consumer-g-1"),
                GroupOffsetsRow(
                    group: "g", topic: "t", partition: 2, currentOffset: nil, logEndOffset: Offset(3), lag: nil,
                    consumerID: "m-a", host: "/127.0.0.1", clientID: "consumer-g-1"),
                GroupOffsetsRow(
                    group: "g", topic: "t", partition: 3, currentOffset: Offset(9), logEndOffset: Offset(9), lag: 0,
                    consumerID: "m-b", host: "/127.0.0.1", clientID: "consumer-g-1"),
                GroupOffsetsRow(
                    group: "g", topic: "old", partition: 1, currentOffset: Offset(4), logEndOffset: nil, lag: nil,
                    consumerID: nil, host: nil, clientID: nil),
            ])
    }

    @Test func partitionsToQueryAreAssignedAndCommittedOnes() {
        let description = Fixtures.group("Stable", members: [Fixtures.member("m", [TopicPartition("t", 1)])])
        let committed = [TopicPartition("u", 0): CommittedOffset(offset: Offset(1))]
        #expect(
            GroupOffsetsReport.partitions(of: description, committed: committed)
                == [TopicPartition("t", 1), TopicPartition("u", 0)])
    }

    @Test func equalSizedMembersAreOrderedByMemberID() {
        let description = Fixtures.group(
            "Stable",
            members: [Fixtures.member("z", [TopicPartition("t", 0)]), Fixtures.member("a", [TopicPartition("t", 1)])])
        let report = GroupOffsetsReport(description: description, committed: [:], logEndOffsets: [:])
        #expect(report.rows.map(\.consumerID) == ["a", "z"])
    }

    @Test(arguments: [("PreparingRebalance", true), ("CompletingRebalance", true), ("Stable", false), ("Empty", false)])
    func rebalancingStatesAreKafkas(_ state: String, _ rebalancing: Bool) {
        let report = GroupOffsetsReport(description: Fixtures.group(state, members: []), committed: [:], logEndOffsets: [:])
        #expect(report.isRebalancing == rebalancing)
    }
}
