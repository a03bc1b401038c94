import BrokerAPI
import BrokerCore
import KafkaProtocol
import NIOCore
import Testing

/// A handler for an inter-broker API that must not be advertised.
private struct HiddenStopReplicaHandler: KafkaAPIHandler {
    typealias Request = StopReplicaRequest
    static let supportedVersions: ClosedRange<Int16> = 0...3
    static let isAdvertised = false
    func handle(_ request: StopReplicaRequest, context: RequestContext) -> APIOutcome<StopReplicaResponse> {
        .respond(StopReplicaResponse())
    }
}

/// A handler that answers nothing, or closes, depending on the request.
private struct HeartbeatProbeHandler: KafkaAPIHandler {
    typealias Request = HeartbeatRequest
    static let supportedVersions: ClosedRange<Int16> = 1...4
    func handle(_ request: HeartbeatRequest, context: RequestContext) -> APIOutcome<HeartbeatResponse> {
        switch request.groupId {
        case "silent": .noResponse
        case "close": .closeConnection(reason: "asked to")
        default: .respond(HeartbeatResponse(errorCode: 0))
        }
    }
}

@Suite struct HandlerRegistryTests {
    private let registry = HandlerRegistry(handlers: [
        MetadataHandler(cache: MetadataCache(ClusterMetadataImage(clusterID: "c", controllerID: BrokerID(0), brokers: [:]))),
        HiddenStopReplicaHandler(),
        HeartbeatProbeHandler(),
    ])

    @Test func advertisesExactlyTheRegisteredPublicAPIsSortedByKey() {
        #expect(
            registry.advertisedVersions == [
                AdvertisedAPI(apiKey: 3, minVersion: 1, maxVersion: 12),
                AdvertisedAPI(apiKey: 12, minVersion: 1, maxVersion: 4),
                AdvertisedAPI(apiKey: 18, minVersion: 0, maxVersion: 4),
            ])
        #expect(registry.supportedVersions(apiKey: 5) == 0...3)  // served, not advertised
        #expect(registry.supportedVersions(apiKey: 0) == nil)
    }

    @Test func apiVersionsListsTheRegistryTable() throws {
        for version: Int16 in 0...4 {
            let request = ApiVersionsRequest(clientSoftwareName: "martlet-test", clientSoftwareVersion: "1.0")
            let (correlationID, response) = try roundTrip(registry, request, version: version, correlationID: 99)
            #expect(correlationID == 99)
            #expect(response.errorCode == 0)
            #expect(response.apiKeys.map(\.apiKey) == [3, 12, 18])
            #expect(response.apiKeys.last.map { ($0.minVersion, $0.maxVersion) } ?? (0, 0) == (0, 4))
        }
    }

    @Test func unknownApiKeyCloses() {
        var body = ByteBuffer()
        guard case .close = registry.dispatch(body: &body, context: makeContext(apiKey: 29, version: 1)) else {
            Issue.record("expected close")
            return
        }
    }

    @Test func unsupportedVersionCloses() {
        var body = encodeBody(MetadataRequest(), version: 0)
        guard case .close = registry.dispatch(body: &body, context: makeContext(apiKey: 3, version: 0)) else {
            Issue.record("expected close for Metadata v0")
            return
        }
        var body13 = ByteBuffer()
        guard case .close = registry.dispatch(body: &body13, context: makeContext(apiKey: 3, version: 13)) else {
            Issue.record("expected close for Metadata v13")
            return
        }
    }

    @Test func malformedBodyCloses() {
        var body = ByteBuffer(bytes: [0, 0, 3, 232])  // 1000 topics, none present
        guard case .close = registry.dispatch(body: &body, context: makeContext(apiKey: 3, version: 1)) else {
            Issue.record("expected close")
            return
        }
    }

    @Test func noResponseAndCloseOutcomesPassThrough() {
        var silent = encodeBody(HeartbeatRequest(groupId: "silent"), version: 1)
        guard case .noResponse = registry.dispatch(body: &silent, context: makeContext(apiKey: 12, version: 1)) else {
            Issue.record("expected noResponse")
            return
        }
        var close = encodeBody(HeartbeatRequest(groupId: "close"), version: 1)
        guard case .close(let reason) = registry.dispatch(body: &close, context: makeContext(apiKey: 12, version: 1))
        else {
            Issue.record("expected close")
            return
        }
        #expect(reason == "asked to")
    }

    @Test func flexibleResponsesUseHeaderV1() throws {
        let (correlationID, response) = try roundTrip(registry, HeartbeatRequest(groupId: "g"), version: 4, correlationID: 5)
        #expect(correlationID == 5 && response.errorCode == 0)
    }
}
