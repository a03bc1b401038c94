import BrokerCore

/// The last producer id block handed out, at `/latest_producer_id_block` (persistent): Kafka's
/// `ProducerIdBlockZNode`, JSON v1, block bounds as strings.
///
/// ```json
/// {"version":1,"broker":1,"block_start":"0","block_end":"999"}
/// ```
public struct ProducerIDBlock: Hashable, Sendable {
    /// Kafka's block size.
    public static let defaultSize: Int32 = 1000

    public var assignedBroker: BrokerID
    public var firstProducerID: ProducerID
    public var size: Int32

    public init(assignedBroker: BrokerID, firstProducerID: ProducerID, size: Int32 = defaultSize) {
        self.assignedBroker = assignedBroker
        self.firstProducerID = firstProducerID
        self.size = size
    }

    /// The last id of the block (inclusive).
    public var lastProducerID: ProducerID { ProducerID(firstProducerID.rawValue + Int64(size) - 1) }

    /// The block after this one, for `broker`.
    public func next(for broker: BrokerID) -> ProducerIDBlock {
        ProducerIDBlock(assignedBroker: broker, firstProducerID: ProducerID(lastProducerID.rawValue + 1), size: size)
    }

    public var json: KafkaJSON.Value {
        .object([
            ("version", .int(1)),
            ("broker", KafkaJSON.int(assignedBroker.rawValue)),
            ("block_start", .string(String(firstProducerID.rawValue))),
            ("block_end", .string(String(lastProducerID.rawValue))),
        ])
    }

    public func encoded() -> [UInt8] { json.bytes }

    public init(decoding data: [UInt8]) throws {
        let wire = try KafkaJSON.decode(Wire.self, from: data, znode: "producer id block")
        let start = wire.block_start.value
        let end = wire.block_end.value
        guard end >= start, end - start < Int64(Int32.max) else {
            throw KafkaZNodeDecodingError(znode: "producer id block", reason: "bad block bounds", data: data)
        }
        self.assignedBroker = BrokerID(wire.broker)
        self.firstProducerID = ProducerID(start)
        self.size = Int32(end - start + 1)
    }

    private struct Wire: Decodable {
        var broker: Int32
        var block_start: LenientInt64
        var block_end: LenientInt64
    }
}
