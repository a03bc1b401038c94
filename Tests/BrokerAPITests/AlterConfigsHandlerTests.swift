import BrokerAPI
import BrokerCore
import KafkaProtocol
import NIOCore
import NIOPosix
import Synchronization
import Testing

/// Topic overrides in memory, counting writes.
private final class RecordingConfigStore: TopicConfigStore {
    let configs = Mutex<[String: [String: String]]>(["t": ["retention.ms": "1000", "segment.ms": "5000"]])
    let writes = Mutex(0)
    func topicExists(_ topic: String) async throws -> Bool { configs.withLock { $0[topic] != nil } }
    func topicConfig(_ topic: String) async throws -> [String: String] { configs.withLock { $0[topic] ?? [:] } }
    func setTopicConfig(_ topic: String, _ config: [String: String]) async throws {
        configs.withLock { $0[topic] = config }
        writes.withLock { $0 += 1 }
    }
}

@Suite struct AlterConfigsHandlerTests {
    private let group = MultiThreadedEventLoopGroup.singleton

    private func run(_ request: AlterConfigsRequest, store: RecordingConfigStore, version: Int16 = 2) async throws
        -> AlterConfigsResponse
    {
        let registry = HandlerRegistry(handlers: [AlterConfigsHandler(store: store)])
        var body = encodeBody(request, version: version)
        let context = RequestContext(
            apiKey: 33, apiVersion: version, correlationID: 1, clientID: "t", clientAddress: "x", listenerName: "PLAINTEXT",
            eventLoop: group.next())
        guard case .later(let future) = registry.dispatch(body: &body, context: context) else {
            throw TestFailure("expected a deferred response")
        }
        return try decodeFrame(try await future.get(), as: AlterConfigsResponse.self, version: version).response
    }

    private func topic(_ name: String, _ configs: [String: String], type: Int8 = 2) -> AlterConfigsRequest.AlterConfigsResource {
        .init(resourceType: type, resourceName: name, configs: configs.map { .init(name: $0.key, value: $0.value) })
    }

    @Test(arguments: [Int16(0), 1, 2]) func replacesTheWholeOverrideSet(version: Int16) async throws {
        let store = RecordingConfigStore()
        let response = try await run(AlterConfigsRequest(resources: [topic("t", ["retention.bytes": "10"])]), store: store, version: version)
        #expect(response.responses.map(\.errorCode) == [0])
        #expect(store.configs.withLock { $0["t"] } == ["retention.bytes": "10"])
    }

    @Test func validateOnlyWritesNothing() async throws {
        let store = RecordingConfigStore()
        let response = try await run(
            AlterConfigsRequest(resources: [topic("t", ["retention.bytes": "10"])], validateOnly: true), store: store)
        #expect(response.responses[0].errorCode == 0)
        #expect(store.writes.withLock { $0 } == 0)
    }

    @Test func errors() async throws {
        let store = RecordingConfigStore()
        let request = AlterConfigsRequest(resources: [
            topic("missing", ["retention.ms": "1"]),
            topic("bad name", ["retention.ms": "1"]),
            topic("t", ["cleanup.policy": "compact"]),
            topic("1", ["log.retention.hours": "1"], type: 4),
            topic("x", [:], type: 3),
        ])
        let response = try await run(request, store: store)
        #expect(response.responses.map(\.errorCode) == [
            ErrorCode.unknownTopicOrPartition.rawValue, ErrorCode.invalidTopicException.rawValue,
            ErrorCode.invalidConfig.rawValue, ErrorCode.invalidRequest.rawValue, ErrorCode.invalidRequest.rawValue,
        ])
        #expect(response.responses[2].errorMessage?.contains("compaction") == true)
        #expect(store.writes.withLock { $0 } == 0)
    }

    @Test func duplicatesAreInvalidRequests() async throws {
        let store = RecordingConfigStore()
        let twiceNamed = AlterConfigsRequest.AlterConfigsResource(
            resourceType: 2, resourceName: "t",
            configs: [.init(name: "retention.ms", value: "1"), .init(name: "retention.ms", value: "2")])
        let single = try await run(AlterConfigsRequest(resources: [twiceNamed]), store: store)
        #expect(single.responses[0].errorCode == ErrorCode.invalidRequest.rawValue)
        let twice = try await run(
            AlterConfigsRequest(resources: [topic("t", ["retention.ms": "1"]), topic("t", ["retention.ms": "2"])]), store: store)
        #expect(twice.responses.map(\.errorCode) == [ErrorCode.invalidRequest.rawValue, ErrorCode.invalidRequest.rawValue])
        #expect(store.writes.withLock { $0 } == 0)
    }
}
