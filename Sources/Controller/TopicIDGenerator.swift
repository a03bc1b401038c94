/// Random topic ids in Kafka's text form: 16 random bytes, URL-safe base64 without padding
/// (22 characters), never starting with `-` and never the all-zero or metadata ids (Kafka's
/// `Uuid.randomUuid`).
enum TopicIDGenerator {
    static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    static func random(using generator: inout some RandomNumberGenerator) -> String {
        while true {
            var bytes: [UInt8] = []
            for _ in 0..<2 {
                let word = generator.next() as UInt64
                for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
            }
            let isZero = bytes.allSatisfy { $0 == 0 }
            let isMetadata = bytes.dropLast().allSatisfy { $0 == 0 } && bytes.last == 1
            let text = base64URL(bytes)
            if !isZero && !isMetadata && !text.hasPrefix("-") { return text }
        }
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    static func base64URL(_ bytes: [UInt8]) -> String {
        var out = ""
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            var value: UInt32 = 0
            for (offset, byte) in chunk.enumerated() { value |= UInt32(byte) << UInt32(16 - 8 * offset) }
            let characters = chunk.count + 1
            for position in 0..<characters {
                out.append(alphabet[Int((value >> UInt32(18 - 6 * position)) & 0x3F)])
            }
            index += 3
        }
        return out
    }
}
