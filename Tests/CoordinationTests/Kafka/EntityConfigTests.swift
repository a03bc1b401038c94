import Coordination
import Testing

@Suite struct EntityConfigTests {
    @Test func roundTripsKafkasTopicConfig() throws {
        let kafka = #"{"version":1,"config":{"cleanup.policy":"compact","retention.ms":"1000"}}"#
        let config = try EntityConfig(decoding: Array(kafka.utf8))
        #expect(config.config == ["cleanup.policy": "compact", "retention.ms": "1000"])
        #expect(String(decoding: config.encoded(), as: UTF8.self) == kafka)
    }

    @Test func emptyDataMeansNoConfig() throws {
        #expect(try EntityConfig(decoding: []) == EntityConfig())
        #expect(String(decoding: EntityConfig().encoded(), as: UTF8.self) == #"{"version":1,"config":{}}"#)
    }
}
