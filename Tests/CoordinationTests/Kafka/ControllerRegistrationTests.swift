import BrokerCore
import Coordination
import Testing

@Suite struct ControllerRegistrationTests {
    @Test func roundTripsKafkasVersion2() throws {
        let kafka = #"{"version":2,"brokerid":1,"timestamp":"1700000000000","kraftControllerEpoch":-1}"#
        let registration = try ControllerRegistration(decoding: Array(kafka.utf8))
        #expect(registration == ControllerRegistration(brokerID: BrokerID(1), timestamp: 1_700_000_000_000))
        #expect(String(decoding: registration.encoded(), as: UTF8.self) == kafka)
    }

    @Test func decodesVersion1() throws {
        let v1 = #"{"version":1,"brokerid":3,"timestamp":"1"}"#
        let registration = try ControllerRegistration(decoding: Array(v1.utf8))
        #expect(registration.brokerID == BrokerID(3))
        #expect(registration.kraftControllerEpoch == -1)
    }

    @Test func controllerEpochIsAPlainInteger() throws {
        #expect(ControllerEpochZNode.encode(ControllerEpoch(7)) == Array("7".utf8))
        #expect(try ControllerEpochZNode.decode(Array("42".utf8)) == ControllerEpoch(42))
        #expect(try ControllerEpochZNode.decode(Array("42\n".utf8)) == ControllerEpoch(42))
        #expect(throws: KafkaZNodeDecodingError.self) { try ControllerEpochZNode.decode(Array("x".utf8)) }
        #expect(throws: KafkaZNodeDecodingError.self) { try ControllerEpochZNode.decode([]) }
    }
}
