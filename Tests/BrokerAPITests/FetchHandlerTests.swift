import BrokerAPI
import BrokerCore
import KafkaProtocol
import KafkaRecords
import LogStorage
import NIOCore
import Replication
import Testing

@Suite struct FetchHandlerTests {
    let orders = TopicPartition("orders", 0)

    /// Produces two batches (offsets 0-2 and 3-4) and returns them as stored.
    private func seed(_ broker: DataPathFixture, epoch: Int32 = 0) throws -> [ByteBuffer] {
        let first = TestBatches.make(count: 3, tag: "a")
        let second = TestBatches.make(count: 2, tag: "b")
        #expect(try broker.produce(orders, first).baseOffset == 0)
        #expect(try broker.produce(orders, second).baseOffset == 3)
        return [
            TestBatches.stored(first, baseOffset: 0, leaderEpoch: epoch),
            TestBatches.stored(second, baseOffset: 3, leaderEpoch: epoch),
        ]
    }

    private func partition(_ response: FetchResponse) throws -> FetchResponse.PartitionData {
        try #require(response.responses.first?.partitions.first)
    }

    @Test(arguments: Array(Int16(4)...12))
    func producedRecordsComeBackByteIdentical(version: Int16) throws {
        let broker = try DataPathFixture()
        try broker.lead(orders)
        let stored = try seed(broker)
        let response = try broker.call(fetchRequest(orders, offset: 0), version: version)
        #expect(response.errorCode == 0)
        #expect(response.sessionId == 0)
        #expect(response.responses.map(\.topic) == ["orders"])
        let data = try partition(response)
        #expect(data.errorCode == ErrorCode.none.rawValue)
        #expect(data.highWatermark == 5)
        #expect(data.lastStableOffset == 5)
        if version >= 5 { #expect(data.logStartOffset == 0) }
        #expect(data.abortedTransactions == nil)
        if version >= 11 { #expect(data.preferredReadReplica == -1) }
        var expected = stored[0]
        var second = stored[1]
        expected.writeBuffer(&second)
        #expect(recordBytes(data.records) == expected)
    }

    @Test func readCommittedAnswersAnEmptyAbortedTransactionList() throws {
        let broker = try DataPathFixture()
        try broker.lead(orders)
        _ = try seed(broker)
        let data = try partition(try broker.call(fetchRequest(orders, offset: 0, isolation: 1), version: 4))
        #expect(data.errorCode == ErrorCode.none.rawValue)
        #expect(data.abortedTransactions == [])
    }

    @Test func fetchInsideABatchReturnsTheWholeBatch() throws {
        let broker = try DataPathFixture()
        try broker.lead(orders)
        let stored = try seed(broker)
        let data = try partition(try broker.call(fetchRequest(orders, offset: 4), version: 12))
        #expect(recordBytes(data.records) == stored[1])
        let middleOfFirst = try partition(try broker.call(fetchRequest(orders, offset: 1, partitionMaxBytes: 1), version: 12))
        #expect(recordBytes(middleOfFirst.records) == stored[0])
    }

    @Test func segmentFileRecordsAreSentAsFileRegions() throws {
        let broker = try DataPathFixture(storage: .files)
        try broker.lead(orders)
        let stored = try seed(broker)
        let decoded = try broker.response(
            to: broker.dispatch(fetchRequest(orders, offset: 3), version: 11), as: FetchResponse.self, version: 11)
        #expect(decoded.fileRegionCount == 1)
        #expect(recordBytes(try partition(decoded.response).records) == stored[1])
    }

    @Test func longPollCompletesWhenAProduceArrives() throws {
        let broker = try DataPathFixture()
        try broker.lead(orders)
        let outcome = broker.dispatch(fetchRequest(orders, offset: 0, maxWaitMs: 5_000, minBytes: 1), version: 12)
        guard case .later(let future) = outcome else { throw TestFailure("expected a parked fetch, got \(outcome)") }
        #expect(broker.peek(future) == nil)
        let batch = TestBatches.make(count: 2)
        try broker.produce(orders, batch)
        let data = try partition(try broker.response(to: outcome, as: FetchResponse.self, version: 12).response)
        #expect(data.highWatermark == 2)
        #expect(recordBytes(data.records) == TestBatches.stored(batch, baseOffset: 0, leaderEpoch: 0))
    }

    @Test func longPollAnswersEmptyAfterMaxWait() throws {
        let broker = try DataPathFixture()
        try broker.lead(orders)
        let outcome = broker.dispatch(fetchRequest(orders, offset: 0, maxWaitMs: 500, minBytes: 1), version: 12)
        guard case .later(let future) = outcome else { throw TestFailure("expected a parked fetch, got \(outcome)") }
        broker.advance(ms: 499)
        #expect(broker.peek(future) == nil)
        broker.advance(ms: 1)
        let data = try partition(try broker.response(to: outcome, as: FetchResponse.self, version: 12).response)
        #expect(data.errorCode == ErrorCode.none.rawValue)
        #expect(data.records?.byteCount == 0)
    }

    @Test func maxWaitZeroAnswersAtOnce() throws {
        let broker = try DataPathFixture()
        try broker.lead(orders)
        let outcome = broker.dispatch(fetchRequest(orders, offset: 0, maxWaitMs: 0, minBytes: 1), version: 12)
        guard case .later(let future) = outcome else { throw TestFailure("expected .later, got \(outcome)") }
        #expect(broker.peek(future) != nil)
        let data = try partition(try broker.response(to: outcome, as: FetchResponse.self, version: 12).response)
        #expect(data.highWatermark == 0)
        #expect(data.records?.byteCount == 0)
    }

    @Test func unknownPartitionIsUnknownTopicOrPartition() throws {
        let broker = try DataPathFixture()
        let data = try partition(try broker.call(fetchRequest(orders, offset: 0), version: 12))
        #expect(data.errorCode == ErrorCode.unknownTopicOrPartition.rawValue)
        #expect(data.highWatermark == -1)
        #expect(data.lastStableOffset == -1)
        #expect(data.logStartOffset == -1)
        #expect(data.records?.byteCount == 0)
    }

    @Test func partitionTheClusterHasButThisBrokerDoesNotHostIsNotLeader() throws {
        let broker = try DataPathFixture()
        broker.addToClusterMetadata(orders)
        let data = try partition(try broker.call(fetchRequest(orders, offset: 0), version: 12))
        #expect(data.errorCode == ErrorCode.notLeaderOrFollower.rawValue)
    }

    @Test func followerAnswersNotLeaderOrFollower() throws {
        let broker = try DataPathFixture()
        try broker.follow(orders)
        let data = try partition(try broker.call(fetchRequest(orders, offset: 0), version: 12))
        #expect(data.errorCode == ErrorCode.notLeaderOrFollower.rawValue)
    }

    @Test func offsetPastTheLogEndIsOffsetOutOfRange() throws {
        let broker = try DataPathFixture()
        try broker.lead(orders)
        _ = try seed(broker)
        let data = try partition(try broker.call(fetchRequest(orders, offset: 6), version: 12))
        #expect(data.errorCode == ErrorCode.offsetOutOfRange.rawValue)
    }

    @Test func currentLeaderEpochIsFenced() throws {
        let broker = try DataPathFixture()
        try broker.lead(orders, epoch: 3)
        let older = try partition(try broker.call(fetchRequest(orders, offset: 0, currentLeaderEpoch: 2), version: 9))
        #expect(older.errorCode == ErrorCode.fencedLeaderEpoch.rawValue)
        let newer = try partition(try broker.call(fetchRequest(orders, offset: 0, currentLeaderEpoch: 4), version: 9))
        #expect(newer.errorCode == ErrorCode.unknownLeaderEpoch.rawValue)
        let current = try partition(try broker.call(fetchRequest(orders, offset: 0, currentLeaderEpoch: 3), version: 9))
        #expect(current.errorCode == ErrorCode.none.rawValue)
    }

    @Test(arguments: Array(Int16(7)...12))
    func incrementalFetchForAnUnknownSessionIsFetchSessionIdNotFound(version: Int16) throws {
        let broker = try DataPathFixture()
        try broker.lead(orders)
        var request = fetchRequest(orders, offset: 0)
        request.sessionId = 12345
        request.sessionEpoch = 1
        let response = try broker.call(request, version: version)
        #expect(response.errorCode == ErrorCode.fetchSessionIdNotFound.rawValue)
        #expect(response.sessionId == 0)
        #expect(response.responses.isEmpty)
    }

    @Test(arguments: [Int32(0), -1])
    func fullFetchesAreAnsweredSessionless(epoch: Int32) throws {
        let broker = try DataPathFixture()
        try broker.lead(orders)
        _ = try seed(broker)
        var request = fetchRequest(orders, offset: 0)
        request.sessionId = 77  // a full fetch naming an old session closes it (none exists here)
        request.sessionEpoch = epoch
        request.forgottenTopicsData = [FetchRequest.ForgottenTopic(topic: "gone", partitions: [0])]
        let response = try broker.call(request, version: 12)
        #expect(response.errorCode == 0)
        #expect(response.sessionId == 0)
        #expect(try partition(response).highWatermark == 5)
    }

    @Test func partitionsAreAnsweredInRequestOrderPerTopic() throws {
        let broker = try DataPathFixture()
        try broker.lead(orders)
        try broker.lead(TopicPartition("orders", 1))
        var request = fetchRequest(orders, offset: 0)
        request.topics = [
            FetchRequest.FetchTopic(
                topic: "orders",
                partitions: [
                    FetchRequest.FetchPartition(partition: 1, fetchOffset: 0, partitionMaxBytes: 1024),
                    FetchRequest.FetchPartition(partition: 0, fetchOffset: 0, partitionMaxBytes: 1024),
                ]),
            FetchRequest.FetchTopic(
                topic: "missing", partitions: [FetchRequest.FetchPartition(partition: 0, fetchOffset: 0, partitionMaxBytes: 1024)]),
        ]
        let response = try broker.call(request, version: 12)
        #expect(response.responses.map(\.topic) == ["orders", "missing"])
        #expect(response.responses[0].partitions.map(\.partitionIndex) == [1, 0])
        #expect(response.responses[1].partitions.map(\.errorCode) == [ErrorCode.unknownTopicOrPartition.rawValue])
    }

    @Test func versionsOutsideFourToTwelveCloseTheConnection() throws {
        let broker = try DataPathFixture()
        for version: Int16 in [3, 13] {
            guard case .close = broker.dispatch(fetchRequest(orders, offset: 0), version: version) else {
                throw TestFailure("version \(version) was served")
            }
        }
        #expect(FetchHandler.supportedVersions == 4...12)
    }
}
