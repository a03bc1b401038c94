import BrokerAPI
import BrokerCore
import KafkaProtocol
import NIOCore
import Replication
import Testing

@Suite struct DeleteRecordsHandlerTests {
    let orders = TopicPartition("orders", 0)

    /// Dispatches DeleteRecords through a registry holding only `DeleteRecordsHandler` over the
    /// fixture's replica manager and metadata.
    private func deleteRecords(
        _ broker: DataPathFixture, _ partition: TopicPartition, offset: Int64, version: Int16 = 2
    ) throws -> DeleteRecordsResponse.DeleteRecordsPartitionResult {
        let registry = HandlerRegistry(handlers: [
            DeleteRecordsHandler(replicaManager: broker.replicaManager, metadataCache: broker.metadata)
        ])
        let request = DeleteRecordsRequest(
            topics: [.init(name: partition.topic, partitions: [.init(partitionIndex: partition.partition, offset: offset)])],
            timeoutMs: 1000)
        var writer = MessageWriter()
        request.encode(to: &writer, version: version)
        var body = writer.finishAsByteBuffer() ?? ByteBuffer()
        let context = RequestContext(
            apiKey: DeleteRecordsRequest.apiKey, apiVersion: version, correlationID: 42, clientID: "test",
            clientAddress: "127.0.0.1:1", listenerName: "PLAINTEXT", eventLoop: broker.loop)
        let response = try broker.response(
            to: registry.dispatch(body: &body, context: context), as: DeleteRecordsResponse.self, version: version
        ).response
        #expect(response.topics.map(\.name) == [partition.topic])
        return try #require(response.topics.first?.partitions.first)
    }

    /// Leads `orders` with offsets 0-4.
    private func seeded() throws -> DataPathFixture {
        let broker = try DataPathFixture()
        try broker.lead(orders)
        try broker.produce(orders, TestBatches.make(count: 5))
        return broker
    }

    private func earliest(_ broker: DataPathFixture) throws -> Int64 {
        let response = try broker.call(
            ListOffsetsRequest(
                replicaId: -1, topics: [.init(name: orders.topic, partitions: [.init(partitionIndex: 0, timestamp: -2)])]),
            version: 7)
        return try #require(response.topics.first?.partitions.first).offset
    }

    @Test(arguments: [Int16(0), 1, 2])
    func advancesTheLogStartOffset(version: Int16) throws {
        let broker = try seeded()
        let result = try deleteRecords(broker, orders, offset: 3, version: version)
        #expect(result.errorCode == ErrorCode.none.rawValue)
        #expect(result.lowWatermark == 3)
        #expect(try earliest(broker) == 3)
        // Below the new start: OFFSET_OUT_OF_RANGE; at it: records.
        let below = try broker.call(fetchRequest(orders, offset: 1), version: 12)
        #expect(below.responses.first?.partitions.first?.errorCode == ErrorCode.offsetOutOfRange.rawValue)
        #expect(below.responses.first?.partitions.first?.logStartOffset == 3)
        let at = try broker.call(fetchRequest(orders, offset: 3), version: 12)
        #expect(at.responses.first?.partitions.first?.errorCode == ErrorCode.none.rawValue)
    }

    @Test func minusOneDeletesUpToTheHighWatermark() throws {
        let broker = try seeded()
        let result = try deleteRecords(broker, orders, offset: -1)
        #expect(result.errorCode == ErrorCode.none.rawValue)
        #expect(result.lowWatermark == 5)
        #expect(try earliest(broker) == 5)
    }

    @Test func offsetAboveTheHighWatermarkIsOutOfRange() throws {
        let broker = try seeded()
        let result = try deleteRecords(broker, orders, offset: 6)
        #expect(result.errorCode == ErrorCode.offsetOutOfRange.rawValue)
        #expect(result.lowWatermark == -1)
        #expect(try earliest(broker) == 0)
    }

    @Test func negativeOffsetOtherThanMinusOneIsOutOfRange() throws {
        let broker = try seeded()
        #expect(try deleteRecords(broker, orders, offset: -2).errorCode == ErrorCode.offsetOutOfRange.rawValue)
    }

    @Test func offsetBelowTheStartKeepsTheStart() throws {
        let broker = try seeded()
        _ = try deleteRecords(broker, orders, offset: 4)
        let result = try deleteRecords(broker, orders, offset: 2)
        #expect(result.errorCode == ErrorCode.none.rawValue)
        #expect(result.lowWatermark == 4)
    }

    @Test func followerAnswersNotLeaderOrFollower() throws {
        let broker = try DataPathFixture()
        try broker.follow(orders)
        #expect(try deleteRecords(broker, orders, offset: 0).errorCode == ErrorCode.notLeaderOrFollower.rawValue)
    }

    @Test func unknownPartitionAnswersUnknownTopicOrPartition() throws {
        let broker = try DataPathFixture()
        #expect(
            try deleteRecords(broker, TopicPartition("nope", 0), offset: 0).errorCode
                == ErrorCode.unknownTopicOrPartition.rawValue)
    }

    @Test func partitionHostedElsewhereAnswersNotLeaderOrFollower() throws {
        let broker = try DataPathFixture()
        let elsewhere = TopicPartition("elsewhere", 0)
        broker.addToClusterMetadata(elsewhere)
        #expect(try deleteRecords(broker, elsewhere, offset: 0).errorCode == ErrorCode.notLeaderOrFollower.rawValue)
    }
}
