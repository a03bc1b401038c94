import BrokerAPI
import BrokerCore
import KafkaProtocol
import NIOPosix
import Testing

private struct FakeShutdownService: ControlledShutdownService {
    var outcome: Result<[TopicPartition], ControlledShutdownError>
    func controlledShutdown(broker: BrokerID, brokerEpoch: Int64) async throws -> [TopicPartition] {
        guard broker == BrokerID(3) else { throw ControlledShutdownError.brokerNotAvailable }
        return try outcome.get()
    }
}

@Suite struct ControlledShutdownHandlerTests {
    private func answer(_ outcome: Result<[TopicPartition], ControlledShutdownError>, broker: Int32 = 3) async throws
        -> ControlledShutdownResponse
    {
        let registry = HandlerRegistry(handlers: [ControlledShutdownHandler(service: FakeShutdownService(outcome: outcome))])
        #expect(!registry.advertisedVersions.contains { $0.apiKey == 7 })
        var body = encodeBody(ControlledShutdownRequest(brokerId: broker, brokerEpoch: 5), version: 3)
        let context = RequestContext(
            apiKey: 7, apiVersion: 3, correlationID: 1, clientID: nil, clientAddress: "x", listenerName: "PLAINTEXT",
            eventLoop: MultiThreadedEventLoopGroup.singleton.next())
        guard case .later(let future) = registry.dispatch(body: &body, context: context) else {
            throw TestFailure("expected a deferred answer")
        }
        return try decodeFrame(try await future.get(), as: ControlledShutdownResponse.self, version: 3).response
    }

    @Test func returnsThePartitionsStillLed() async throws {
        let response = try await answer(.success([TopicPartition("a", 1)]))
        #expect(response.errorCode == 0)
        #expect(response.remainingPartitions.map { "\($0.topicName)-\($0.partitionIndex)" } == ["a-1"])
    }

    @Test func errorsMapToKafkaCodes() async throws {
        #expect(try await answer(.failure(.notController)).errorCode == ErrorCode.notController.rawValue)
        #expect(try await answer(.failure(.staleBrokerEpoch)).errorCode == ErrorCode.staleBrokerEpoch.rawValue)
        #expect(try await answer(.success([]), broker: 9).errorCode == ErrorCode.brokerNotAvailable.rawValue)
    }
}
