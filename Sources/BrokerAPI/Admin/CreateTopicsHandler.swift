import BrokerCore
import KafkaProtocol
import NIOCore

/// CreateTopics (key 19), versions 2-7, as Kafka's ZooKeeper-mode broker serves it
/// (`KafkaApis.handleCreateTopicsRequest` + `ZkAdminManager.createTopics`):
/// - only the active controller creates topics; other brokers answer NOT_CONTROLLER, and the
///   client retries against the controller it learns from Metadata;
/// - per topic: INVALID_TOPIC_EXCEPTION, TOPIC_ALREADY_EXISTS, INVALID_PARTITIONS,
///   INVALID_REPLICATION_FACTOR, INVALID_REPLICA_ASSIGNMENT, INVALID_CONFIG, and INVALID_REQUEST
///   for a topic named twice or with both an assignment and a count/factor;
/// - numPartitions / replicationFactor -1 take `num.partitions` / `default.replication.factor`;
/// - `validateOnly` checks everything and creates nothing;
/// - with `timeoutMs > 0` the answer waits until every created topic's partitions are in this
///   broker's metadata (Kafka's DelayedCreatePartitions), else REQUEST_TIMED_OUT.
public struct CreateTopicsHandler: KafkaAPIHandler {
    public typealias Request = CreateTopicsRequest
    public static let supportedVersions: ClosedRange<Int16> = 2...7

    let admin: any TopicAdmin
    let cache: MetadataCache
    let defaultPartitions: Int32
    let defaultReplicationFactor: Int16
    let assign: @Sendable (_ partitions: Int32, _ replicationFactor: Int16, _ brokers: [BrokerID]) throws -> [Int32: [BrokerID]]

    public init(
        admin: any TopicAdmin, cache: MetadataCache, defaultPartitions: Int32, defaultReplicationFactor: Int16,
        assign: @escaping @Sendable (Int32, Int16, [BrokerID]) throws -> [Int32: [BrokerID]]
    ) {
        self.admin = admin
        self.cache = cache
        self.defaultPartitions = defaultPartitions
        self.defaultReplicationFactor = defaultReplicationFactor
        self.assign = assign
    }

    private typealias Result = CreateTopicsResponse.CreatableTopicResult

    public func handle(_ request: CreateTopicsRequest, context: RequestContext) -> APIOutcome<CreateTopicsResponse> {
        let handler = self
        let loop = context.eventLoop
        let future = loop.makeFutureWithTask { () -> CreateTopicsResponse in
            let results = await handler.create(request, version: context.apiVersion)
            var waitFor = results.filter { $0.result.errorCode == 0 && $0.created }.map(\.result.name)
            if request.validateOnly || request.timeoutMs <= 0 { waitFor = [] }
            var timedOut: Set<String> = []
            if !waitFor.isEmpty {
                let expected = Dictionary(uniqueKeysWithValues: results.map { ($0.result.name, $0.result.numPartitions) })
                let names = waitFor
                let ready = try await handler.cache.wait(
                    until: { image in
                        names.allSatisfy { name in
                            guard let topic = image.topics[name] else { return false }
                            return topic.partitions.count == Int(expected[name] ?? 0)
                        }
                    }, timeout: .milliseconds(Int64(request.timeoutMs)), on: loop
                ).get()
                if !ready {
                    let image = handler.cache.snapshot
                    timedOut = Set(names.filter { image.topics[$0] == nil })
                }
            }
            return CreateTopicsResponse(
                throttleTimeMs: 0,
                topics: results.map { entry in
                    var result = entry.result
                    if timedOut.contains(result.name) {
                        result.errorCode = ErrorCode.requestTimedOut.rawValue
                        result.errorMessage = "Timed out waiting for the topic's partitions to be created."
                    }
                    return result
                })
        }
        return .later(future)
    }

