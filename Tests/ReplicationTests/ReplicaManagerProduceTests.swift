import BrokerCore
import BrokerTestSupport
import KafkaRecords
import LogStorage
import NIOCore
import Testing

@testable import Replication

@Suite struct ReplicaManagerProduceTests {
    @Test func acksOneAppendsAndReturnsBaseOffset() throws {
        let fixture = try ReplicaFixture()
        try fixture.lead(topicA)
        let first = try fixture.produceNow(topicA, Batches.make(count: 3))
        let second = try fixture.produceNow(topicA, Batches.make(count: 2))
        #expect(first.errorCode == .none)
        #expect(first.baseOffset == Offset(0))
        #expect(second.baseOffset == Offset(3))
        #expect(second.logStartOffset == Offset(0))
        #expect(try fixture.info(topicA).highWatermark == Offset(5))
    }

    @Test func unknownPartition() throws {
        let fixture = try ReplicaFixture()
        #expect(try fixture.produceNow(topicA, Batches.make()).errorCode == .unknownTopicOrPartition)
    }

    @Test func followerRejectsProduce() throws {
        let fixture = try ReplicaFixture()
        try fixture.follow(topicA)
        #expect(try fixture.produceNow(topicA, Batches.make()).errorCode == .notLeaderOrFollower)
    }

    @Test func invalidAcks() throws {
        let fixture = try ReplicaFixture()
        try fixture.lead(topicA)
        #expect(try fixture.produceNow(topicA, Batches.make(), acks: 2).errorCode == .invalidRequiredAcks)
        #expect(try fixture.info(topicA).logEndOffset == Offset(0))
    }

    @Test func acksAllBelowMinIsrIsRejectedBeforeAppending() throws {
        let fixture = try ReplicaFixture()
        try fixture.lead(topicA, replicas: [1, 2], isr: [1], minIsr: 2)
        let result = try fixture.produceNow(topicA, Batches.make(), acks: -1, minIsr: 2)
        #expect(result.errorCode == .notEnoughReplicas)
        #expect(try fixture.info(topicA).logEndOffset == Offset(0))
        // acks=1 is not subject to min.insync.replicas.
        #expect(try fixture.produceNow(topicA, Batches.make(), acks: 1, minIsr: 2).errorCode == .none)
    }

    @Test func storageErrorsAreMapped() throws {
        let fixture = try ReplicaFixture(config: LogConfig(segmentBytes: 1024, retentionMs: -1, maxMessageBytes: 300, segmentIndexBytes: 4096))
        try fixture.lead(topicA)
        #expect(try fixture.produceNow(topicA, Batches.corrupt()).errorCode == .corruptMessage)
        #expect(try fixture.produceNow(topicA, Batches.make(count: 1, valueSize: 400)).errorCode == .messageTooLarge)
        var many = ByteBuffer()
        for tag in 0..<8 {
            var batch = Batches.make(count: 1, tag: tag, valueSize: 150)
            many.writeBuffer(&batch)
        }
        #expect(try fixture.produceNow(topicA, many).errorCode == .recordListTooLarge)
        let invalid = try fixture.produceNow(topicA, Batches.control())
        #expect(invalid.errorCode == .invalidRecord)
        #expect(invalid.recordErrors.count == 1)
        #expect(try fixture.info(topicA).logEndOffset == Offset(0))
    }

    @Test func acksAllWithSingleReplicaCompletesAfterAppend() throws {
        let fixture = try ReplicaFixture()
        try fixture.lead(topicA)
        let result = try fixture.produceNow(topicA, Batches.make(count: 2), acks: -1)
        #expect(result.errorCode == .none)
        #expect(result.baseOffset == Offset(0))
    }

    @Test func acksAllWaitsForFollowerFetchPosition() throws {
        let fixture = try ReplicaFixture()
        try fixture.lead(topicA, replicas: [1, 2])
        let future = fixture.produce(topicA, Batches.make(count: 3), acks: -1)
        #expect(fixture.peek(future) == nil)
        _ = try fixture.followerFetch(topicA, offset: 2)  // below the append's end (3)
        #expect(fixture.peek(future) == nil)
        _ = try fixture.followerFetch(topicA, offset: 3)
        let results = try fixture.value(future)
        #expect(results.first?.errorCode == ErrorCode.none)
        #expect(results.first?.baseOffset == Offset(0))
        #expect(try fixture.info(topicA).highWatermark == Offset(3))
    }

    @Test func acksAllTimesOutWithoutFollower() throws {
        let fixture = try ReplicaFixture()
        try fixture.lead(topicA, replicas: [1, 2])
        let future = fixture.produce(topicA, Batches.make(), acks: -1, timeoutMs: 1_000)
        fixture.advance(ms: 999)
        #expect(fixture.peek(future) == nil)
        fixture.advance(ms: 1)
        #expect(try fixture.value(future).first?.errorCode == .requestTimedOut)
    }

