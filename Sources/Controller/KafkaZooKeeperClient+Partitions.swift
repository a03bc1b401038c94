import BrokerCore
import Coordination

/// Adding partitions to an existing topic (Kafka's `AdminZkClient.addPartitions`).
extension KafkaZooKeeperClient {
    /// A topic's assignment with the znode version it was read at, nil if the topic does not exist.
    public func versionedTopicAssignment(_ topic: String) async throws -> (assignment: TopicAssignment, version: Int32)? {
        guard let node = try await readData(KafkaZNodePaths.topic(topic)) else { return nil }
        return (try TopicAssignment(decoding: node.data), node.stat.version)
    }

    /// Extends `/brokers/topics/T` with `additions` (partition ids continuing the existing ones,
    /// each with the existing replication factor and no duplicate replica), keeping the topic id
    /// and the existing partitions. The write is conditional on `expectedVersion` (the version
    /// `versionedTopicAssignment` returned): a concurrent change throws
    /// `ClusterMetadataError.invalidPartitions`. The controller's data watch on the topic znode
    /// then initialises the new partitions.
    ///
    /// Throws `ClusterMetadataError.unknownTopic`, `.invalidPartitions` or
    /// `.invalidReplicaAssignment`.
    public func addPartitions(
        _ topic: String, additions: [Int32: [BrokerID]], expectedVersion: Int32
    ) async throws {
        guard let (current, _) = try await versionedTopicAssignment(topic) else {
            throw ClusterMetadataError.unknownTopic(topic)
        }
        var merged = current.partitions.mapValues(\.replicas)
        for (id, replicas) in additions {
            guard merged[id] == nil else {
                throw ClusterMetadataError.invalidReplicaAssignment("Partition \(id) of topic \(topic) already exists.")
            }
            merged[id] = replicas
        }
        try Self.validate(merged)
        var extended = current
        for (id, replicas) in additions { extended.partitions[id] = ReplicaAssignment(replicas: replicas) }
        let data = extended.encoded()
        let path = KafkaZNodePaths.topic(topic)
        do {
            _ = try await retrying { try await store.setData(path, data: data, expectedVersion: .exactly(expectedVersion)) }
        } catch CoordinationError.badVersion {
            // Our own write whose answer was lost is already there; anything else is a race.
            if let (written, _) = try await versionedTopicAssignment(topic), written == extended { return }
            throw ClusterMetadataError.invalidPartitions(
                "Topic \(topic) was modified concurrently; retry the request.")
        } catch CoordinationError.noNode {
            throw ClusterMetadataError.unknownTopic(topic)
        }
    }
}
