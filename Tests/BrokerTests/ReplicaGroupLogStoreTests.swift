import BrokerCore
import Foundation
import GroupCoordination
import KafkaRecords
import LogStorage
import NIOCore
import NIOPosix
import Replication
import SystemPackage
import Testing

@testable import Broker

/// The coordinator's storage over a real replica manager and segment files.
@Suite struct ReplicaGroupLogStoreTests {
    private final class Fixture {
        let directory: URL
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let logManager: LogManager
        let replicaManager: ReplicaManager
        let store: ReplicaGroupLogStore

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("martlet-gw-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            logManager = try LogManager(dirs: [FilePath(directory.path)], config: LogConfig(retentionMs: -1))
            replicaManager = ReplicaManager(
                config: ReplicaManagerConfig(localBrokerID: BrokerID(1)), logManager: logManager, group: group)
            store = ReplicaGroupLogStore(replicaManager: replicaManager, minInSyncReplicas: { 1 })
        }

        func close() async throws {
            _ = try? await replicaManager.shutdown().get()
            try? logManager.shutdown()
            try await group.shutdownGracefully()
            try? FileManager.default.removeItem(at: directory)
        }

        /// Makes broker 1 leader (`leader` 1) or follower (`leader` 2) of `__consumer_offsets` p.
        func apply(partition: Int32, leader: Int32) async throws {
            let state = LeaderAndIsrState(
                topicPartition: TopicPartition(TopicName.consumerOffsets, partition), leader: BrokerID(leader),
                leaderEpoch: LeaderEpoch(1), isr: leader == 1 ? [BrokerID(1)] : [BrokerID(leader), BrokerID(1)],
                partitionEpoch: 1, replicas: leader == 1 ? [BrokerID(1)] : [BrokerID(leader), BrokerID(1)])
            let outcome = try await replicaManager.becomeLeaderOrFollower([state]).get()
            #expect(outcome.values.map(\.errorCode) == [ErrorCode.none])
        }
    }

    private static func batch(_ value: String) -> ByteBuffer {
        var builder = RecordBatchBuilder()
        builder.append(key: Array("k".utf8), value: Array(value.utf8), timestamp: 1000)
        return builder.build()
    }

    @Test func appendsAreReadBackAsWholeBatchesUpToTheHighWatermark() async throws {
        let fixture = try Fixture()
        try await fixture.apply(partition: 3, leader: 1)
        let first = Self.batch("one")
        let second = Self.batch("two")
        let a = await fixture.store.append(partition: 3, batch: first, timeoutMs: 1000)
        let b = await fixture.store.append(partition: 3, batch: second, timeoutMs: 1000)
        #expect(a == GroupLogAppendResult(errorCode: .none, baseOffset: Offset(0)))
        #expect(b == GroupLogAppendResult(errorCode: .none, baseOffset: Offset(1)))

        let all = await fixture.store.read(partition: 3, from: Offset(0), maxBytes: 1 << 20)
        #expect(all.errorCode == .none)
        #expect(all.highWatermark == Offset(2))
        #expect(all.logStartOffset == Offset(0))
        #expect(all.records.readableBytes == first.readableBytes + second.readableBytes)
        var iterator = RecordBatchIterator(all.records)
        #expect(try iterator.next()?.header.baseOffset == Offset(0))
        #expect(try iterator.next()?.header.baseOffset == Offset(1))

        let tail = await fixture.store.read(partition: 3, from: Offset(1), maxBytes: 1 << 20)
        #expect(tail.records.readableBytes == second.readableBytes)
        // A tiny limit still returns one whole batch.
        let small = await fixture.store.read(partition: 3, from: Offset(0), maxBytes: 1)
        #expect(small.records.readableBytes == first.readableBytes)
        let end = await fixture.store.read(partition: 3, from: Offset(2), maxBytes: 1 << 20)
        #expect(end.errorCode == .none)
        #expect(end.records.readableBytes == 0)
        #expect(end.highWatermark == Offset(2))
        try await fixture.close()
    }

    @Test func partitionsNotLedHereAreErrors() async throws {
        let fixture = try Fixture()
        try await fixture.apply(partition: 1, leader: 2)
        let notHosted = await fixture.store.append(partition: 9, batch: Self.batch("x"), timeoutMs: 1000)
        #expect(notHosted.errorCode == .unknownTopicOrPartition)
        #expect(notHosted.baseOffset == .unknown)
        let follower = await fixture.store.append(partition: 1, batch: Self.batch("x"), timeoutMs: 1000)
        #expect(follower.errorCode == .notLeaderOrFollower)
        let readFollower = await fixture.store.read(partition: 1, from: Offset(0), maxBytes: 100)
        #expect(readFollower.errorCode == .notLeaderOrFollower)
        #expect(readFollower.records.readableBytes == 0)
        let readMissing = await fixture.store.read(partition: 9, from: Offset(0), maxBytes: 100)
        #expect(readMissing.errorCode == .unknownTopicOrPartition)
        try await fixture.close()
    }
}
