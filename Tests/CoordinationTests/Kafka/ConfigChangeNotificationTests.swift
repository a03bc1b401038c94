import Coordination
import Testing

@Suite struct ConfigChangeNotificationTests {
    @Test func roundTripsKafkasVersion2() throws {
        let kafka = #"{"version":2,"entity_path":"topics/orders"}"#
        let notification = try ConfigChangeNotification(decoding: Array(kafka.utf8))
        #expect(notification == ConfigChangeNotification(entityType: .topics, entityName: "orders"))
        #expect(notification.entityType == .topics)
        #expect(notification.entityName == "orders")
        #expect(String(decoding: notification.encoded(), as: UTF8.self) == kafka)
    }

    @Test func decodesVersion1() throws {
        let v1 = #"{"version":1,"entity_type":"clients","entity_name":"app"}"#
        #expect(try ConfigChangeNotification(decoding: Array(v1.utf8)).entityPath == "clients/app")
        #expect(throws: KafkaZNodeDecodingError.self) {
            try ConfigChangeNotification(decoding: Array(#"{"version":2}"#.utf8))
        }
    }
}
