import BrokerCore
import Coordination
import Testing

@Suite struct KafkaZNodePathsTests {
    @Test func pathsFollowKafkasLayout() {
        let partition = TopicPartition("orders", 3)
        #expect(KafkaZNodePaths.broker(BrokerID(1)) == "/brokers/ids/1")
        #expect(KafkaZNodePaths.topic("orders") == "/brokers/topics/orders")
        #expect(KafkaZNodePaths.topicPartitions("orders") == "/brokers/topics/orders/partitions")
        #expect(KafkaZNodePaths.partition(partition) == "/brokers/topics/orders/partitions/3")
        #expect(KafkaZNodePaths.partitionState(partition) == "/brokers/topics/orders/partitions/3/state")
        #expect(KafkaZNodePaths.deleteTopic("orders") == "/admin/delete_topics/orders")
        #expect(KafkaZNodePaths.configEntity(.topics, "orders") == "/config/topics/orders")
        #expect(KafkaZNodePaths.configChangeSequencePrefix == "/config/changes/config_change_")
        #expect(KafkaZNodePaths.isrChangeSequencePrefix == "/isr_change_notification/isr_change_")
        #expect(KafkaZNodePaths.controller == "/controller")
        #expect(KafkaZNodePaths.controllerEpoch == "/controller_epoch")
        #expect(KafkaZNodePaths.clusterID == "/cluster/id")
        #expect(KafkaZNodePaths.latestProducerIDBlock == "/latest_producer_id_block")
    }

    @Test func persistentPathsMatchKafkasStartupList() {
        #expect(
            KafkaZNodePaths.persistentPaths == [
                "/consumers", "/brokers/ids", "/brokers/topics", "/config/changes", "/admin/delete_topics",
                "/brokers/seqid", "/isr_change_notification", "/latest_producer_id_block",
                "/log_dir_event_notification", "/config/topics", "/config/clients", "/config/users",
                "/config/brokers", "/config/ips",
            ])
        #expect(KafkaZNodePaths.persistentPaths.allSatisfy { CoordinationPath.isValid($0) })
    }

    @Test func parsesChildNames() {
        #expect(KafkaZNodePaths.brokerID(fromChildName: "12") == BrokerID(12))
        #expect(KafkaZNodePaths.brokerID(fromChildName: "x") == nil)
        #expect(
            KafkaZNodePaths.sequenceNumber(
                ofChildName: "isr_change_0000000042", prefix: KafkaZNodePaths.isrChangePrefix)
                == 42)
        #expect(KafkaZNodePaths.sequenceNumber(ofChildName: "other_1", prefix: KafkaZNodePaths.isrChangePrefix) == nil)
    }
}
