import BrokerCore
import KafkaProtocol
import NIOCore

/// CreatePartitions (key 37), versions 0-3, as Kafka's ZooKeeper-mode broker serves it
/// (`KafkaApis.handleCreatePartitionsRequest` + `ZkAdminManager.createPartitions`):
/// - only the active controller adds partitions; other brokers answer NOT_CONTROLLER;
/// - a topic named twice: INVALID_REQUEST; an unknown topic: UNKNOWN_TOPIC_OR_PARTITION; a count
///   not above the current one: INVALID_PARTITIONS;
/// - manual assignments must give one replica list per new partition, of the topic's replication
///   factor, with live brokers and no duplicates (else INVALID_REPLICA_ASSIGNMENT);
/// - otherwise the new partitions are assigned by `assign` starting at partition `current count`
///   with Kafka's start index: the position among the sorted live brokers of the first replica
///   of partition 0 (the first broker with an id at least that one, else 0);
/// - `validateOnly` checks everything and writes nothing;
/// - with `timeoutMs > 0` the answer waits until this broker's metadata shows the new count, else
///   REQUEST_TIMED_OUT.
public struct CreatePartitionsHandler: KafkaAPIHandler {
    public typealias Request = CreatePartitionsRequest
    public static let supportedVersions: ClosedRange<Int16> = 0...3

    /// Assigns `count` partitions with ids from `startPartition` and `replicationFactor` replicas
    /// over `brokers` starting at broker index `startIndex` (`ReplicaAssignor.assign`).
    public typealias Assign = @Sendable (
        _ count: Int32, _ replicationFactor: Int16, _ brokers: [BrokerID], _ startPartition: Int32, _ startIndex: Int
    ) throws -> [Int32: [BrokerID]]

    let admin: any PartitionAdmin
    let cache: MetadataCache
    let assign: Assign

    public init(admin: any PartitionAdmin, cache: MetadataCache, assign: @escaping Assign) {
        self.admin = admin
        self.cache = cache
        self.assign = assign
    }

    private typealias Result = CreatePartitionsResponse.CreatePartitionsTopicResult

    public func handle(_ request: CreatePartitionsRequest, context: RequestContext) -> APIOutcome<CreatePartitionsResponse> {
        let handler = self
        let loop = context.eventLoop
        let future = loop.makeFutureWithTask { () -> CreatePartitionsResponse in
            var results = await handler.create(request)
            let expected = Dictionary(
                results.filter { $0.written }.map { ($0.result.name, $0.count) }, uniquingKeysWith: { a, _ in a })
            if !expected.isEmpty && request.timeoutMs > 0 {
                let ready = try await handler.cache.wait(
                    until: { image in
                        expected.allSatisfy { name, count in (image.topics[name]?.partitions.count ?? 0) >= Int(count) }
                    }, timeout: .milliseconds(Int64(request.timeoutMs)), on: loop
                ).get()
                if !ready {
                    let image = handler.cache.snapshot
                    for index in results.indices where results[index].written {
                        let name = results[index].result.name
                        if (image.topics[name]?.partitions.count ?? 0) < Int(results[index].count) {
                            results[index].result.errorCode = ErrorCode.requestTimedOut.rawValue
                            results[index].result.errorMessage = "Timed out waiting for the new partitions to be created."
                        }
                    }
                }
            }
            return CreatePartitionsResponse(throttleTimeMs: 0, results: results.map(\.result))
        }
        return .later(future)
    }

    /// Validates and extends each topic; `written` marks topics whose assignment was written.
    private func create(_ request: CreatePartitionsRequest) async -> [(result: Result, count: Int32, written: Bool)] {
        let names = request.topics.map(\.name)
        let duplicates = Set(names.filter { name in names.filter { $0 == name }.count > 1 })
        guard await admin.isActiveController() else {
            return request.topics.map {
                (Self.failure($0.name, .notController, "This is not the correct controller for this cluster."), 0, false)
            }
        }
        let brokers: [BrokerID]
        do {
            brokers = try await admin.liveBrokers()
        } catch {
            return request.topics.map { (Self.failure($0.name, .unknownServerError, "\(error)"), 0, false) }
        }
        var results: [(Result, Int32, Bool)] = []
        var seen: Set<String> = []
        for topic in request.topics {
            if duplicates.contains(topic.name) {
                if seen.insert(topic.name).inserted {
                    results.append((Self.failure(topic.name, .invalidRequest, "Duplicate topic in request."), 0, false))
                }
                continue
            }
            let (result, written) = await createOne(topic, brokers: brokers, validateOnly: request.validateOnly)
            results.append((result, topic.count, written))
        }
        return results
    }

