import Coordination
import Testing

@Suite struct KafkaJSONTests {
    @Test func writesCompactJSONInMemberOrder() {
        let value = KafkaJSON.Value.object([
            ("version", .int(1)), ("b", .array([.int(-1), .null, .string("x")])), ("a", .object([])),
        ])
        #expect(value.serialized == #"{"version":1,"b":[-1,null,"x"],"a":{}}"#)
        #expect(value.bytes == Array(value.serialized.utf8))
    }

    @Test func escapesStringsButNotSlashes() {
        let value = KafkaJSON.Value.string("a\"b\\c/d\n\t\u{1}é")
        #expect(value.serialized == #""a\"b\\c/d\n\t\u0001é""#)
    }

    @Test func decodingErrorsNameTheZnode() {
        #expect(throws: KafkaZNodeDecodingError.self) { try ControllerRegistration(decoding: Array("{".utf8)) }
        do {
            _ = try ControllerRegistration(decoding: Array("[]".utf8))
            Issue.record("decoded an array as a controller registration")
        } catch let error as KafkaZNodeDecodingError {
            #expect(error.znode == "controller registration")
            #expect(error.data == Array("[]".utf8))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
