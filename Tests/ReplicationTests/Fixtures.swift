import BrokerCore
import BrokerTestSupport
import KafkaRecords
import LogStorage
import NIOCore
import NIOEmbedded

@testable import Replication

struct FixtureError: Error, CustomStringConvertible {
    var description: String
}

/// Holds a future's result once it completes (tests run on the embedded loops' thread).
final class FutureBox<T: Sendable>: @unchecked Sendable {
    var result: Result<T, any Error>?
}

/// A ReplicaManager over in-memory logs, embedded event loops and a manual clock. Broker 1 is
/// the local broker. Nothing runs unless the test runs the loops (``settle()``) or advances
/// time (``advance(ms:)``).
final class ReplicaFixture {
    let fileSystem: FaultInjectingFileSystem
    let clock: ManualTimeSource
    let loops: [EmbeddedEventLoop]
    let logManager: LogManager
    let manager: ReplicaManager
    let isrChanges = IsrChangeLog()
    static let local = BrokerID(1)

    init(
        loopCount: Int = 1, lagMs: Int64 = 10_000, config: LogConfig = LogConfig(retentionMs: -1, segmentIndexBytes: 64 * 1024),
        fileSystem: FaultInjectingFileSystem = FaultInjectingFileSystem(), clock: ManualTimeSource = ManualTimeSource()
    ) throws {
        self.fileSystem = fileSystem
        self.clock = clock
        self.loops = (0..<loopCount).map { _ in EmbeddedEventLoop() }
        self.logManager = try InMemoryLogManager.make(fileSystem: fileSystem, clock: clock, config: config)
        let changes = isrChanges
        self.manager = ReplicaManager(
            config: ReplicaManagerConfig(localBrokerID: Self.local, replicaLagTimeMaxMs: lagMs, highWatermarkCheckpointIntervalMs: 5_000),
            logManager: logManager, eventLoops: loops, clock: clock,
            isrUpdateWriter: RecordingIsrWriter(log: changes))
    }

    /// Runs every task queued on the loops until none is left.
    func settle() {
        for _ in 0..<8 { for loop in loops { loop.run() } }
    }

    /// Moves the clock and the loops' timers forward.
    func advance(ms: Int64) {
        clock.advance(milliseconds: ms)
        for loop in loops { loop.advanceTime(by: .milliseconds(ms)) }
        settle()
    }

    /// The future's value after running the loops; throws if it failed or has not completed.
    func value<T: Sendable>(_ future: EventLoopFuture<T>) throws -> T {
        guard let result = peek(future) else { throw FixtureError(description: "future has not completed") }
        return try result.get()
    }

    /// The future's result after running the loops, or nil while it is pending.
    func peek<T: Sendable>(_ future: EventLoopFuture<T>) -> Result<T, any Error>? {
        settle()
        let box = FutureBox<T>()
        future.whenComplete { box.result = $0 }
        settle()
        return box.result
    }

    /// Makes this broker leader of `partition`.
    @discardableResult
    func lead(
        _ partition: TopicPartition, replicas: [Int32] = [1], isr: [Int32]? = nil, minIsr: Int = 1, epoch: Int32 = 0,
        partitionEpoch: Int32 = 0
    ) throws -> LeaderAndIsrOutcome {
        let state = LeaderAndIsrState(
            topicPartition: partition, leader: Self.local, leaderEpoch: LeaderEpoch(epoch), isr: (isr ?? replicas).map { BrokerID($0) },
            partitionEpoch: partitionEpoch, replicas: replicas.map { BrokerID($0) }, minInSyncReplicas: minIsr)
        let outcome = try value(manager.becomeLeaderOrFollower([state]))
        guard let result = outcome[partition] else { throw FixtureError(description: "no outcome") }
        return result
    }

    /// Makes broker `leader` (not this one) leader of `partition`.
    @discardableResult
    func follow(_ partition: TopicPartition, leader: Int32 = 2, replicas: [Int32] = [1, 2], epoch: Int32 = 0) throws
        -> LeaderAndIsrOutcome
    {
        let state = LeaderAndIsrState(
            topicPartition: partition, leader: BrokerID(leader), leaderEpoch: LeaderEpoch(epoch),
            isr: replicas.map { BrokerID($0) }, partitionEpoch: 0, replicas: replicas.map { BrokerID($0) })
        let outcome = try value(manager.becomeLeaderOrFollower([state]))
        guard let result = outcome[partition] else { throw FixtureError(description: "no outcome") }
        return result
    }

    func produce(
        _ partition: TopicPartition, _ records: ByteBuffer, acks: Int16 = 1, timeoutMs: Int64 = 30_000, minIsr: Int = 1
    ) -> EventLoopFuture<[ProducePartitionResult]> {
        manager.appendRecords(
            [ProducePartitionData(topicPartition: partition, records: records, minInSyncReplicas: minIsr)], acks: acks,
            timeoutMs: timeoutMs)
    }

