import BrokerCore
import KafkaRecords
import LogStorage
import NIOCore
import Testing

@testable import Replication

@Suite struct ReplicaManagerFetchTests {
    @Test func consumerReadsUpToHighWatermarkFollowerToLogEnd() throws {
        let fixture = try ReplicaFixture()
        try fixture.lead(topicA, replicas: [1, 2])
        _ = try fixture.produceNow(topicA, Batches.make(count: 2))
        _ = try fixture.followerFetch(topicA, offset: 2)  // HW = 2
        _ = try fixture.produceNow(topicA, Batches.make(count: 3))  // LEO = 5, HW still 2
        let consumer = try #require(try fixture.value(fixture.consumerFetch([request(topicA, offset: 0)])).first)
        #expect(consumer.errorCode == .none)
        #expect(consumer.highWatermark == Offset(2))
        #expect(consumer.lastStableOffset == Offset(2))
        #expect(consumer.logStartOffset == Offset(0))
        #expect(consumer.records?.nextFetchOffset == Offset(2))
        // The follower at 2 reads the rest (and thereby moves the HW to 2, unchanged).
        let follower = try #require(try fixture.followerFetch(topicA, offset: 2).first)
        #expect(follower.records?.firstBatchBaseOffset == Offset(2))
        #expect(follower.records?.nextFetchOffset == Offset(5))
    }

