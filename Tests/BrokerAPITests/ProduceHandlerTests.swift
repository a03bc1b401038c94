import BrokerAPI
import BrokerCore
import KafkaProtocol
import KafkaRecords
import LogStorage
import NIOCore
import Replication
import Testing

@Suite struct ProduceHandlerTests {
    let orders = TopicPartition("orders", 0)

    @Test(arguments: Array(Int16(3)...11))
    func assignsOffsetsAndAnswersFieldsOfEachVersion(version: Int16) throws {
        let broker = try DataPathFixture()
        try broker.lead(orders)
        let first = try broker.produce(orders, TestBatches.make(count: 3), version: version)
        let second = try broker.produce(orders, TestBatches.make(count: 2), version: version)
        #expect(first.errorCode == ErrorCode.none.rawValue)
        #expect(first.baseOffset == 0)
        #expect(second.baseOffset == 3)
        #expect(second.logAppendTimeMs == -1)  // CreateTime topic
        #expect(second.logStartOffset == (version >= 5 ? 0 : -1))
        #expect(second.recordErrors.isEmpty)
        #expect(second.errorMessage == nil)
        let info = try #require(try broker.value(broker.replicaManager.partitionInfo(orders)))
        #expect(info.logEndOffset == Offset(5))
        #expect(info.highWatermark == Offset(5))
    }

    @Test func logAppendTimeTopicsAnswerTheAppendTime() throws {
        let broker = try DataPathFixture(config: LogConfig(retentionMs: -1, segmentIndexBytes: 64 * 1024, messageTimestampType: .logAppendTime))
        try broker.lead(orders)
        let answer = try broker.produce(orders, TestBatches.make(count: 2), version: 3)
        #expect(answer.errorCode == ErrorCode.none.rawValue)
        #expect(answer.logAppendTimeMs == broker.clock.nowMilliseconds)
    }

