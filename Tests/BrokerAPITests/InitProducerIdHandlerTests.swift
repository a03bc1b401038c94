import BrokerAPI
import BrokerCore
import KafkaProtocol
import Synchronization
import Testing

private final class CountingIDs: ProducerIDSource {
    let next = Mutex<Int64>(1000)
    let failing: Bool
    init(failing: Bool = false) { self.failing = failing }
    func nextProducerID() async throws -> ProducerID {
        if failing { throw TestFailure("zookeeper down") }
        return ProducerID(next.withLock { value in
            defer { value += 1 }
            return value
        })
    }
}

@Suite struct InitProducerIdHandlerTests {
    private func answer(_ request: InitProducerIdRequest, version: Int16, source: CountingIDs) async throws
        -> InitProducerIdResponse
    {
        let registry = HandlerRegistry(handlers: [InitProducerIdHandler(source: source)])
        var body = encodeBody(request, version: version)
        let outcome = registry.dispatch(body: &body, context: makeContext(apiKey: 22, version: version))
        let encoded: EncodedResponse
        switch outcome {
        case .response(let r): encoded = r
        case .later(let future): encoded = try await future.get()
        default: throw TestFailure("unexpected outcome \(outcome)")
        }
        return try decodeFrame(encoded, as: InitProducerIdResponse.self, version: version).response
    }

    @Test(arguments: [Int16(0), 1, 2, 3, 4])
    func idempotentProducersGetFreshIDsWithEpochZero(version: Int16) async throws {
        let source = CountingIDs()
        let first = try await answer(InitProducerIdRequest(transactionalId: nil, transactionTimeoutMs: 60000), version: version, source: source)
        let second = try await answer(
            InitProducerIdRequest(transactionalId: nil, transactionTimeoutMs: 60000, producerId: first.producerId, producerEpoch: 0),
            version: version, source: source)
        #expect(first.errorCode == 0 && first.producerId == 1000 && first.producerEpoch == 0)
        #expect(second.errorCode == 0 && second.producerId == 1001 && second.producerEpoch == 0)
    }

    @Test func transactionalIDsAreRefusedClearly() async throws {
        let response = try await answer(
            InitProducerIdRequest(transactionalId: "tx", transactionTimeoutMs: 60000), version: 4, source: CountingIDs())
        #expect(response.errorCode == ErrorCode.transactionalIdAuthorizationFailed.rawValue)
        #expect(response.producerId == -1)
    }

    @Test func allocationFailureIsRetriable() async throws {
        let response = try await answer(
            InitProducerIdRequest(transactionalId: nil, transactionTimeoutMs: 1), version: 4, source: CountingIDs(failing: true))
        #expect(response.errorCode == ErrorCode.coordinatorNotAvailable.rawValue)
    }
}
