import BrokerCore
import Coordination
import Testing

@Suite struct IsrChangeNotificationTests {
    @Test func roundTripsKafkasNotification() throws {
        let kafka =
            #"{"version":1,"partitions":[{"topic":"a","partition":0},{"topic":"a","partition":2},{"topic":"b","partition":1}]}"#
        let notification = try IsrChangeNotification(decoding: Array(kafka.utf8))
        #expect(notification.partitions == [TopicPartition("a", 0), TopicPartition("a", 2), TopicPartition("b", 1)])
        #expect(String(decoding: notification.encoded(), as: UTF8.self) == kafka)
    }
}