    @Test func answersEachPartitionOnItsOwnInRequestOrder() throws {
        let broker = try DataPathFixture()
        try broker.lead(orders)
        let request = ProduceRequest(
            acks: 1, timeoutMs: 1000,
            topicData: [
                .init(name: "missing", partitionData: [.init(index: 0, records: .bytes(TestBatches.make()))]),
                .init(
                    name: "orders",
                    partitionData: [
                        .init(index: 0, records: .bytes(TestBatches.make(count: 2))),
                        .init(index: 7, records: .bytes(TestBatches.make())),
                    ]),
            ])
        let response = try broker.call(request, version: 9)
        #expect(response.responses.map(\.name) == ["missing", "orders"])
        #expect(response.responses[0].partitionResponses.map(\.errorCode) == [ErrorCode.unknownTopicOrPartition.rawValue])
        #expect(response.responses[1].partitionResponses.map(\.index) == [0, 7])
        #expect(
            response.responses[1].partitionResponses.map(\.errorCode) == [
                ErrorCode.none.rawValue, ErrorCode.unknownTopicOrPartition.rawValue,
            ])
        #expect(response.responses[1].partitionResponses[1].baseOffset == -1)
    }

    @Test func unknownPartitionIsUnknownTopicOrPartition() throws {
        let broker = try DataPathFixture()
        let answer = try broker.produce(orders, TestBatches.make())
        #expect(answer.errorCode == ErrorCode.unknownTopicOrPartition.rawValue)
        #expect(answer.baseOffset == -1)
    }

    @Test func partitionTheClusterHasButThisBrokerDoesNotHostIsNotLeader() throws {
        let broker = try DataPathFixture()
        broker.addToClusterMetadata(orders)
        #expect(try broker.produce(orders, TestBatches.make()).errorCode == ErrorCode.notLeaderOrFollower.rawValue)
    }

    @Test(arguments: [Int16(9), 10, 11])
    func notLeaderAnswerCarriesTheCurrentLeaderFromVersion10(version: Int16) throws {
        let broker = try DataPathFixture()
        broker.addToClusterMetadata(orders, leader: 2)
        broker.metadata.update { image in
            image.brokers[BrokerID(2)] = BrokerNode(
                id: BrokerID(2), endpoints: ["PLAINTEXT": HostPort(host: "broker2.example", port: 19092)], rack: "r2")
        }
        let response = try broker.call(produceRequest(orders, TestBatches.make()), version: version)
        let answer = try #require(response.responses.first?.partitionResponses.first)
        #expect(answer.errorCode == ErrorCode.notLeaderOrFollower.rawValue)
        if version >= 10 {
            #expect(answer.currentLeader == .init(leaderId: 2, leaderEpoch: 0))
            #expect(response.nodeEndpoints == [.init(nodeId: 2, host: "broker2.example", port: 19092, rack: "r2")])
        } else {
            #expect(answer.currentLeader == .init())
            #expect(response.nodeEndpoints.isEmpty)
        }
    }

    @Test func notLeaderWithoutAKnownLeaderEndpointHasNoHint() throws {
        let broker = try DataPathFixture()
        broker.addToClusterMetadata(orders, leader: 3)  // broker 3 is not in the metadata
        let response = try broker.call(produceRequest(orders, TestBatches.make()), version: 11)
        #expect(response.responses.first?.partitionResponses.first?.currentLeader == .init())
        #expect(response.nodeEndpoints.isEmpty)
    }

    @Test func followerAnswersNotLeaderOrFollower() throws {
        let broker = try DataPathFixture()
        try broker.follow(orders)
        #expect(try broker.produce(orders, TestBatches.make()).errorCode == ErrorCode.notLeaderOrFollower.rawValue)
    }

    @Test func batchAboveMaxMessageBytesIsMessageTooLarge() throws {
        let broker = try DataPathFixture(config: LogConfig(retentionMs: -1, maxMessageBytes: 100, segmentIndexBytes: 64 * 1024))
        try broker.lead(orders)
        let answer = try broker.produce(orders, TestBatches.make(count: 20))
        #expect(answer.errorCode == ErrorCode.messageTooLarge.rawValue)
    }

    @Test func damagedBatchIsCorruptMessage() throws {
        let broker = try DataPathFixture()
        try broker.lead(orders)
        var batch = TestBatches.make(count: 2)
        let last = batch.writerIndex - 1
        batch.setInteger(batch.getInteger(at: last, as: UInt8.self).map { $0 ^ 0xff } ?? 0, at: last)
        #expect(try broker.produce(orders, batch).errorCode == ErrorCode.corruptMessage.rawValue)
    }

    @Test func impossibleLengthFieldIsCorruptMessage() throws {
        let broker = try DataPathFixture()
        try broker.lead(orders)
        var batch = TestBatches.make()
        batch.setInteger(Int32(13), at: batch.readerIndex + RecordBatchHeader.FieldOffset.batchLength)
        #expect(try broker.produce(orders, batch).errorCode == ErrorCode.corruptMessage.rawValue)
    }

    @Test func twoBatchesInOnePartitionAreInvalidRecord() throws {
        let broker = try DataPathFixture()
        try broker.lead(orders)
        var records = TestBatches.make(count: 1)
        var second = TestBatches.make(count: 1, tag: "w")
        records.writeBuffer(&second)
        let answer = try broker.produce(orders, records)
        #expect(answer.errorCode == ErrorCode.invalidRecord.rawValue)
        #expect(answer.errorMessage?.contains("exactly one record batch") == true)
        #expect(try broker.value(broker.replicaManager.partitionInfo(orders))?.logEndOffset == Offset(0))
    }

    @Test(arguments: [Int8(0), 1])
    func legacyMagicIsInvalidRecord(magic: Int8) throws {
        let broker = try DataPathFixture()
        try broker.lead(orders)
        let answer = try broker.produce(orders, TestBatches.withMagic(TestBatches.make(), magic))
        #expect(answer.errorCode == ErrorCode.invalidRecord.rawValue)
    }

    @Test func emptyAndNullRecordsAreInvalidRecord() throws {
        let broker = try DataPathFixture()
        try broker.lead(orders)
        #expect(try broker.produce(orders, ByteBuffer()).errorCode == ErrorCode.invalidRecord.rawValue)
        let response = try broker.call(produceRequest(orders, nil), version: 9)
        #expect(response.responses[0].partitionResponses[0].errorCode == ErrorCode.invalidRecord.rawValue)
    }

    @Test func zstdBeforeVersion7IsUnsupportedCompressionType() throws {
        let broker = try DataPathFixture()
        try broker.lead(orders)
        let zstd = TestBatches.withAttributes(TestBatches.make(), Int16(CompressionCodec.zstd.rawValue))
        #expect(try broker.produce(orders, zstd, version: 6).errorCode == ErrorCode.unsupportedCompressionType.rawValue)
    }

    @Test func controlBatchFromClientIsInvalidRecordWithRecordErrors() throws {
        let broker = try DataPathFixture()
        try broker.lead(orders)
        var builder = RecordBatchBuilder(isControl: true)
        builder.append(key: [0, 0, 0, 0], value: [0, 0, 0, 0, 0, 0], timestamp: TestBatches.baseTimestamp)
        let answer = try broker.produce(orders, builder.build(), version: 8)
        #expect(answer.errorCode == ErrorCode.invalidRecord.rawValue)
        #expect(answer.recordErrors.map(\.batchIndex) == [0])
    }

    @Test func acksOtherThanZeroOneAllAreInvalidRequiredAcks() throws {
        let broker = try DataPathFixture()
        try broker.lead(orders)
        #expect(try broker.produce(orders, TestBatches.make(), acks: 2).errorCode == ErrorCode.invalidRequiredAcks.rawValue)
        #expect(try broker.value(broker.replicaManager.partitionInfo(orders))?.logEndOffset == Offset(0))
    }

    @Test func acksAllBelowMinInSyncReplicasIsNotEnoughReplicas() throws {
        let broker = try DataPathFixture(minInSyncReplicas: 2)
        try broker.lead(orders, replicas: [1, 2], isr: [1])
        let answer = try broker.produce(orders, TestBatches.make(), acks: -1)
        #expect(answer.errorCode == ErrorCode.notEnoughReplicas.rawValue)
        #expect(try broker.value(broker.replicaManager.partitionInfo(orders))?.logEndOffset == Offset(0))
    }

    @Test func acksAllWithEveryReplicaInSyncCompletesAfterTheAppend() throws {
        let broker = try DataPathFixture(minInSyncReplicas: 1)
        try broker.lead(orders)
        let answer = try broker.produce(orders, TestBatches.make(count: 4), acks: -1)
        #expect(answer.errorCode == ErrorCode.none.rawValue)
        #expect(answer.baseOffset == 0)
    }

    @Test func acksAllWaitsForFollowersThenTimesOut() throws {
        let broker = try DataPathFixture()
        try broker.lead(orders, replicas: [1, 2])
        let outcome = broker.dispatch(produceRequest(orders, TestBatches.make(), acks: -1, timeoutMs: 1_000), version: 9)
        guard case .later(let future) = outcome else { throw TestFailure("expected .later, got \(outcome)") }
        #expect(broker.peek(future) == nil)
        broker.advance(ms: 1_000)
        let answer = try broker.response(to: outcome, as: ProduceResponse.self, version: 9).response
        #expect(answer.responses[0].partitionResponses[0].errorCode == ErrorCode.requestTimedOut.rawValue)
    }

    @Test func clientsMayNotWriteInternalTopics() throws {
        let broker = try DataPathFixture()
        let offsets = TopicPartition(TopicName.consumerOffsets, 0)
        try broker.lead(offsets)
        let refused = try broker.call(produceRequest(offsets, TestBatches.make()), version: 9)
        #expect(refused.responses[0].partitionResponses[0].errorCode == ErrorCode.invalidTopicException.rawValue)
        let admin = try broker.call(produceRequest(offsets, TestBatches.make()), version: 9, clientID: "__admin_client")
        #expect(admin.responses[0].partitionResponses[0].errorCode == ErrorCode.none.rawValue)
    }

    @Test func transactionalBatchIsInvalidProducerIdMappingWithoutACoordinator() throws {
        let broker = try DataPathFixture()
        try broker.lead(orders)
        let batch = TestBatches.make(isTransactional: true, producerID: 7, sequence: 0)
        let response = try broker.call(produceRequest(orders, batch, transactionalId: "txn-1"), version: 9)
        #expect(response.responses[0].partitionResponses[0].errorCode == ErrorCode.invalidProducerIdMapping.rawValue)
        #expect(try broker.value(broker.replicaManager.partitionInfo(orders))?.logEndOffset == Offset(0))
    }

    @Test func transactionalBatchWithoutTransactionalIdFailsTheWholeRequest() throws {
        let broker = try DataPathFixture()
        try broker.lead(orders)
        try broker.lead(TopicPartition("orders", 1))
        let request = ProduceRequest(
            acks: 1, timeoutMs: 1000,
            topicData: [
                .init(
                    name: "orders",
                    partitionData: [
                        .init(index: 0, records: .bytes(TestBatches.make())),
                        .init(index: 1, records: .bytes(TestBatches.make(isTransactional: true, producerID: 7, sequence: 0))),
                    ])
            ])
        let response = try broker.call(request, version: 9)
        #expect(
            response.responses[0].partitionResponses.map(\.errorCode) == [
                ErrorCode.transactionalIdAuthorizationFailed.rawValue, ErrorCode.transactionalIdAuthorizationFailed.rawValue,
            ])
        #expect(try broker.value(broker.replicaManager.partitionInfo(orders))?.logEndOffset == Offset(0))
    }

    @Test func acksZeroSuccessSendsNoResponse() throws {
        let broker = try DataPathFixture()
        try broker.lead(orders)
        // The partition's loop is the connection's (embedded loops): settled during the call.
        let outcome = broker.dispatch(produceRequest(orders, TestBatches.make(count: 2), acks: 0), version: 9)
        guard case .noResponse = outcome else { throw TestFailure("expected no response, got \(outcome)") }
        #expect(try broker.value(broker.replicaManager.partitionInfo(orders))?.logEndOffset == Offset(2))
    }

    @Test func acksZeroRefusedPartitionClosesTheConnection() throws {
        let broker = try DataPathFixture()
        let outcome = broker.dispatch(produceRequest(orders, TestBatches.make(), acks: 0), version: 9)
        guard case .close = outcome else { throw TestFailure("expected the connection to close, got \(outcome)") }
    }

    @Test func acksZeroFailedAppendClosesTheConnection() throws {
        let broker = try DataPathFixture(config: LogConfig(retentionMs: -1, maxMessageBytes: 100, segmentIndexBytes: 64 * 1024))
        try broker.lead(orders)
        let outcome = broker.dispatch(produceRequest(orders, TestBatches.make(count: 20), acks: 0), version: 9)
        guard case .close(let reason) = outcome else { throw TestFailure("expected the connection to close, got \(outcome)") }
        #expect(reason.contains("MESSAGE_TOO_LARGE"))
    }

    @Test func versionsOutsideThreeToElevenCloseTheConnection() throws {
        let broker = try DataPathFixture()
        try broker.lead(orders)
        for version: Int16 in [2, 12] {
            guard case .close = broker.dispatch(produceRequest(orders, TestBatches.make()), version: version) else {
                throw TestFailure("version \(version) was served")
            }
        }
        #expect(ProduceHandler.supportedVersions == 3...11)
    }
}
