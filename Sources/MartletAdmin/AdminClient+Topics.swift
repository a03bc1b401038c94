import BrokerCore
import KafkaProtocol

/// Which offset ListOffsets asks for.
public enum OffsetSpec: Sendable, Hashable {
    /// The log end offset (high watermark for READ_UNCOMMITTED), timestamp -1.
    case latest
    /// The log start offset, timestamp -2.
    case earliest

    var timestamp: Int64 {
        switch self {
        case .latest: -1
        case .earliest: -2
        }
    }
}

extension AdminClient {
    /// Topic names, sorted; `includeInternal` false leaves out `__consumer_offsets` and the like.
    public func listTopics(includeInternal: Bool = true) async throws -> [String] {
        try await metadata(topics: nil).topics
            .filter { $0.errorCode == 0 && (includeInternal || !$0.isInternal) }
            .map(\.name).sorted()
    }

    /// Every topic (`names` nil) or the named ones, sorted by name. A named topic that does not
    /// exist throws ``AdminError/topicDoesNotExist(_:)``.
    public func describeTopics(_ names: [String]? = nil) async throws -> [TopicDescription] {
        let cluster = try await metadata(topics: names)
        if let names {
            for name in names {
                guard let topic = cluster.topics.first(where: { $0.name == name }),
                    topic.errorCode != ErrorCode.unknownTopicOrPartition.rawValue,
                    topic.errorCode != ErrorCode.invalidTopicException.rawValue
                else { throw AdminError.topicDoesNotExist(name) }
            }
        }
        return cluster.topics.filter { $0.errorCode != ErrorCode.unknownTopicOrPartition.rawValue }
            .sorted { $0.name < $1.name }
    }

    /// The topic's config entries (DescribeConfigs, resource type TOPIC) from any broker.
    public func topicConfigs(_ topic: String) async throws -> [ConfigEntry] {
        try await withRetries("DescribeConfigs") {
            let session = try await anySession()
            let request = DescribeConfigsRequest(
                resources: [.init(resourceType: 2, resourceName: topic, configurationKeys: nil)])
            let (response, _) = try await session.send(
                request, client: AdminProtocolVersions.describeConfigs, timeout: requestTimeout)
            guard let result = response.results.first(where: { $0.resourceName == topic }) else {
                throw AdminError.kafka(operation: "DescribeConfigs", code: ErrorCode.unknownServerError.rawValue,
                    message: "no result for topic '\(topic)'")
            }
            if result.errorCode == ErrorCode.unknownTopicOrPartition.rawValue { throw AdminError.topicDoesNotExist(topic) }
            if AdminError.isRetriable(result.errorCode) { throw Retriable(description: "DescribeConfigs: error \(result.errorCode)") }
            guard result.errorCode == 0 else {
                throw AdminError.kafka(operation: "DescribeConfigs", code: result.errorCode, message: result.errorMessage)
            }
            return result.configs.map {
                ConfigEntry(name: $0.name, value: $0.value, source: $0.configSource, isSensitive: $0.isSensitive)
            }
        }
    }

    /// CreateTopics at the controller; returns when the controller has answered (Kafka's
    /// `timeoutMs` semantics: the controller waits for the topic's metadata up to the request
    /// timeout). Broker errors (TOPIC_ALREADY_EXISTS, INVALID_REPLICATION_FACTOR, ...) throw
    /// ``AdminError/kafka(operation:code:message:)``.
    public func createTopic(_ topic: NewTopic) async throws {
        try await withRetries("CreateTopics") {
            let controller = try await controllerSession()
            let request = CreateTopicsRequest(
                topics: [
                    .init(
                        name: topic.name, numPartitions: topic.partitions, replicationFactor: topic.replicationFactor,
                        assignments: [], configs: topic.configs.map { .init(name: $0.key, value: $0.value) })
                ],
                timeoutMs: timeoutMilliseconds, validateOnly: false)
            let (response, _) = try await controller.send(
                request, client: AdminProtocolVersions.createTopics, timeout: requestTimeout)
            guard let result = response.topics.first(where: { $0.name == topic.name }) else {
                throw AdminError.kafka(operation: "CreateTopics", code: ErrorCode.unknownServerError.rawValue,
                    message: "no result for topic '\(topic.name)'")
            }
            try check(result.errorCode, result.errorMessage, operation: "CreateTopics")
        }
    }

