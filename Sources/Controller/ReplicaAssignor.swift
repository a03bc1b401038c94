import BrokerCore

/// Kafka's rack-unaware replica assignment (`AdminUtils.assignReplicasToBrokersRackUnaware`).
///
/// Brokers are sorted by id. The first replica of partition `p` is broker
/// `(p + startIndex) mod n`; follower `j` sits at a shift `1 + (replicaShift + j) mod (n - 1)`
/// from it, and the shift grows by one after every `n` partitions, so that leaders and followers
/// spread evenly. `startIndex` and the initial `replicaShift` are random (from the injected
/// generator) unless a fixed start index is given, in which case both equal it (as in Kafka).
///
/// Pure functions; no state.
public enum ReplicaAssignor {
    /// Assigns `partitionCount` partitions (ids from `startPartition`) with `replicationFactor`
    /// replicas over `brokers`. Throws `ClusterMetadataError.invalidPartitions` for a count < 1 and
    /// `.invalidReplicationFactor` for a factor < 1 or larger than the number of brokers.
    public static func assign(
        partitionCount: Int32, replicationFactor: Int16, brokers: [BrokerID], startPartition: Int32 = 0,
        fixedStartIndex: Int? = nil, using generator: inout some RandomNumberGenerator
    ) throws -> [Int32: [BrokerID]] {
        guard partitionCount > 0 else {
            throw ClusterMetadataError.invalidPartitions("Number of partitions must be larger than 0.")
        }
        guard replicationFactor > 0 else {
            throw ClusterMetadataError.invalidReplicationFactor("Replication factor must be larger than 0.")
        }
        let sorted = Array(Set(brokers)).sorted()
        guard Int(replicationFactor) <= sorted.count else {
            throw ClusterMetadataError.invalidReplicationFactor(
                "Replication factor: \(replicationFactor) larger than available brokers: \(sorted.count).")
        }
        let count = sorted.count
        let startIndex = fixedStartIndex.map { (($0 % count) + count) % count } ?? Int.random(in: 0..<count, using: &generator)
        var replicaShift = fixedStartIndex.map { (($0 % count) + count) % count } ?? Int.random(in: 0..<count, using: &generator)
        var assignment: [Int32: [BrokerID]] = [:]
        var partition = max(0, startPartition)
        for _ in 0..<partitionCount {
            if partition > 0 && Int(partition) % count == 0 { replicaShift += 1 }
            let first = (Int(partition) + startIndex) % count
            var replicas = [sorted[first]]
            for follower in 0..<(Int(replicationFactor) - 1) {
                replicas.append(sorted[replicaIndex(first: first, shift: replicaShift, follower: follower, count: count)])
            }
            assignment[partition] = replicas
            partition += 1
        }
        return assignment
    }

    /// `assign` with the system's random generator.
    public static func assign(
        partitionCount: Int32, replicationFactor: Int16, brokers: [BrokerID], startPartition: Int32 = 0,
        fixedStartIndex: Int? = nil
    ) throws -> [Int32: [BrokerID]] {
        var generator = SystemRandomNumberGenerator()
        return try assign(
            partitionCount: partitionCount, replicationFactor: replicationFactor, brokers: brokers,
            startPartition: startPartition, fixedStartIndex: fixedStartIndex, using: &generator)
    }

    private static func replicaIndex(first: Int, shift: Int, follower: Int, count: Int) -> Int {
        let offset = 1 + (shift + follower) % (count - 1)
        return (first + offset) % count
    }
}
