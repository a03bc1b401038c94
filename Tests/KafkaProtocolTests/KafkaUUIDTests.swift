import KafkaProtocol
import Testing

@Suite("KafkaUUID")
struct KafkaUUIDTests {
    @Test("text form is Kafka's URL-safe base64 without padding")
    func description() {
        #expect(KafkaUUID.zero.description == "AAAAAAAAAAAAAAAAAAAAAA")
        #expect(KafkaUUID(high: 0, low: 1).description == "AAAAAAAAAAAAAAAAAAAAAQ")
        #expect(KafkaUUID(high: .max, low: .max).description == "_____________________w")
        #expect(KafkaUUID(high: 0x01A1_FF53_635B_7530, low: 0xAFC0_767A_2213_3E24).description == "AaH_U2NbdTCvwHZ6IhM-JA")
    }

    @Test("random ids are version 4, never zero, never start with '-'")
    func random() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let id = KafkaUUID.random(using: &generator)
            #expect(id != .zero)
            #expect((id.high >> 12) & 0xF == 4)
            #expect(!id.description.hasPrefix("-"))
            #expect(id.bytes.count == 16)
        }
    }
}
