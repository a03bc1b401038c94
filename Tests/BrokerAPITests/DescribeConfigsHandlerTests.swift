import BrokerAPI
import BrokerCore
import KafkaProtocol
import NIOCore
import NIOPosix
import Synchronization
import Testing

private struct StoreFailure: Error {}

/// Topic overrides in memory; "broken" fails to read.
private final class MemoryConfigStore: TopicConfigStore {
    let configs = Mutex<[String: [String: String]]>(["a": ["retention.ms": "1000"], "b": [:], "broken": [:]])
    func topicExists(_ topic: String) async throws -> Bool { configs.withLock { $0[topic] != nil } }
    func topicConfig(_ topic: String) async throws -> [String: String] {
        if topic == "broken" { throw StoreFailure() }
        return configs.withLock { $0[topic] ?? [:] }
    }
    func setTopicConfig(_ topic: String, _ config: [String: String]) async throws {
        configs.withLock { $0[topic] = config }
    }
}

@Suite struct DescribeConfigsHandlerTests {
    private let group = MultiThreadedEventLoopGroup.singleton

    private func run(_ resources: [DescribeConfigsRequest.DescribeConfigsResource], synonyms: Bool = false, version: Int16 = 4)
        async throws -> DescribeConfigsResponse
    {
        let partition = PartitionImage(
            index: 0, leader: BrokerID(0), leaderEpoch: LeaderEpoch(0), replicas: [BrokerID(0)], isr: [BrokerID(0)])
        var topics: [String: TopicImage] = [:]
        for name in ["a", "b", "broken"] { topics[name] = TopicImage(name: name, partitions: [partition]) }
        let cache = MetadataCache(ClusterMetadataImage(clusterID: "c", controllerID: BrokerID(0), brokers: [:], topics: topics))
        let handler = DescribeConfigsHandler(
            store: MemoryConfigStore(), cache: cache, brokerID: BrokerID(1),
            brokerProperties: ["broker.id": "1", "log.retention.hours": "24", "ssl.key.password": "secret"])
        let registry = HandlerRegistry(handlers: [handler])
        var body = encodeBody(
            DescribeConfigsRequest(resources: resources, includeSynonyms: synonyms, includeDocumentation: true), version: version)
        let context = RequestContext(
            apiKey: 32, apiVersion: version, correlationID: 1, clientID: "t", clientAddress: "x", listenerName: "PLAINTEXT",
            eventLoop: group.next())
        guard case .later(let future) = registry.dispatch(body: &body, context: context) else {
            throw TestFailure("expected a deferred response")
        }
        return try decodeFrame(try await future.get(), as: DescribeConfigsResponse.self, version: version).response
    }

    private func topic(_ name: String, keys: [String]? = nil) -> DescribeConfigsRequest.DescribeConfigsResource {
        .init(resourceType: 2, resourceName: name, configurationKeys: keys)
    }

    @Test(arguments: [Int16(1), 3, 4]) func topicOverridesAndDefaults(version: Int16) async throws {
        let response = try await run([topic("a")], version: version)
        let result = try #require(response.results.first)
        #expect(result.errorCode == 0)
        let byName = Dictionary(uniqueKeysWithValues: result.configs.map { ($0.name, $0) })
        #expect(byName["retention.ms"]?.value == "1000")
        #expect(byName["retention.ms"]?.configSource == ConfigSource.topicConfig.rawValue)
        #expect(byName["segment.bytes"]?.value == "1073741824")
        #expect(byName["segment.bytes"]?.configSource == ConfigSource.defaultConfig.rawValue)
        #expect(byName["cleanup.policy"]?.value == "delete")
        #expect(byName["min.insync.replicas"] != nil)
        #expect(result.configs.allSatisfy { !$0.readOnly && $0.synonyms.isEmpty })
        if version >= 3 { #expect(byName["retention.ms"]?.configType == ConfigType.long.rawValue) }
    }

    @Test func staticBrokerSynonymsAreConvertedAndListed() async throws {
        let response = try await run([topic("b", keys: ["retention.ms"])], synonyms: true)
        let config = try #require(response.results.first?.configs.first)
        #expect(response.results[0].configs.count == 1)
        #expect(config.value == "86400000")
        #expect(config.configSource == ConfigSource.staticBrokerConfig.rawValue)
        #expect(config.synonyms.map(\.name) == ["log.retention.hours", "log.retention.ms"])
        #expect(config.synonyms.map(\.source) == [ConfigSource.staticBrokerConfig.rawValue, ConfigSource.defaultConfig.rawValue])
    }

    @Test func brokerConfigIsStaticAndReadOnly() async throws {
        let response = try await run([.init(resourceType: 4, resourceName: "1", configurationKeys: nil)])
        let result = response.results[0]
        #expect(result.errorCode == 0)
        let byName = Dictionary(uniqueKeysWithValues: result.configs.map { ($0.name, $0) })
        #expect(byName["broker.id"]?.value == "1")
        #expect(byName["log.retention.hours"]?.configSource == ConfigSource.staticBrokerConfig.rawValue)
        #expect(byName["ssl.key.password"]?.isSensitive == true)
        #expect(byName["ssl.key.password"]?.value == nil)
        #expect(byName["log.segment.bytes"]?.configSource == ConfigSource.defaultConfig.rawValue)
        #expect(result.configs.allSatisfy { $0.readOnly })
    }

    @Test func errors() async throws {
        let response = try await run([
            topic("missing"), topic("bad name"), topic("broken"),
            .init(resourceType: 4, resourceName: "2", configurationKeys: nil),
            .init(resourceType: 4, resourceName: "x", configurationKeys: nil),
            .init(resourceType: 3, resourceName: "group", configurationKeys: nil),
        ])
        #expect(response.results.map(\.errorCode) == [
            ErrorCode.unknownTopicOrPartition.rawValue, ErrorCode.invalidTopicException.rawValue,
            ErrorCode.unknownServerError.rawValue, ErrorCode.invalidRequest.rawValue, ErrorCode.invalidRequest.rawValue,
            ErrorCode.invalidRequest.rawValue,
        ])
        #expect(response.results.allSatisfy { $0.configs.isEmpty })
    }

    @Test func emptyBrokerNameListsNoDynamicDefaults() async throws {
        let response = try await run([.init(resourceType: 4, resourceName: "", configurationKeys: nil)])
        #expect(response.results[0].errorCode == 0)
        #expect(response.results[0].configs.isEmpty)
    }
}
