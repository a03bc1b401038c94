import Testing

@testable import MartletAdmin

@Suite struct AdminCommandTests {
    @Test func createTopicCarriesPartitionsReplicationFactorAndConfigsInOrder() throws {
        let command = try AdminCommand.createTopic(
            name: "orders", partitions: 4, replicationFactor: 3,
            configs: ["retention.ms=1000", "cleanup.policy=compact", "x=a=b"])
        #expect(
            command
                == .createTopic(
                    NewTopic(
                        name: "orders", partitions: 4, replicationFactor: 3,
                        configs: [
                            ConfigPair(key: "retention.ms", value: "1000"),
                            ConfigPair(key: "cleanup.policy", value: "compact"), ConfigPair(key: "x", value: "a=b"),
                        ])))
    }

    @Test(arguments: ["novalue", "=v", " =v"])
    func createTopicRejectsAConfigThatIsNotKeyEqualsValue(_ config: String) {
        #expect(throws: AdminError.invalidArgument("Invalid config \"\(config)\": expected key=value")) {
            try AdminCommand.createTopic(name: "t", partitions: 1, replicationFactor: 1, configs: [config])
        }
    }

    @Test func emptyConfigValueIsAllowed() throws {
        #expect(try ConfigPair.parse("k=") == ConfigPair(key: "k", value: ""))
    }

    @Test func createTopicRejectsNonPositivePartitionsAndReplicationFactors() {
        #expect(throws: AdminError.invalidArgument("The partitions must be greater than 0")) {
            try AdminCommand.createTopic(name: "t", partitions: 0, replicationFactor: 1, configs: [])
        }
        #expect(throws: AdminError.invalidArgument("The replication factor must be between 1 and 32767 inclusive")) {
            try AdminCommand.createTopic(name: "t", partitions: 1, replicationFactor: 0, configs: [])
        }
        #expect(throws: AdminError.self) {
            try AdminCommand.createTopic(name: "t", partitions: 1, replicationFactor: 40_000, configs: [])
        }
    }

    @Test func describeSectionsDefaultToBothTables() {
        #expect(GroupDescribeSections.all.contains(.offsets) && GroupDescribeSections.all.contains(.state))
    }
}
