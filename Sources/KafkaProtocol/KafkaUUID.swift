/// Kafka's 128-bit `uuid` wire type (topic ids, directory ids), written as 16 big-endian bytes.
///
/// `description` is Kafka's own text form: URL-safe base64 without padding (22 characters), as
/// printed by `kafka-topics.sh --describe`.
public struct KafkaUUID: Hashable, Sendable, CustomStringConvertible {
    /// The first 8 bytes, big-endian.
    public var high: UInt64
    /// The last 8 bytes, big-endian.
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The all-zero id Kafka uses for "no id" (`Uuid.ZERO_UUID`).
    public static let zero = KafkaUUID(high: 0, low: 0)

    /// A random version-4 id that is neither `.zero` nor Kafka's reserved `METADATA_TOPIC_ID`
    /// (0…01) and whose text form does not start with "-" (Kafka's `Uuid.randomUuid` rules).
    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> KafkaUUID {
        while true {
            var high = generator.next() as UInt64
            var low = generator.next() as UInt64
            high = (high & ~0xF000) | 0x4000  // version 4
            low = (low & ~(0xC000 << 48)) | (0x8000 << 48)  // IETF variant
            let id = KafkaUUID(high: high, low: low)
            if id != .zero, id != KafkaUUID(high: 0, low: 1), !id.description.hasPrefix("-") {
                return id
            }
        }
    }

    /// A random id from the system generator; see `random(using:)`.
    public static func random() -> KafkaUUID {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    /// The 16 bytes in wire order.
    public var bytes: [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: high >> (56 - 8 * $0)) }
            + (0..<8).map { UInt8(truncatingIfNeeded: low >> (56 - 8 * $0)) }
    }

    public var description: String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(22)
        let input = bytes
        var index = 0
        while index < input.count {
            let chunk = input[index..<min(index + 3, input.count)]
            var value: UInt32 = 0
            for (offset, byte) in chunk.enumerated() { value |= UInt32(byte) << (16 - 8 * offset) }
            let characters = chunk.count + 1
            for position in 0..<characters {
                out.append(alphabet[Int((value >> (18 - 6 * position)) & 0x3F)])
            }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
