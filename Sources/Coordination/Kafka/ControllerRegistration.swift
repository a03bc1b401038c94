import BrokerCore
import Foundation

/// The elected controller at `/controller` (ephemeral): Kafka's `ControllerZNode`, JSON v2.
///
/// ```json
/// {"version":2,"brokerid":1,"timestamp":"1700000000000","kraftControllerEpoch":-1}
/// ```
/// Decoding accepts v1 (without `kraftControllerEpoch`).
public struct ControllerRegistration: Hashable, Sendable {
    public var brokerID: BrokerID
    /// Election time, milliseconds since the Unix epoch.
    public var timestamp: Int64
    /// -1 for a ZooKeeper-mode controller (the field exists for KRaft migration).
    public var kraftControllerEpoch: Int32

    public init(brokerID: BrokerID, timestamp: Int64, kraftControllerEpoch: Int32 = -1) {
        self.brokerID = brokerID
        self.timestamp = timestamp
        self.kraftControllerEpoch = kraftControllerEpoch
    }

    public var json: KafkaJSON.Value {
        .object([
            ("version", .int(2)),
            ("brokerid", KafkaJSON.int(brokerID.rawValue)),
            ("timestamp", .string(String(timestamp))),
            ("kraftControllerEpoch", KafkaJSON.int(kraftControllerEpoch)),
        ])
    }

    public func encoded() -> [UInt8] { json.bytes }

    public init(decoding data: [UInt8]) throws {
        let wire = try KafkaJSON.decode(Wire.self, from: data, znode: "controller registration")
        self.brokerID = BrokerID(wire.brokerid)
        self.timestamp = wire.timestamp?.value ?? -1
        self.kraftControllerEpoch = wire.kraftControllerEpoch ?? -1
    }

    private struct Wire: Decodable {
        var brokerid: Int32
        var timestamp: LenientInt64?
        var kraftControllerEpoch: Int32?
    }
}

/// `/controller_epoch` (persistent): the epoch as a plain decimal string, e.g. `3`.
/// Its znode version is what every controller write checks (the controller epoch zkVersion).
public enum ControllerEpochZNode {
    public static func encode(_ epoch: ControllerEpoch) -> [UInt8] { Array(String(epoch.rawValue).utf8) }

    public static func decode(_ data: [UInt8]) throws -> ControllerEpoch {
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let value = Int32(text) else {
            throw KafkaZNodeDecodingError(znode: "controller epoch", reason: "not an integer", data: data)
        }
        return ControllerEpoch(value)
    }
}
