import BrokerCore
import Controller
import Testing

/// A deterministic generator for tests (SplitMix64).
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("ReplicaAssignor")
struct ReplicaAssignorTests {
    let brokers = (0..<5).map { BrokerID(Int32($0)) }

    @Test("fixed start index reproduces Kafka's rack-unaware assignment")
    func fixedStartIndexMatchesKafka() throws {
        let assignment = try ReplicaAssignor.assign(
            partitionCount: 10, replicationFactor: 3, brokers: brokers, fixedStartIndex: 0)
        let expected: [Int32: [Int32]] = [
            0: [0, 1, 2], 1: [1, 2, 3], 2: [2, 3, 4], 3: [3, 4, 0], 4: [4, 0, 1],
            5: [0, 2, 3], 6: [1, 3, 4], 7: [2, 4, 0], 8: [3, 0, 1], 9: [4, 1, 2],
        ]
        #expect(assignment.mapValues { $0.map(\.rawValue) } == expected)
    }

    @Test("random start spreads leaders and replicas evenly, without duplicates")
    func randomStartSpreadsEvenly() throws {
        let six = (1...6).map { BrokerID(Int32($0)) }
        for seed in UInt64(1)...20 {
            var generator = SeededGenerator(seed: seed)
            let assignment = try ReplicaAssignor.assign(
                partitionCount: 60, replicationFactor: 3, brokers: six.shuffled(using: &generator), using: &generator)
            #expect(assignment.keys.sorted() == Array(0..<60))
            var leaders: [BrokerID: Int] = [:]
            var replicas: [BrokerID: Int] = [:]
            for (_, list) in assignment {
                #expect(list.count == 3)
                #expect(Set(list).count == 3)
                leaders[list[0], default: 0] += 1
                for broker in list { replicas[broker, default: 0] += 1 }
            }
            #expect(leaders == Dictionary(uniqueKeysWithValues: six.map { ($0, 10) }))
            #expect(replicas == Dictionary(uniqueKeysWithValues: six.map { ($0, 30) }))
        }
    }

    @Test("the injected generator decides the start: same seed, same assignment")
    func injectedGeneratorIsDeterministic() throws {
        var first = SeededGenerator(seed: 42)
        var second = SeededGenerator(seed: 42)
        let a = try ReplicaAssignor.assign(partitionCount: 7, replicationFactor: 2, brokers: brokers, using: &first)
        let b = try ReplicaAssignor.assign(partitionCount: 7, replicationFactor: 2, brokers: brokers, using: &second)
        #expect(a == b)
    }

    @Test("partition ids start at startPartition (adding partitions)")
    func startPartition() throws {
        let assignment = try ReplicaAssignor.assign(
            partitionCount: 2, replicationFactor: 1, brokers: brokers, startPartition: 3, fixedStartIndex: 0)
        #expect(assignment == [3: [BrokerID(3)], 4: [BrokerID(4)]])
    }

    @Test("replication factor larger than the brokers is INVALID_REPLICATION_FACTOR")
    func replicationFactorTooLarge() throws {
        let error = #expect(throws: ClusterMetadataError.self) {
            try ReplicaAssignor.assign(partitionCount: 1, replicationFactor: 6, brokers: brokers)
        }
        #expect(error?.errorCode == .invalidReplicationFactor)
        #expect(error?.description == "Replication factor: 6 larger than available brokers: 5.")
    }

    @Test("zero partitions or replication factor are rejected")
    func nonPositiveArguments() throws {
        #expect(throws: ClusterMetadataError.invalidPartitions("Number of partitions must be larger than 0.")) {
            try ReplicaAssignor.assign(partitionCount: 0, replicationFactor: 1, brokers: brokers)
        }
        let error = #expect(throws: ClusterMetadataError.self) {
            try ReplicaAssignor.assign(partitionCount: 1, replicationFactor: 0, brokers: brokers)
        }
        #expect(error?.errorCode == .invalidReplicationFactor)
    }
}