    private func createOne(_ topic: CreatePartitionsRequest.CreatePartitionsTopic, brokers: [BrokerID], validateOnly: Bool)
        async -> (Result, Bool)
    {
        let existing: VersionedReplicaAssignment
        do {
            guard let found = try await admin.partitionAssignment(topic: topic.name), !found.replicas.isEmpty else {
                return (Self.failure(topic.name, .unknownTopicOrPartition, "The topic '\(topic.name)' does not exist."), false)
            }
            existing = found
        } catch let error as TopicAdminError {
            return (Self.failure(topic.name, error.code, error.message), false)
        } catch {
            return (Self.failure(topic.name, .unknownServerError, "\(error)"), false)
        }
        let current = Int32(existing.replicas.count)
        guard topic.count > current else {
            let message =
                topic.count == current
                ? "Topic already has \(current) partitions."
                : "Topic currently has \(current) partitions, which is higher than the requested \(topic.count)."
            return (Self.failure(topic.name, .invalidPartitions, message), false)
        }
        let increment = topic.count - current
        let factor = existing.replicas[0]?.count ?? existing.replicas.values.first?.count ?? 0
        let additions: [Int32: [BrokerID]]
        if let manual = topic.assignments {
            switch Self.validate(manual, increment: increment, factor: factor, from: current, brokers: brokers) {
            case .success(let valid): additions = valid
            case .failure(let error): return (Self.failure(topic.name, error.code, error.message), false)
            }
        } else {
            guard factor > 0, factor <= brokers.count else {
                return (
                    Self.failure(
                        topic.name, .invalidReplicationFactor,
                        "Replication factor: \(factor) larger than available brokers: \(brokers.count)."),
                    false
                )
            }
            let sorted = brokers.sorted()
            let first = existing.replicas[0]?.first ?? sorted[0]
            let startIndex = max(0, sorted.firstIndex { $0 >= first } ?? 0)
            do {
                additions = try assign(increment, Int16(factor), sorted, current, startIndex)
            } catch {
                return (Self.failure(topic.name, .invalidReplicaAssignment, "\(error)"), false)
            }
        }
        if validateOnly { return (Result(name: topic.name, errorCode: ErrorCode.none.rawValue), false) }
        do {
            try await admin.addPartitions(topic: topic.name, additions: additions, expectedVersion: existing.version)
            return (Result(name: topic.name, errorCode: ErrorCode.none.rawValue), true)
        } catch let error as TopicAdminError {
            return (Self.failure(topic.name, error.code, error.message), false)
        } catch {
            return (Self.failure(topic.name, .unknownServerError, "\(error)"), false)
        }
    }

    /// Kafka's checks of manual assignments for new partitions `from..<from+increment`.
    private static func validate(
        _ manual: [CreatePartitionsRequest.CreatePartitionsAssignment], increment: Int32, factor: Int, from: Int32,
        brokers: [BrokerID]
    ) -> Swift.Result<[Int32: [BrokerID]], TopicAdminError> {
        guard manual.count == Int(increment) else {
            return .failure(
                TopicAdminError(
                    .invalidReplicaAssignment,
                    "Increasing the number of partitions by \(increment) but \(manual.count) assignments provided."))
        }
        let live = Set(brokers)
        var additions: [Int32: [BrokerID]] = [:]
        for (offset, entry) in manual.enumerated() {
            let partition = from + Int32(offset)
            let replicas = entry.brokerIds.map { BrokerID($0) }
            guard !replicas.isEmpty else {
                return .failure(TopicAdminError(.invalidReplicaAssignment, "Partition \(partition) has no replicas."))
            }
            let unknown = replicas.filter { !live.contains($0) }
            guard unknown.isEmpty else {
                return .failure(
                    TopicAdminError(.invalidReplicaAssignment, "Unknown broker(s) in replica assignment: \(unknown)."))
            }
            guard Set(replicas).count == replicas.count else {
                return .failure(
                    TopicAdminError(.invalidReplicaAssignment, "Duplicate brokers not allowed in replica assignment: \(replicas)."))
            }
            guard replicas.count == factor else {
                return .failure(
                    TopicAdminError(
                        .invalidReplicaAssignment,
                        "Inconsistent replication factor between partitions, partition 0 has \(factor) while partition \(partition) has \(replicas.count) replicas."))
            }
            additions[partition] = replicas
        }
        return .success(additions)
    }

    private static func failure(_ name: String, _ code: ErrorCode, _ message: String) -> Result {
        Result(name: name, errorCode: code.rawValue, errorMessage: message)
    }
}
