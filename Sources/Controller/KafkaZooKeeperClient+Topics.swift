import BrokerCore
import Coordination

/// Topics: assignments at `/brokers/topics/T`, configs at `/config/topics/T`, deletion requests
/// at `/admin/delete_topics/T`.
extension KafkaZooKeeperClient {
    /// All topics, sorted.
    public func allTopics() async throws -> [String] {
        try await readChildren(KafkaZNodePaths.brokerTopics)
    }

    /// A topic's replica assignment and topic id, nil if the topic does not exist.
    public func topicAssignment(_ topic: String) async throws -> TopicAssignment? {
        guard let node = try await readData(KafkaZNodePaths.topic(topic)) else { return nil }
        return try TopicAssignment(decoding: node.data)
    }

    /// A topic's dynamic config (`/config/topics/T`), empty if none.
    public func topicConfig(_ topic: String) async throws -> [String: String] {
        guard let node = try await readData(KafkaZNodePaths.configEntity(.topics, topic)) else { return [:] }
        return try EntityConfig(decoding: node.data).config
    }

    /// Creates a topic like Kafka's `AdminZkClient.createTopicWithAssignment`: validates the name
    /// and the assignment, then writes `/config/topics/T` and `/brokers/topics/T` (JSON v3 with a
    /// topic id) in one transaction. The controller notices the new child of `/brokers/topics` and
    /// elects leaders. Returns the topic id written (`topicID`, or a new random one).
    ///
    /// `assignment` maps partition ids `0..<n` to their replicas in assignment order (see
    /// `ReplicaAssignor`). Throws `ClusterMetadataError.topicAlreadyExists`, `.invalidTopicName`
    /// (also for names colliding with an existing topic once `.` and `_` are treated alike) or
    /// `.invalidReplicaAssignment`.
    @discardableResult
    public func createTopic(
        _ topic: String, assignment: [Int32: [BrokerID]], config: [String: String] = [:], topicID: String? = nil
    ) async throws -> String {
        if let reason = TopicName.validationError(topic) {
            throw ClusterMetadataError.invalidTopicName(topic, reason: reason)
        }
        try Self.validate(assignment)
        let existing = try await allTopics()
        if existing.contains(topic) { throw ClusterMetadataError.topicAlreadyExists(topic) }
        let collisionKey = Self.collisionKey(topic)
        if let colliding = existing.first(where: { Self.collisionKey($0) == collisionKey }) {
            throw ClusterMetadataError.invalidTopicName(
                topic, reason: "Topic '\(topic)' collides with existing topic: \(colliding)")
        }
        let id = topicID ?? TopicIDGenerator.random()
        let topicData = TopicAssignment(
            topicID: id, partitions: assignment.mapValues { ReplicaAssignment(replicas: $0) }
        ).encoded()
        let configPath = KafkaZNodePaths.configEntity(.topics, topic)
        let configData = EntityConfig(config).encoded()
        try await retrying { try await store.ensurePersistentPath(KafkaZNodePaths.configEntityType(.topics)) }
        try await retrying { try await store.ensurePersistentPath(KafkaZNodePaths.brokerTopics) }
        try await retrying {
            let configWrite: TransactionOperation =
                try await store.exists(configPath) == nil
                ? .create(path: configPath, data: configData, mode: .persistent)
                : .setData(path: configPath, data: configData, expectedVersion: .any)
            do {
                try await store.multi([
                    configWrite, .create(path: KafkaZNodePaths.topic(topic), data: topicData, mode: .persistent),
                ])
            } catch CoordinationError.transactionFailed(_, .nodeExists(let path))
                where path == KafkaZNodePaths.topic(topic)
            {
                // Our own write whose answer was lost carries our topic id; anything else is a race.
                if let written = try await topicAssignment(topic), written.topicID == id { return }
                throw ClusterMetadataError.topicAlreadyExists(topic)
            }
        }
        return id
    }

    /// Asks the controller to delete `topic` (creates `/admin/delete_topics/T`). Throws
    /// `ClusterMetadataError.unknownTopic` if the topic does not exist; a pending request is fine.
    public func requestTopicDeletion(_ topic: String) async throws {
        guard try await readData(KafkaZNodePaths.topic(topic)) != nil else {
            throw ClusterMetadataError.unknownTopic(topic)
        }
        try await retrying {
            do {
                try await store.createRecursive(KafkaZNodePaths.deleteTopic(topic))
            } catch CoordinationError.nodeExists {
                return
            }
        }
    }

    /// Topics with a pending deletion request, sorted.
    public func topicDeletionRequests() async throws -> [String] {
        try await readChildren(KafkaZNodePaths.deleteTopics)
    }

    /// Deletes everything of `topic` in one fenced transaction: `/brokers/topics/T` with its
    /// partition states, `/config/topics/T` and the deletion request (those that exist).
    public func deleteTopicZNodes(_ topic: String, fence: ControllerEpochFence) async throws {
        var paths = try await subtreePostOrder(KafkaZNodePaths.topic(topic))
        for path in [KafkaZNodePaths.configEntity(.topics, topic), KafkaZNodePaths.deleteTopic(topic)] {
            if try await readData(path) != nil { paths.append(path) }
        }
        guard !paths.isEmpty else { return }
        let deletions = paths
        try await retrying {
            try await fencedMulti(deletions.map { .delete(path: $0, expectedVersion: .any) }, fence: fence)
        }
    }

    /// Deletes a deletion request without deleting the topic (a request for an unknown topic).
    public func deleteTopicDeletionRequest(_ topic: String, fence: ControllerEpochFence) async throws {
        do {
            try await retrying {
                try await fencedMulti(
                    [.delete(path: KafkaZNodePaths.deleteTopic(topic), expectedVersion: .any)], fence: fence)
            }
        } catch CoordinationError.transactionFailed(_, .noNode) {
            return
        }
    }

    /// `path` and everything below it, children before parents; empty if `path` does not exist.
    private func subtreePostOrder(_ path: String) async throws -> [String] {
        guard try await readData(path) != nil else { return [] }
        var result: [String] = []
        for child in try await readChildren(path) {
            result += try await subtreePostOrder(CoordinationPath.join(path, child))
        }
        result.append(path)
        return result
    }

    /// Kafka's `Topic.unifyCollisionChars`: `.` and `_` collide in metric names.
    private static func collisionKey(_ topic: String) -> String {
        String(topic.map { $0 == "." ? "_" : $0 })
    }

    /// Partitions `0..<n`, each with a non-empty replica list without duplicates, all of one size.
    static func validate(_ assignment: [Int32: [BrokerID]]) throws {
        guard !assignment.isEmpty else {
            throw ClusterMetadataError.invalidReplicaAssignment("Replica assignment must not be empty.")
        }
        let ids = assignment.keys.sorted()
        guard ids == Array(0..<Int32(ids.count)) else {
            throw ClusterMetadataError.invalidReplicaAssignment(
                "Partitions should be a consecutive 0-based integer sequence, but got \(ids).")
        }
        let factor = assignment[0]?.count ?? 0
        for id in ids {
            let replicas = assignment[id] ?? []
            guard !replicas.isEmpty else {
                throw ClusterMetadataError.invalidReplicaAssignment("Partition \(id) has no replicas.")
            }
            guard Set(replicas).count == replicas.count else {
                throw ClusterMetadataError.invalidReplicaAssignment(
                    "Duplicate replica assignment found: \(id) -> \(replicas)")
            }
            guard replicas.count == factor else {
                throw ClusterMetadataError.invalidReplicaAssignment(
                    "All partitions should have the same number of replicas")
            }
        }
    }
}
