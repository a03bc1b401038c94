import BrokerCore
import Coordination
import Testing

@Suite struct BrokerRegistrationTests {
    /// What a Kafka 3.9 broker writes at /brokers/ids/1 (field order as Kafka documents it).
    static let kafkaV5 = #"""
        {"version":5,"host":"broker1","port":9092,"endpoints":["PLAINTEXT://broker1:9092","SSL://broker1:9093"],\#
        "jmx_port":-1,"timestamp":"1700000000000","rack":"rack-a",\#
        "listener_security_protocol_map":{"PLAINTEXT":"PLAINTEXT","SSL":"SSL"},\#
        "features":{"metadata.version":{"min_version":1,"max_version":21}}}
        """#

    @Test func decodesKafkasVersion5() throws {
        let registration = try BrokerRegistration(brokerID: BrokerID(1), decoding: Array(Self.kafkaV5.utf8))
        #expect(registration.brokerID == BrokerID(1))
        #expect(registration.version == 5)
        #expect(
            registration.endpoints == [
                BrokerEndpoint(listenerName: "PLAINTEXT", host: "broker1", port: 9092, securityProtocol: "PLAINTEXT"),
                BrokerEndpoint(listenerName: "SSL", host: "broker1", port: 9093, securityProtocol: "SSL"),
            ])
        #expect(registration.rack == "rack-a")
        #expect(registration.jmxPort == -1)
        #expect(registration.timestamp == 1_700_000_000_000)
        #expect(registration.features == ["metadata.version": SupportedFeatureRange(minVersion: 1, maxVersion: 21)])
    }

    @Test func encodesVersion5InKafkasShape() {
        let registration = BrokerRegistration(
            brokerID: BrokerID(1),
            endpoints: [
                BrokerEndpoint(listenerName: "PLAINTEXT", host: "broker1", port: 9092, securityProtocol: "PLAINTEXT"),
                BrokerEndpoint(listenerName: "SSL", host: "broker1", port: 9093, securityProtocol: "SSL"),
            ],
            rack: "rack-a", timestamp: 1_700_000_000_000,
            features: ["metadata.version": SupportedFeatureRange(minVersion: 1, maxVersion: 21)])
        #expect(String(decoding: registration.encoded(), as: UTF8.self) == Self.kafkaV5)
    }

    @Test func withoutPlaintextListenerHostIsNullAndPortMinusOne() throws {
        let registration = BrokerRegistration(
            brokerID: BrokerID(2),
            endpoints: [BrokerEndpoint(listenerName: "INTERNAL", host: "::1", port: 9094, securityProtocol: "SSL")],
            timestamp: 5)
        let json = String(decoding: registration.encoded(), as: UTF8.self)
        #expect(
            json == #"{"version":5,"host":null,"port":-1,"endpoints":["INTERNAL://[::1]:9094"],"jmx_port":-1,"#
                + #""timestamp":"5","listener_security_protocol_map":{"INTERNAL":"SSL"},"features":{}}"#)
        #expect(try BrokerRegistration(brokerID: BrokerID(2), decoding: registration.encoded()) == registration)
    }

    @Test func decodesOlderVersions() throws {
        let v1 = #"{"version":1,"host":"localhost","port":9092,"jmx_port":9999,"timestamp":"2233345666"}"#
        let old = try BrokerRegistration(brokerID: BrokerID(3), decoding: Array(v1.utf8))
        #expect(
            old.endpoints == [
                BrokerEndpoint(listenerName: "PLAINTEXT", host: "localhost", port: 9092, securityProtocol: "PLAINTEXT")
            ])
        #expect(old.jmxPort == 9999)
        #expect(old.version == 1)

        let v4 = #"""
            {"version":4,"host":"localhost","port":9092,"jmx_port":9999,"timestamp":"2233345666",\#
            "endpoints":["CLIENT://host1:9092","REPLICATION://host1:9093"],"rack":"dc1",\#
            "listener_security_protocol_map":{"CLIENT":"SASL_SSL","REPLICATION":"PLAINTEXT"}}
            """#
        let multi = try BrokerRegistration(brokerID: BrokerID(4), decoding: Array(v4.utf8))
        #expect(multi.endpoints.map(\.securityProtocol) == ["SASL_SSL", "PLAINTEXT"])
        #expect(multi.endpoints.map(\.connectionString) == ["CLIENT://host1:9092", "REPLICATION://host1:9093"])
        #expect(multi.features.isEmpty)
    }

    @Test func rejectsMalformedRegistrations() {
        #expect(throws: KafkaZNodeDecodingError.self) {
            try BrokerRegistration(brokerID: BrokerID(1), decoding: Array(#"{"version":0}"#.utf8))
        }
        #expect(throws: KafkaZNodeDecodingError.self) {
            try BrokerRegistration(
                brokerID: BrokerID(1), decoding: Array(#"{"version":5,"endpoints":["nonsense"]}"#.utf8))
        }
        #expect(throws: KafkaZNodeDecodingError.self) {
            try BrokerRegistration(brokerID: BrokerID(1), decoding: [0xFF, 0x00])
        }
    }

    @Test func parsesEndpointConnectionStrings() {
        #expect(
            BrokerEndpoint(connectionString: "PLAINTEXT://:9092")
                == BrokerEndpoint(listenerName: "PLAINTEXT", host: "", port: 9092, securityProtocol: "PLAINTEXT"))
        #expect(BrokerEndpoint(connectionString: "SSL://[fe80::1]:9093")?.host == "fe80::1")
        #expect(BrokerEndpoint(connectionString: "host:9092") == nil)
        #expect(BrokerEndpoint(connectionString: "PLAINTEXT://host") == nil)
    }
}
