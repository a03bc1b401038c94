import BrokerCore

/// An ISR change notification, created persistent-sequential as
/// `/isr_change_notification/isr_change_<seq>`: Kafka's `IsrChangeNotificationSequenceZNode`,
/// JSON v1.
///
/// ```json
/// {"version":1,"partitions":[{"topic":"t","partition":0},{"topic":"t","partition":1}]}
/// ```
/// Partitions are written sorted.
public struct IsrChangeNotification: Hashable, Sendable {
    public var partitions: Set<TopicPartition>

    public init(partitions: Set<TopicPartition>) { self.partitions = partitions }

    public var json: KafkaJSON.Value {
        .object([
            ("version", .int(1)),
            (
                "partitions",
                .array(
                    partitions.sorted().map {
                        .object([("topic", .string($0.topic)), ("partition", KafkaJSON.int($0.partition))])
                    })
            ),
        ])
    }

    public func encoded() -> [UInt8] { json.bytes }

    public init(decoding data: [UInt8]) throws {
        let wire = try KafkaJSON.decode(Wire.self, from: data, znode: "ISR change notification")
        self.partitions = Set(wire.partitions.map { TopicPartition($0.topic, $0.partition) })
    }

    private struct Wire: Decodable {
        struct Partition: Decodable {
            var topic: String
            var partition: Int32
        }
        var partitions: [Partition]
    }
}