    /// Produces and returns the single result (must complete now).
    func produceNow(
        _ partition: TopicPartition, _ records: ByteBuffer, acks: Int16 = 1, minIsr: Int = 1
    ) throws -> ProducePartitionResult {
        let results = try value(produce(partition, records, acks: acks, minIsr: minIsr))
        guard let first = results.first else { throw FixtureError(description: "no result") }
        return first
    }

    func consumerFetch(
        _ requests: [FetchPartitionRequest], maxWaitMs: Int64 = 0, minBytes: Int = 1, maxBytes: Int = 1 << 20
    ) -> EventLoopFuture<[FetchPartitionResult]> {
        manager.fetchMessages(FetchParams(maxWaitMs: maxWaitMs, minBytes: minBytes, maxBytes: maxBytes, partitions: requests))
    }

    /// Simulates follower `replica` fetching `partition` at `offset` (what its fetcher will do).
    func followerFetch(_ partition: TopicPartition, replica: Int32 = 2, offset: Int64) throws -> [FetchPartitionResult] {
        try value(
            manager.fetchMessages(
                FetchParams(
                    replicaID: BrokerID(replica), maxWaitMs: 0, minBytes: 1, maxBytes: 1 << 20,
                    partitions: [FetchPartitionRequest(topicPartition: partition, fetchOffset: Offset(offset), partitionMaxBytes: 1 << 20)])))
    }

    func info(_ partition: TopicPartition) throws -> PartitionInfo {
        guard let info = try value(manager.partitionInfo(partition)) else { throw FixtureError(description: "not hosted") }
        return info
    }
}

/// ISR changes reported by the partitions.
final class IsrChangeLog: @unchecked Sendable {
    private(set) var changes: [(TopicPartition, [BrokerID])] = []
    func record(_ partition: TopicPartition, _ isr: [BrokerID]) { changes.append((partition, isr)) }
}

func request(_ partition: TopicPartition, offset: Int64, maxBytes: Int = 1 << 20, epoch: Int32 = -1) -> FetchPartitionRequest {
    FetchPartitionRequest(
        topicPartition: partition, fetchOffset: Offset(offset), partitionMaxBytes: maxBytes, currentLeaderEpoch: LeaderEpoch(epoch))
}

enum Batches {
    /// An uncompressed batch of `count` records ("v<tag>-<i>", or `valueSize` bytes each).
    static func make(
        count: Int = 1, tag: Int = 0, timestamp: Int64 = 1_700_000_000_000, valueSize: Int? = nil,
        producerID: Int64 = -1, epoch: Int16 = 0, sequence: Int32 = -1
    ) -> ByteBuffer {
        var builder = RecordBatchBuilder(
            producerID: ProducerID(producerID), producerEpoch: producerID < 0 ? .none : ProducerEpoch(epoch),
            baseSequence: producerID < 0 ? -1 : sequence)
        for index in 0..<count {
            let value: [UInt8] = valueSize.map { [UInt8](repeating: 7, count: $0) } ?? Array("v\(tag)-\(index)".utf8)
            builder.append(key: Array("k\(index)".utf8), value: value, timestamp: timestamp + Int64(index))
        }
        return builder.build()
    }

    /// A batch with a broken CRC.
    static func corrupt() -> ByteBuffer {
        var buffer = make(count: 2)
        let last = buffer.writerIndex - 1
        buffer.setInteger(buffer.getInteger(at: last, as: UInt8.self).map { $0 ^ 0xff } ?? 0, at: last)
        return buffer
    }

    /// A well-formed control batch (clients may not send these: INVALID_RECORD).
    static func control() -> ByteBuffer {
        var builder = RecordBatchBuilder(isControl: true)
        builder.append(key: [0, 0, 0, 0], value: [0, 0, 0, 0, 0, 0], timestamp: 1_700_000_000_000)
        return builder.build()
    }
}

let topicA = TopicPartition("orders", 0)
let topicB = TopicPartition("orders", 1)

/// An ISR writer that answers at once: records the update and commits it (partition epoch + 1),
/// or answers `answer` when set.
final class RecordingIsrWriter: IsrUpdateWriter, @unchecked Sendable {
    let log: IsrChangeLog
    var answer: IsrUpdateOutcome?
    private(set) var updates: [IsrUpdate] = []

    init(log: IsrChangeLog) { self.log = log }

    func write(_ update: IsrUpdate, completion: @escaping @Sendable (IsrUpdateOutcome) -> Void) {
        updates.append(update)
        let outcome = answer ?? .committed(partitionEpoch: update.partitionEpoch + 1)
        if case .committed = outcome { log.record(update.topicPartition, update.isr) }
        completion(outcome)
    }
}