    /// Validates and creates each topic; `created` marks topics actually written.
    private func create(_ request: CreateTopicsRequest, version: Int16) async -> [(result: Result, created: Bool)] {
        let names = request.topics.map(\.name)
        let duplicates = Set(names.filter { name in names.filter { $0 == name }.count > 1 })
        guard await admin.isActiveController() else {
            return request.topics.map {
                (Self.failure($0.name, .notController, "This is not the correct controller for this cluster."), false)
            }
        }
        let brokers: [BrokerID]
        do {
            brokers = try await admin.liveBrokers()
        } catch {
            return request.topics.map { (Self.failure($0.name, .unknownServerError, "\(error)"), false) }
        }
        var results: [(Result, Bool)] = []
        var seen: Set<String> = []
        for topic in request.topics {
            if duplicates.contains(topic.name) {
                if seen.insert(topic.name).inserted {
                    results.append(
                        (Self.failure(topic.name, .invalidRequest, "Create topics request from client contains duplicate topic \(topic.name)"), false))
                }
                continue
            }
            results.append(await createOne(topic, brokers: brokers, validateOnly: request.validateOnly))
        }
        return results
    }

    private func createOne(_ topic: CreateTopicsRequest.CreatableTopic, brokers: [BrokerID], validateOnly: Bool) async
        -> (Result, Bool)
    {
        if let reason = TopicName.validationError(topic.name) {
            return (Self.failure(topic.name, .invalidTopicException, reason), false)
        }
        var configs: [String: String] = [:]
        for config in topic.configs {
            if let reason = TopicConfigs.validationError(name: config.name, value: config.value) {
                return (Self.failure(topic.name, .invalidConfig, reason), false)
            }
            if let value = config.value { configs[config.name] = value }
        }
        let assignment: [Int32: [BrokerID]]
        if !topic.assignments.isEmpty {
            guard topic.numPartitions == -1, topic.replicationFactor == -1 else {
                return (
                    Self.failure(
                        topic.name, .invalidRequest,
                        "Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time."),
                    false
                )
            }
            var manual: [Int32: [BrokerID]] = [:]
            for entry in topic.assignments { manual[entry.partitionIndex] = entry.brokerIds.map { BrokerID($0) } }
            let sizes = Set(manual.values.map(\.count))
            let indices = manual.keys.sorted()
            guard sizes.count == 1, sizes.first ?? 0 > 0, indices == Array(0..<Int32(indices.count)),
                manual.values.allSatisfy({ Set($0).count == $0.count && $0.allSatisfy(brokers.contains) })
            else {
                return (Self.failure(topic.name, .invalidReplicaAssignment, "Invalid replica assignment."), false)
            }
            assignment = manual
        } else {
            let partitions = topic.numPartitions == -1 ? defaultPartitions : topic.numPartitions
            let factor = topic.replicationFactor == -1 ? defaultReplicationFactor : topic.replicationFactor
            guard partitions > 0 else {
                return (Self.failure(topic.name, .invalidPartitions, "Number of partitions must be larger than 0."), false)
            }
            guard factor > 0 else {
                return (Self.failure(topic.name, .invalidReplicationFactor, "Replication factor must be larger than 0."), false)
            }
            guard Int(factor) <= brokers.count else {
                return (
                    Self.failure(
                        topic.name, .invalidReplicationFactor,
                        "Replication factor: \(factor) larger than available brokers: \(brokers.count)."),
                    false
                )
            }
            do {
                assignment = try assign(partitions, factor, brokers)
            } catch {
                return (Self.failure(topic.name, .invalidReplicaAssignment, "\(error)"), false)
            }
        }
        var result = Result(name: topic.name, errorCode: ErrorCode.none.rawValue)
        result.numPartitions = Int32(assignment.count)
        result.replicationFactor = Int16(assignment.values.first?.count ?? 0)
        result.configs = configs.keys.sorted().map {
            .init(name: $0, value: configs[$0], readOnly: false, configSource: 1, isSensitive: false)
        }
        if validateOnly { return (result, false) }
        do {
            try await admin.createTopic(name: topic.name, assignment: assignment, configs: configs)
            return (result, true)
        } catch let error as TopicAdminError {
            return (Self.failure(topic.name, error.code, error.message), false)
        } catch {
            return (Self.failure(topic.name, .unknownServerError, "\(error)"), false)
        }
    }

    private static func failure(_ name: String, _ code: ErrorCode, _ message: String) -> Result {
        var result = Result(name: name, errorCode: code.rawValue)
        result.errorMessage = message
        result.numPartitions = -1
        result.replicationFactor = -1
        return result
    }
}
