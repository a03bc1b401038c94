import BrokerAPI
import BrokerCore
import Controller

extension ZooKeeperTopicAdmin: PartitionAdmin {
    /// Reads `/brokers/topics/T` with its znode version.
    func partitionAssignment(topic: String) async throws -> VersionedReplicaAssignment? {
        guard let (assignment, version) = try await zk.versionedTopicAssignment(topic) else { return nil }
        return VersionedReplicaAssignment(replicas: assignment.partitions.mapValues(\.replicas), version: version)
    }

    /// Extends `/brokers/topics/T` (conditional on `expectedVersion`); the controller's data watch
    /// initialises the new partitions.
    func addPartitions(topic: String, additions: [Int32: [BrokerID]], expectedVersion: Int32) async throws {
        do {
            try await zk.addPartitions(topic, additions: additions, expectedVersion: expectedVersion)
        } catch let error as ClusterMetadataError {
            throw TopicAdminError(error.errorCode, "\(error)")
        }
    }
}
