import BrokerCore
import Testing

@testable import MartletAdmin

@Suite struct GroupsFormatterTests {
    @Test func offsetsTableHasKafkasColumnsWidthsAndDashes() {
        let description = Fixtures.group(
            "Stable", members: [Fixtures.member("consumer-g-1-0a1b2c3d-aaaa-bbbb-cccc-0123456789ab", [TopicPartition("t", 0)])])
        let report = GroupOffsetsReport(
            description: description,
            committed: [TopicPartition("t", 0): CommittedOffset(offset: Offset(3))],
            logEndOffsets: [TopicPartition("t", 0): Offset(10)])
        var withUnassigned = report
        withUnassigned.rows.append(
            GroupOffsetsRow(
                group: "g", topic: "t", partition: 1, currentOffset: Offset(7), logEndOffset: nil, lag: nil,
                consumerID: nil, host: nil, clientID: nil))
        let memberID = "consumer-g-1-0a1b2c3d-aaaa-bbbb-cccc-0123456789ab"
        let pad = String(repeating: " ", count: memberID.count - 1)
        let expected =
            "\n"
            + "GROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             CONSUMER-ID"
            + String(repeating: " ", count: memberID.count - 11) + " HOST            CLIENT-ID\n"
            + "g               t               0          3               10              7               "
            + memberID + " /127.0.0.1      consumer-g-1\n"
            + "g               t               1          7               -               -               -" + pad
            + " -               -\n"
        #expect(GroupsFormatter.offsets(withUnassigned) == expected)
    }

    @Test func noRowsPrintNoTable() {
        let report = GroupOffsetsReport(description: Fixtures.group("Empty", members: []), committed: [:], logEndOffsets: [:])
        #expect(GroupsFormatter.offsets(report) == "")
    }

    @Test func stateTableNamesCoordinatorStrategyStateAndMemberCount() {
        let description = Fixtures.group("Stable", members: [Fixtures.member("a", []), Fixtures.member("b", [])])
        let expected =
            "\n"
            + "GROUP           COORDINATOR (ID)          ASSIGNMENT-STRATEGY  STATE                #MEMBERS\n"
            + "g               127.0.0.1:19092 (2)       range                Stable               2\n"
        #expect(GroupsFormatter.state(description) == expected)
    }

    @Test func notesForEmptyAndRebalancingGroupsAreKafkas() {
        func notes(_ state: String) -> String {
            GroupsFormatter.notes(
                GroupOffsetsReport(description: Fixtures.group(state, members: []), committed: [:], logEndOffsets: [:]))
        }
        #expect(notes("Empty") == "\nConsumer group 'g' has no active members.\n")
        #expect(notes("PreparingRebalance") == "\nWarning: Consumer group 'g' is rebalancing.\n")
        #expect(notes("Stable") == "")
    }

    @Test func listPrintsOneGroupPerLine() {
        #expect(
            GroupsFormatter.list([GroupListing(groupID: "a", protocolType: "consumer"), GroupListing(groupID: "b", protocolType: "")])
                == "a\nb\n")
    }

    @Test func deleteReportsSuccessOrEachFailure() {
        #expect(
            GroupsFormatter.deleted(["a": 0, "b": 0], order: ["a", "b"])
                == ("Deletion of requested consumer groups ('a', 'b') was successful.\n", ""))
        let mixed = GroupsFormatter.deleted(["a": 0, "b": 69, "c": 68], order: ["a", "b", "c"])
        #expect(mixed.stdout == "These consumer groups were deleted successfully: 'a'\n")
        #expect(
            mixed.stderr
                == "Error: Deletion of some consumer groups failed:\n"
                + "* Group 'b' could not be deleted due to: Consumer group 'b' does not exist.\n"
                + "* Group 'c' could not be deleted due to: The group is not empty.\n")
    }

    @Test func unknownGroupErrorIsKafkasMessage() {
        #expect(GroupsFormatter.error(AdminError.groupDoesNotExist("G")) == "Error: Consumer group 'G' does not exist.\n")
    }
}
