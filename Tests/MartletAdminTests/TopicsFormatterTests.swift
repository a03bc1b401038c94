import BrokerCore
import KafkaProtocol
import Testing

@testable import MartletAdmin

@Suite struct TopicsFormatterTests {
    let topic = TopicDescription(
        name: "orders", topicID: .zero,
        partitions: [
            PartitionDescription(
                partition: 0, leader: BrokerID(1), replicas: [BrokerID(1), BrokerID(2)], isr: [BrokerID(1), BrokerID(2)]),
            PartitionDescription(
                partition: 1, leader: .none, replicas: [BrokerID(2), BrokerID(0)], isr: [],
                offlineReplicas: [BrokerID(2), BrokerID(0)], errorCode: 5),
        ])

    @Test func describeShapesLikeKafkaTopics() {
        let configs = [ConfigEntry(name: "retention.ms", value: "1000", source: 1)]
        let expected =
            "Topic: orders\tPartitionCount: 2\tReplicationFactor: 2\tConfigs: retention.ms=1000\n"
            + "\tTopic: orders\tPartition: 0\tLeader: 1\tReplicas: 1,2\tIsr: 1,2\tElr: N/A\tLastKnownElr: N/A\n"
            + "\tTopic: orders\tPartition: 1\tLeader: none\tReplicas: 2,0\tIsr: \tElr: N/A\tLastKnownElr: N/A\tOffline: 2,0\n"
        #expect(TopicsFormatter.describe(topic, configs: configs) == expected)
    }

    @Test func describeShowsANonZeroTopicID() {
        var withID = topic
        withID.topicID = KafkaUUID(high: 1, low: 2)
        #expect(TopicsFormatter.describe(withID, configs: []).hasPrefix("Topic: orders\tTopicId: \(withID.topicID)\tPartitionCount: 2"))
    }

    @Test func onlyNonDefaultConfigsAreShown() {
        let entries = [
            ConfigEntry(name: "a", value: "1", source: 1), ConfigEntry(name: "b", value: "2", source: 5),
            ConfigEntry(name: "c", value: "3", source: 4),
        ]
        #expect(TopicsFormatter.nonDefault(entries).map(\.name) == ["a", "c"])
    }

    @Test func listCreateAndErrorLines() {
        #expect(TopicsFormatter.list(["a", "b"]) == "a\nb\n")
        #expect(TopicsFormatter.created("t") == "Created topic t.\n")
        #expect(
            TopicsFormatter.error(AdminError.topicDoesNotExist("t"))
                == "Error while executing topic command : Topic 't' does not exist as expected\n")
    }
}