    @Test func errorsPerPartition() throws {
        let fixture = try ReplicaFixture()
        try fixture.lead(topicA, epoch: 5)
        try fixture.follow(topicB)
        _ = try fixture.produceNow(topicA, Batches.make(count: 2))
        let results = try fixture.value(
            fixture.consumerFetch([
                request(topicA, offset: 3), request(topicB, offset: 0), request(TopicPartition("nope", 0), offset: 0),
                request(topicA, offset: 0, epoch: 4), request(topicA, offset: 0, epoch: 6),
            ]))
        #expect(results.map(\.errorCode) == [
            .offsetOutOfRange, .notLeaderOrFollower, .unknownTopicOrPartition, .fencedLeaderEpoch, .unknownLeaderEpoch,
        ])
    }

    @Test func unknownFollowerIsRejected() throws {
        let fixture = try ReplicaFixture()
        try fixture.lead(topicA, replicas: [1, 2])
        #expect(try fixture.followerFetch(topicA, replica: 3, offset: 0).first?.errorCode == .notLeaderOrFollower)
    }

    @Test func totalMaxBytesAndFirstBatchRule() throws {
        let fixture = try ReplicaFixture()
        try fixture.lead(topicA)
        try fixture.lead(topicB)
        let batchA = try fixture.produceNow(topicA, Batches.make(count: 1, valueSize: 500))
        _ = try fixture.produceNow(topicB, Batches.make(count: 1, valueSize: 500))
        #expect(batchA.errorCode == .none)
        // maxBytes smaller than one batch: the first partition still returns its batch, the second nothing.
        let results = try fixture.value(fixture.consumerFetch([request(topicA, offset: 0), request(topicB, offset: 0)], maxBytes: 100))
        #expect(results[0].sizeInBytes > 100)
        #expect(results[1].sizeInBytes == 0)
        #expect(results[1].errorCode == .none)
        // A partition with no data does not use up the first-batch allowance.
        let skipFirst = try fixture.value(fixture.consumerFetch([request(topicA, offset: 1), request(topicB, offset: 0)], maxBytes: 100))
        #expect(skipFirst[0].sizeInBytes == 0)
        #expect(skipFirst[1].sizeInBytes > 100)
    }

    @Test func zeroMaxWaitReturnsImmediately() throws {
        let fixture = try ReplicaFixture()
        try fixture.lead(topicA)
        let results = try fixture.value(fixture.consumerFetch([request(topicA, offset: 0)], maxWaitMs: 0, minBytes: 1))
        #expect(results.first?.sizeInBytes == 0)
    }

    @Test func longPollCompletesOnAppendNotTimer() throws {
        let fixture = try ReplicaFixture()
        try fixture.lead(topicA)
        let future = fixture.consumerFetch([request(topicA, offset: 0)], maxWaitMs: 5_000, minBytes: 1)
        #expect(fixture.peek(future) == nil)
        _ = try fixture.produceNow(topicA, Batches.make(count: 2))
        // No time has passed: the append woke the fetch.
        let results = try fixture.value(future)
        #expect(results.first?.records?.nextFetchOffset == Offset(2))
    }

    @Test func longPollWaitsForMinBytes() throws {
        let fixture = try ReplicaFixture()
        try fixture.lead(topicA)
        let future = fixture.consumerFetch([request(topicA, offset: 0)], maxWaitMs: 5_000, minBytes: 1_000)
        _ = try fixture.produceNow(topicA, Batches.make(count: 1, valueSize: 100))
        #expect(fixture.peek(future) == nil)
        _ = try fixture.produceNow(topicA, Batches.make(count: 1, valueSize: 1_000))
        #expect(try fixture.value(future).first?.records?.nextFetchOffset == Offset(2))
    }

    @Test func longPollTimesOutWithWhateverIsThereExactlyOnce() throws {
        let fixture = try ReplicaFixture()
        try fixture.lead(topicA)
        let future = fixture.consumerFetch([request(topicA, offset: 0)], maxWaitMs: 500, minBytes: 10_000)
        _ = try fixture.produceNow(topicA, Batches.make(count: 1))
        fixture.advance(ms: 499)
        #expect(fixture.peek(future) == nil)
        fixture.advance(ms: 1)
        let results = try fixture.value(future)
        #expect(results.first?.records?.nextFetchOffset == Offset(1))
        // Later appends and timers find it completed (a second completion would crash the promise).
        _ = try fixture.produceNow(topicA, Batches.make(count: 1))
        fixture.advance(ms: 1_000)
        #expect(fixture.manager.fetchPurgatories[0].watcherCount(topicA) == 0)
    }

    @Test func longPollCompletesEarlyOnLeaderChange() throws {
        let fixture = try ReplicaFixture()
        try fixture.lead(topicA, replicas: [1, 2])
        let future = fixture.consumerFetch([request(topicA, offset: 0)], maxWaitMs: 5_000, minBytes: 1)
        #expect(fixture.peek(future) == nil)
        try fixture.follow(topicA, leader: 2, epoch: 1)
        #expect(try fixture.value(future).first?.errorCode == .notLeaderOrFollower)
    }

    @Test func longPollAcrossLoopsWakesOnAnyPartition() throws {
        let fixture = try ReplicaFixture(loopCount: 4)
        let partitions = (0..<8).map { TopicPartition("spread", Int32($0)) }
        for partition in partitions { try fixture.lead(partition) }
        let loops = Set(partitions.map { fixture.manager.loopIndex(for: $0) })
        #expect(loops.count > 1)
        let future = fixture.consumerFetch(partitions.map { request($0, offset: 0) }, maxWaitMs: 5_000, minBytes: 1)
        #expect(fixture.peek(future) == nil)
        _ = try fixture.produceNow(partitions[5], Batches.make(count: 1))
        let results = try fixture.value(future)
        #expect(results.map(\.sizeInBytes).filter { $0 > 0 }.count == 1)
        #expect(results[5].sizeInBytes > 0)
    }

    @Test func consumerLongPollWakesWhenHighWatermarkMoves() throws {
        let fixture = try ReplicaFixture()
        try fixture.lead(topicA, replicas: [1, 2])
        _ = try fixture.produceNow(topicA, Batches.make(count: 1))
        let future = fixture.consumerFetch([request(topicA, offset: 0)], maxWaitMs: 5_000, minBytes: 1)
        #expect(fixture.peek(future) == nil)  // data exists but is above the HW
        _ = try fixture.followerFetch(topicA, offset: 1)
        #expect(try fixture.value(future).first?.records?.nextFetchOffset == Offset(1))
    }
}

@Suite struct ReplicaManagerFetchAboveHighWatermarkTests {
    @Test func consumerFetchAboveHighWatermarkAnswersAtOnceEmpty() throws {
        // Kafka's DelayedFetch case F: the fetch offset is past what the consumer may read.
        let fixture = try ReplicaFixture()
        try fixture.lead(topicA, replicas: [1, 2])
        _ = try fixture.produceNow(topicA, Batches.make(count: 1))
        let results = try fixture.value(fixture.consumerFetch([request(topicA, offset: 1)], maxWaitMs: 5_000))
        #expect(results.first?.errorCode == ErrorCode.none)
        #expect(results.first?.sizeInBytes == 0)
    }
}
