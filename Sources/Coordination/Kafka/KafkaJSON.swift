import Foundation

/// JSON for Kafka's znodes.
///
/// Encoding uses a tiny writer (`KafkaJSON.Value`) so output is deterministic, never throws, keeps
/// Kafka's field order (as in `ZkData.scala`'s documented examples, `version` first), writes
/// explicit `null`s where Kafka does, and does not escape `/`. Decoding uses Foundation's
/// `JSONDecoder`; unknown fields are ignored, as Kafka does.
public enum KafkaJSON {
    /// A JSON value with ordered object members.
    public indirect enum Value: Hashable, Sendable {
        case string(String)
        case int(Int64)
        case null
        case array([Value])
        case object([(String, Value)])

        public static func == (a: Value, b: Value) -> Bool { a.serialized == b.serialized }
        public func hash(into hasher: inout Hasher) { hasher.combine(serialized) }

        /// Compact JSON text.
        public var serialized: String {
            var out = ""
            write(to: &out)
            return out
        }

        /// UTF-8 bytes of the compact JSON text.
        public var bytes: [UInt8] { Array(serialized.utf8) }

        private func write(to out: inout String) {
            switch self {
            case .string(let string): Self.writeString(string, to: &out)
            case .int(let value): out += String(value)
            case .null: out += "null"
            case .array(let values):
                out += "["
                for (index, value) in values.enumerated() {
                    if index > 0 { out += "," }
                    value.write(to: &out)
                }
                out += "]"
            case .object(let members):
                out += "{"
                for (index, (key, value)) in members.enumerated() {
                    if index > 0 { out += "," }
                    Self.writeString(key, to: &out)
                    out += ":"
                    value.write(to: &out)
                }
                out += "}"
            }
        }

        private static func writeString(_ string: String, to out: inout String) {
            out += "\""
            for scalar in string.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case "\u{08}": out += "\\b"
                case "\u{0C}": out += "\\f"
                default:
                    if scalar.value < 0x20 {
                        let hex = String(scalar.value, radix: 16)
                        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
            out += "\""
        }
    }

    static func int<T: BinaryInteger>(_ value: T) -> Value { .int(Int64(value)) }

    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], znode: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch {
            throw KafkaZNodeDecodingError(znode: znode, reason: String(describing: error), data: bytes)
        }
    }
}

/// A znode's data is not in the format Kafka writes.
public struct KafkaZNodeDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Which znode kind was being decoded (e.g. "broker registration").
    public var znode: String
    public var reason: String
    public var data: [UInt8]

    public init(znode: String, reason: String, data: [UInt8]) {
        self.znode = znode
        self.reason = reason
        self.data = data
    }

    public var description: String {
        "cannot decode \(znode) from \(String(decoding: data, as: UTF8.self)): \(reason)"
    }
}

/// An integer Kafka writes either as a JSON number or as a string (e.g. `"timestamp":"1700000000000"`).
struct LenientInt64: Decodable {
    let value: Int64

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int64.self) {
            value = number
        } else if let text = try? container.decode(String.self), let number = Int64(text) {
            value = number
        } else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected an integer or integer string")
        }
    }
}