    @Test func acksAllAnswersNotEnoughReplicasAfterAppendWhenIsrShrinks() throws {
        let fixture = try ReplicaFixture(lagMs: 10_000)
        try fixture.lead(topicA, replicas: [1, 2], minIsr: 2)
        let future = fixture.produce(topicA, Batches.make(), acks: -1, timeoutMs: 60_000, minIsr: 2)
        #expect(fixture.peek(future) == nil)
        fixture.clock.advance(milliseconds: 10_001)
        try fixture.value(fixture.manager.maybeShrinkIsr())
        #expect(try fixture.value(future).first?.errorCode == .notEnoughReplicasAfterAppend)
        #expect(fixture.isrChanges.changes.last?.1 == [BrokerID(1)])
    }

    @Test func acksAllAnswersNotLeaderWhenLeadershipMoves() throws {
        let fixture = try ReplicaFixture()
        try fixture.lead(topicA, replicas: [1, 2])
        let future = fixture.produce(topicA, Batches.make(), acks: -1)
        try fixture.follow(topicA, leader: 2, epoch: 1)
        #expect(try fixture.value(future).first?.errorCode == .notLeaderOrFollower)
    }

    @Test func duplicateBatchGetsOriginalOffsetsAndIsNotAppendedAgain() throws {
        let fixture = try ReplicaFixture()
        try fixture.lead(topicA)
        _ = try fixture.produceNow(topicA, Batches.make(count: 1))
        let batch = Batches.make(count: 2, producerID: 5, sequence: 0)
        let first = try fixture.produceNow(topicA, batch, acks: -1)
        let retry = try fixture.produceNow(topicA, batch, acks: -1)
        #expect(first.errorCode == .none)
        #expect(retry.errorCode == .none)
        #expect(retry.baseOffset == first.baseOffset)
        #expect(try fixture.info(topicA).logEndOffset == Offset(3))
    }

    @Test func sequenceGapAndOldEpochAreRejected() throws {
        let fixture = try ReplicaFixture()
        try fixture.lead(topicA)
        _ = try fixture.produceNow(topicA, Batches.make(producerID: 5, epoch: 1, sequence: 0))
        #expect(try fixture.produceNow(topicA, Batches.make(producerID: 5, epoch: 1, sequence: 2)).errorCode == .outOfOrderSequenceNumber)
        #expect(try fixture.produceNow(topicA, Batches.make(producerID: 5, epoch: 0, sequence: 1)).errorCode == .invalidProducerEpoch)
        #expect(try fixture.produceNow(topicA, Batches.make(producerID: 5, epoch: 1, sequence: 1)).errorCode == .none)
        #expect(try fixture.info(topicA).logEndOffset == Offset(2))
    }

    @Test func producerStateSurvivesRestart() throws {
        let fileSystem = FaultInjectingFileSystem()
        let clock = ManualTimeSource()
        let batch = Batches.make(count: 2, producerID: 5, sequence: 0)
        do {
            let fixture = try ReplicaFixture(fileSystem: fileSystem, clock: clock)
            try fixture.lead(topicA)
            #expect(try fixture.produceNow(topicA, Batches.make(count: 4)).baseOffset == Offset(0))
            #expect(try fixture.produceNow(topicA, batch).baseOffset == Offset(4))
            try fixture.value(fixture.manager.shutdown())
            try fixture.logManager.shutdown()
        }
        let restarted = try ReplicaFixture(fileSystem: fileSystem, clock: clock)
        try restarted.lead(topicA, epoch: 1)
        let retry = try restarted.produceNow(topicA, batch)
        #expect(retry.errorCode == .none)
        #expect(retry.baseOffset == Offset(4))
        #expect(try restarted.produceNow(topicA, Batches.make(producerID: 5, sequence: 3)).errorCode == .outOfOrderSequenceNumber)
        #expect(try restarted.produceNow(topicA, Batches.make(producerID: 5, sequence: 2)).baseOffset == Offset(6))
    }

    @Test func producerStateIsRebuiltAfterCrash() throws {
        let fileSystem = FaultInjectingFileSystem()
        let clock = ManualTimeSource()
        let batch = Batches.make(count: 1, producerID: 8, sequence: 0)
        do {
            let fixture = try ReplicaFixture(fileSystem: fileSystem, clock: clock)
            try fixture.lead(topicA)
            _ = try fixture.produceNow(topicA, batch)
            try fixture.logManager.getOrCreateLog(topicA).flush()
        }
        fileSystem.crash()
        let restarted = try ReplicaFixture(fileSystem: fileSystem, clock: clock)
        try restarted.lead(topicA, epoch: 1)
        let retry = try restarted.produceNow(topicA, batch)
        #expect(retry.baseOffset == Offset(0))
        #expect(try restarted.info(topicA).logEndOffset == Offset(1))
    }
}
