import BrokerAPI
import BrokerCore
import GroupCoordination
import Testing

@Suite struct GroupHandlersTests {
    @Test func registersTheClassicGroupAPIsWithTheAdvertisedRanges() {
        let handlers = GroupHandlers.make(
            coordinator: FakeGroupCoordinator(),
            cache: MetadataCache(ClusterMetadataImage(clusterID: "c", controllerID: BrokerID(1), brokers: [:])),
            offsetsTopic: nil)
        let registry = HandlerRegistry(handlers: handlers)
        let advertised = Dictionary(uniqueKeysWithValues: registry.advertisedVersions.map { ($0.apiKey, $0.minVersion...$0.maxVersion) })
        let expected: [Int16: ClosedRange<Int16>] = [
            8: 2...8, 9: 1...8, 10: 0...4, 11: 2...9, 12: 1...4, 13: 1...5, 14: 1...5, 15: 0...5, 16: 0...4, 42: 0...2,
            47: 0...0,
        ]
        for (key, range) in expected { #expect(advertised[key] == range, "API key \(key)") }
        // Only ApiVersions besides them; never ConsumerGroupHeartbeat (68).
        #expect(Set(advertised.keys) == Set(expected.keys).union([18]))
        #expect(registry.supportedVersions(apiKey: 68) == nil)
    }

    @Test func clientHostIsTheAddressAsKafkaPrintsIt() {
        #expect(GroupRequestContext.clientHost(fromAddress: "127.0.0.1:50123") == "/127.0.0.1")
        #expect(GroupRequestContext.clientHost(fromAddress: "::1:50123") == "/::1")
        #expect(GroupRequestContext.clientHost(fromAddress: "unknown") == "/unknown")
    }
}
