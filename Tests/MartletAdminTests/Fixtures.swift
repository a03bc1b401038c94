import BrokerCore

@testable import MartletAdmin

/// Shared values for the formatter and report tests.
enum Fixtures {
    static let coordinator = BrokerInfo(id: BrokerID(2), address: BrokerAddress(host: "127.0.0.1", port: 19092))

    static func member(_ id: String, _ assignment: [TopicPartition], client: String = "consumer-g-1")
        -> GroupMemberDescription
    {
        GroupMemberDescription(memberID: id, clientID: client, clientHost: "/127.0.0.1", assignment: assignment)
    }

    static func group(_ state: String, members: [GroupMemberDescription], id: String = "g") -> GroupDescription {
        GroupDescription(
            groupID: id, state: state, protocolType: "consumer", assignmentStrategy: "range", members: members,
            coordinator: coordinator)
    }
}
