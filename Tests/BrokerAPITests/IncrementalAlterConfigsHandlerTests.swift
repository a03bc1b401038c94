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

@Suite struct IncrementalAlterConfigsHandlerTests {
    private typealias Resource = IncrementalAlterConfigsRequest.AlterConfigsResource
    private let group = MultiThreadedEventLoopGroup.singleton

    private func run(_ resources: [Resource], validateOnly: Bool = false, store: RecordingConfigStore, version: Int16 = 1)
        async throws -> IncrementalAlterConfigsResponse
    {
        let registry = HandlerRegistry(handlers: [IncrementalAlterConfigsHandler(store: store)])
        var body = encodeBody(IncrementalAlterConfigsRequest(resources: resources, validateOnly: validateOnly), version: version)
        let context = RequestContext(
            apiKey: 44, apiVersion: version, correlationID: 1, clientID: "t", clientAddress: "x", listenerName: "PLAINTEXT",
            eventLoop: group.next())
        guard case .later(let future) = registry.dispatch(body: &body, context: context) else {
            throw TestFailure("expected a deferred response")
        }
        return try decodeFrame(try await future.get(), as: IncrementalAlterConfigsResponse.self, version: version).response
    }

    private func resource(_ name: String, type: Int8 = 2, _ ops: [(String, Int8, String?)]) -> Resource {
        .init(resourceType: type, resourceName: name, configs: ops.map { .init(name: $0.0, configOperation: $0.1, value: $0.2) })
    }

    @Test(arguments: [Int16(0), 1]) func setAndDeleteKeepOtherOverrides(version: Int16) async throws {
        let store = RecordingConfigStore()
        let response = try await run(
            [resource("t", [("retention.bytes", 0, "10"), ("segment.ms", 1, nil)])], store: store, version: version)
        #expect(response.responses.map(\.errorCode) == [0])
        #expect(store.configs.withLock { $0["t"] } == ["retention.ms": "1000", "retention.bytes": "10"])
    }

    @Test func appendAndSubtractOnLists() async throws {
        let store = RecordingConfigStore()
        _ = try await run([resource("t", [("leader.replication.throttled.replicas", 2, "0:1,1:2")])], store: store)
        #expect(store.configs.withLock { $0["t"]?["leader.replication.throttled.replicas"] } == "0:1,1:2")
        _ = try await run([resource("t", [("leader.replication.throttled.replicas", 3, "0:1")])], store: store)
        #expect(store.configs.withLock { $0["t"]?["leader.replication.throttled.replicas"] } == "1:2")
    }

    @Test func consumerOffsetsKeepsItsCompactPolicyWhenOtherKeysChange() async throws {
        let store = RecordingConfigStore.withTopics(["__consumer_offsets"])
        store.configs.withLock { $0["__consumer_offsets"] = ["cleanup.policy": "compact"] }
        let response = try await run([resource("__consumer_offsets", [("segment.bytes", 0, "1048576")])], store: store)
        #expect(response.responses.map(\.errorCode) == [0], "\(response.responses.map(\.errorMessage))")
        #expect(
            store.configs.withLock { $0["__consumer_offsets"] } == ["cleanup.policy": "compact", "segment.bytes": "1048576"])
    }

    @Test func validateOnlyWritesNothing() async throws {
        let store = RecordingConfigStore()
        let response = try await run([resource("t", [("retention.ms", 0, "5")])], validateOnly: true, store: store)
        #expect(response.responses[0].errorCode == 0)
        #expect(store.writes.withLock { $0 } == 0)
    }

    @Test func errors() async throws {
        let store = RecordingConfigStore.withTopics(["t", "t2", "t3", "t4", "t5", "t6", "t7"])
        let response = try await run(
            [
                resource("missing", [("retention.ms", 0, "1")]),
                resource("bad name", [("retention.ms", 0, "1")]),
                resource("t", [("cleanup.policy", 0, "compact")]),
                resource("t2", [("retention.ms", 0, "x")]),
                resource("t3", [("no.such.config", 0, "1")]),
                resource("t4", [("retention.ms", 2, "1")]),
                resource("t5", [("retention.ms", 9, "1")]),
                resource("t6", [("retention.ms", 0, nil)]),
                resource("t7", [("retention.ms", 0, "1"), ("retention.ms", 1, nil)]),
                resource("1", type: 4, [("log.retention.hours", 0, "1")]),
                resource("x", type: 3, []),
            ], store: store)
        #expect(response.responses.map(\.errorCode) == [
            ErrorCode.unknownTopicOrPartition.rawValue, ErrorCode.invalidTopicException.rawValue,
            ErrorCode.invalidConfig.rawValue, ErrorCode.invalidConfig.rawValue, ErrorCode.invalidConfig.rawValue,
            ErrorCode.invalidConfig.rawValue, ErrorCode.invalidRequest.rawValue, ErrorCode.invalidRequest.rawValue,
            ErrorCode.invalidRequest.rawValue, ErrorCode.invalidRequest.rawValue, ErrorCode.invalidRequest.rawValue,
        ])
        #expect(store.writes.withLock { $0 } == 0)
    }

    @Test func resourceNamedTwiceIsInvalidRequest() async throws {
        let store = RecordingConfigStore()
        let response = try await run(
            [resource("t", [("retention.ms", 0, "1")]), resource("t", [("retention.ms", 0, "2")])], store: store)
        #expect(response.responses.map(\.errorCode) == [ErrorCode.invalidRequest.rawValue, ErrorCode.invalidRequest.rawValue])
        #expect(store.writes.withLock { $0 } == 0)
    }
}

extension RecordingConfigStore {
    fileprivate static func withTopics(_ names: [String]) -> RecordingConfigStore {
        let store = RecordingConfigStore()
        store.configs.withLock { configs in for name in names { configs[name] = [:] } }
        return store
    }
}
