import BrokerCore
import BrokerTestSupport
import KafkaRecords
import LogStorage
import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import Replication

/// `appendRecords` with partitions owned by several real event-loop threads, called from one of
/// them (as a connection's loop does): results come back in request order on the caller's loop.
@Suite struct ReplicaManagerProduceAcrossLoopsTests {
    final class Cluster: Sendable {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 3)
        let manager: ReplicaManager
        let partitions = (0..<6).map { TopicPartition("spread", Int32($0)) }

        init(followers: [Int32] = []) throws {
            let logManager = try InMemoryLogManager.make(
                fileSystem: FaultInjectingFileSystem(), clock: ManualTimeSource(),
                config: LogConfig(retentionMs: -1, segmentIndexBytes: 64 * 1024))
            manager = ReplicaManager(
                config: ReplicaManagerConfig(localBrokerID: BrokerID(1), replicaLagTimeMaxMs: 10_000, highWatermarkCheckpointIntervalMs: 5_000),
                logManager: logManager, group: group)
            let replicas = ([1] + followers).map { BrokerID($0) }
            let states = partitions.map {
                LeaderAndIsrState(
                    topicPartition: $0, leader: BrokerID(1), leaderEpoch: LeaderEpoch(0), isr: replicas, partitionEpoch: 0,
                    replicas: replicas)
            }
            _ = try manager.becomeLeaderOrFollower(states).wait()
        }

        deinit { try? group.syncShutdownGracefully() }

        /// Calls `appendRecords` on loop 0 with `resultLoop` = loop 0.
        func produce(_ data: [ProducePartitionData], acks: Int16) throws -> EventLoopFuture<[ProducePartitionResult]> {
            let caller = manager.eventLoops[0]
            return try caller.submit {
                let future = self.manager.appendRecords(data, acks: acks, timeoutMs: 30_000, resultLoop: caller)
                return future.map { results -> [ProducePartitionResult] in
                    caller.preconditionInEventLoop()
                    return results
                }
            }.wait()
        }
    }

    @Test func topicPartitionsAreSpreadEvenlyOverTheLoops() throws {
        let cluster = try Cluster()
        let perLoop = Dictionary(grouping: cluster.partitions, by: { cluster.manager.loopIndex(for: $0) }).mapValues(\.count)
        #expect(perLoop == [0: 2, 1: 2, 2: 2])
    }

    @Test func resultsComeBackInRequestOrderOnTheCallersLoop() throws {
        let cluster = try Cluster()
        // Partitions in a scrambled order, each twice, plus one this broker does not host.
        let order = [5, 0, 3, 1, 4, 2]
        var data: [ProducePartitionData] = []
        for round in 0..<2 {
            for index in order {
                data.append(ProducePartitionData(topicPartition: cluster.partitions[index], records: Batches.make(count: index + 1, tag: round)))
            }
        }
        data.insert(ProducePartitionData(topicPartition: TopicPartition("absent", 0), records: Batches.make()), at: 3)
        let results = try cluster.produce(data, acks: 1).wait()
        #expect(results.count == data.count)
        #expect(results[3].errorCode == .unknownTopicOrPartition)
        var expected: [ProducePartitionResult] = []
        var nextOffset = [Int64](repeating: 0, count: 6)
        for entry in data {
            guard entry.topicPartition.topic == "spread" else {
                expected.append(.error(.unknownTopicOrPartition))
                continue
            }
            let index = Int(entry.topicPartition.partition)
            expected.append(ProducePartitionResult(errorCode: .none, baseOffset: Offset(nextOffset[index]), logStartOffset: Offset(0)))
            nextOffset[index] += Int64(index + 1)
        }
        #expect(results == expected)
    }

    @Test func acksAllWaitsOnEveryLoopThenAnswersTogether() throws {
        let cluster = try Cluster(followers: [2])
        let data = cluster.partitions.map { ProducePartitionData(topicPartition: $0, records: Batches.make(count: 2)) }
        let future = try cluster.produce(data, acks: -1)
        // Follower 2 catches up on all but the last partition: the produce still waits.
        for partition in cluster.partitions.dropLast() {
            #expect(try cluster.manager.updateFollowerFetchState(partition, replica: BrokerID(2), fetchOffset: Offset(2)).wait() == .none)
        }
        let done = Completed()
        try future.eventLoop.submit { future.whenComplete { _ in done.flag.withLock { $0 = true } } }.wait()
        #expect(!done.flag.withLock { $0 })
        _ = try cluster.manager.updateFollowerFetchState(cluster.partitions[5], replica: BrokerID(2), fetchOffset: Offset(2)).wait()
        let results = try future.wait()
        #expect(results.map(\.errorCode) == Array(repeating: .none, count: 6))
        #expect(results.map(\.baseOffset) == Array(repeating: Offset(0), count: 6))
    }

    @Test func invalidAcksAnswerEveryPartition() throws {
        let cluster = try Cluster()
        let data = cluster.partitions.map { ProducePartitionData(topicPartition: $0, records: Batches.make()) }
        let results = try cluster.produce(data, acks: 5).wait()
        #expect(results.map(\.errorCode) == Array(repeating: .invalidRequiredAcks, count: 6))
    }
}

private final class Completed: Sendable {
    let flag = Mutex(false)
}
