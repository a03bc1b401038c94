import BrokerAPI
import KafkaProtocol
import NIOCore
import Testing

@testable import BrokerAPI

@Suite struct ApiVersionsHandlerTests {
    private let registry = HandlerRegistry(handlers: [])

    @Test func unknownVersionGetsUnsupportedVersionInV0Format() throws {
        var body = ByteBuffer(bytes: [1, 2, 3])  // never parsed
        let outcome = registry.dispatch(body: &body, context: makeContext(apiKey: 18, version: 127, correlationID: 8))
        guard case .response(let encoded) = outcome else {
            Issue.record("expected a response")
            return
        }
        let (correlationID, response) = try decodeFrame(encoded, as: ApiVersionsResponse.self, version: 0)
        #expect(correlationID == 8)
        #expect(response.errorCode == 35)
        #expect(response.apiKeys == [ApiVersionsResponse.ApiVersion(apiKey: 18, minVersion: 0, maxVersion: 4)])
    }

    @Test func invalidClientSoftwareFieldsGetInvalidRequest() throws {
        let request = ApiVersionsRequest(clientSoftwareName: "bad name", clientSoftwareVersion: "1.0")
        let (_, response) = try roundTrip(registry, request, version: 3)
        #expect(response.errorCode == 42)
        #expect(response.apiKeys.isEmpty)
        // Versions below 3 carry no software fields and are never rejected for them.
        let (_, v2) = try roundTrip(registry, ApiVersionsRequest(), version: 2)
        #expect(v2.errorCode == 0)
    }

    @Test(arguments: [
        ("apache-kafka-java", true), ("librdkafka", true), ("3.9.1", true), ("a", true), ("2.0.2-RC1", true),
        ("", false), ("-start", false), ("end.", false), ("has space", false), ("ünï", false),
    ])
    func softwareFieldPattern(value: String, valid: Bool) {
        #expect(ApiVersionsHandler.isValidSoftwareField(value) == valid)
    }
}
