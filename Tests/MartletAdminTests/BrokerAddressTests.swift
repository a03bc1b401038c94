import Testing

@testable import MartletAdmin

@Suite struct BrokerAddressTests {
    @Test func parsesACommaSeparatedListIgnoringSpacesAndEmptyEntries() throws {
        let list = try BrokerAddress.parseList(" 127.0.0.1:9092, kafka-1:19092,,[::1]:9093 ")
        #expect(
            list == [
                BrokerAddress(host: "127.0.0.1", port: 9092), BrokerAddress(host: "kafka-1", port: 19092),
                BrokerAddress(host: "::1", port: 9093),
            ])
        #expect(list.map(\.description) == ["127.0.0.1:9092", "kafka-1:19092", "[::1]:9093"])
    }

    @Test(arguments: ["localhost", "localhost:", ":9092", "host:0", "host:70000", "host:x", "::1:9092", "[]:1", "[::1:9"])
    func rejectsAnEntryWithoutHostAndValidPort(_ text: String) {
        #expect(throws: AdminError.invalidArgument("Invalid url in bootstrap.servers: \(text)")) {
            try BrokerAddress.parseList(text)
        }
    }

    @Test func rejectsAListWithNoEntries() {
        #expect(throws: AdminError.self) { try BrokerAddress.parseList(" , ") }
    }
}