    /// DeleteTopics at the controller. A topic missing from the metadata throws
    /// ``AdminError/topicDoesNotExist(_:)`` without asking the controller (as kafka-topics does).
    public func deleteTopic(_ name: String) async throws {
        _ = try await describeTopics([name])
        try await withRetries("DeleteTopics") {
            let controller = try await controllerSession()
            let request = DeleteTopicsRequest(
                topics: [.init(name: name)], topicNames: [name], timeoutMs: timeoutMilliseconds)
            let (response, _) = try await controller.send(
                request, client: AdminProtocolVersions.deleteTopics, timeout: requestTimeout)
            guard let result = response.responses.first(where: { $0.name == name }) else {
                throw AdminError.kafka(operation: "DeleteTopics", code: ErrorCode.unknownServerError.rawValue,
                    message: "no result for topic '\(name)'")
            }
            if result.errorCode == ErrorCode.unknownTopicOrPartition.rawValue { throw AdminError.topicDoesNotExist(name) }
            try check(result.errorCode, result.errorMessage, operation: "DeleteTopics")
        }
    }

    /// The `spec` offset of each partition, asked of its leader. Partitions whose offset could
    /// not be learned (no leader, topic gone, errors left after a few retries) are absent.
    public func listOffsets(_ partitions: Set<TopicPartition>, at spec: OffsetSpec) async throws -> [TopicPartition: Offset] {
        var remaining = partitions
        var result: [TopicPartition: Offset] = [:]
        var backoff = options.retryBackoff
        for attempt in 0..<5 where !remaining.isEmpty {
            if attempt > 0 {
                try await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(1))
            }
            let topics = Set(remaining.map(\.topic)).sorted()
            let cluster = try await metadata(topics: topics)
            var byLeader: [BrokerID: [TopicPartition]] = [:]
            for tp in remaining.sorted() {
                guard let topic = cluster.topics.first(where: { $0.name == tp.topic }),
                    let partition = topic.partitions.first(where: { $0.partition == tp.partition })
                else {
                    remaining.remove(tp)  // no such partition: unknown
                    continue
                }
                if partition.leader != .none { byLeader[partition.leader, default: []].append(tp) }
            }
            for (leaderID, tps) in byLeader.sorted(by: { $0.key < $1.key }) {
                guard let leader = cluster.brokers.first(where: { $0.id == leaderID }) else { continue }
                let answered: ListOffsetsResponse
                do {
                    let session = try await session(for: leader)
                    answered = try await session.send(
                        Self.listOffsetsRequest(tps, spec: spec), client: AdminProtocolVersions.listOffsets,
                        timeout: requestTimeout
                    ).response
                } catch let error as AdminError {
                    throw error
                } catch {
                    continue  // connection trouble: retry with fresh metadata
                }
                for topic in answered.topics {
                    for p in topic.partitions {
                        let tp = TopicPartition(topic.name, p.partitionIndex)
                        guard remaining.contains(tp) else { continue }
                        if p.errorCode == 0 {
                            result[tp] = Offset(p.offset)
                            remaining.remove(tp)
                        } else if !AdminError.isRetriable(p.errorCode) {
                            remaining.remove(tp)
                        }
                    }
                }
            }
        }
        return result
    }

    static func listOffsetsRequest(_ partitions: [TopicPartition], spec: OffsetSpec) -> ListOffsetsRequest {
        var byTopic: [String: [Int32]] = [:]
        for tp in partitions { byTopic[tp.topic, default: []].append(tp.partition) }
        return ListOffsetsRequest(
            replicaId: -1, isolationLevel: 0,
            topics: byTopic.keys.sorted().map { topic in
                .init(
                    name: topic,
                    partitions: (byTopic[topic] ?? []).sorted().map {
                        .init(partitionIndex: $0, currentLeaderEpoch: -1, timestamp: spec.timestamp)
                    })
            })
    }

    // MARK: Helpers

    /// The `timeoutMs` of CreateTopics / DeleteTopics: a fifth below the request timeout, so the
    /// controller answers (with REQUEST_TIMED_OUT if need be) before the connection gives up.
    var timeoutMilliseconds: Int32 {
        let milliseconds = requestTimeout.nanoseconds / 1_000_000
        return Int32(clamping: max(1_000, milliseconds - milliseconds / 5))
    }

    /// A session with the controller of the latest metadata.
    func controllerSession() async throws -> BrokerSession {
        let cluster = try await metadata(topics: [])
        guard cluster.controller != .none, let controller = cluster.brokers.first(where: { $0.id == cluster.controller })
        else { throw Retriable(description: "no controller in the metadata") }
        return try await session(for: controller)
    }

    /// Throws for a non-zero error code: ``AdminClient/Retriable`` when retriable, else ``AdminError/kafka(operation:code:message:)``.
    func check(_ code: Int16, _ message: String?, operation: String) throws {
        if code == 0 { return }
        if AdminError.isRetriable(code) {
            throw Retriable(description: "\(operation): \(ErrorCode(rawValue: code)?.kafkaName ?? "\(code)")")
        }
        throw AdminError.kafka(operation: operation, code: code, message: message)
    }
}
