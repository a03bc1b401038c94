import KafkaProtocol
import NIOCore
import Testing

@Suite("ApiKey table and request dispatch")
struct ApiKeyTests {
    @Test("the table has every API with the spec's versions")
    func table() {
        #expect(ApiKey.allCases.count > 70)
        #expect(ApiKey.produce.rawValue == 0)
        #expect(ApiKey.produce.validVersions == 0...11)
        #expect(ApiKey.produce.flexibleVersionsStart == 9)
        #expect(ApiKey.fetch.validVersions == 0...17)
        #expect(ApiKey.apiVersions.flexibleVersionsStart == 3)
        #expect(ApiKey.offsetDelete.flexibleVersionsStart == nil)
        #expect(ApiKey(rawValue: 17)?.name == "SaslHandshake")
        #expect(ApiKey.describeCluster.description == "DescribeCluster")
    }

    @Test("request header versions: 0 only for ControlledShutdown v0, 1 classic, 2 flexible")
    func requestHeaderVersions() {
        #expect(ApiKey.controlledShutdown.requestHeaderVersion(0) == 0)
        #expect(ApiKey.controlledShutdown.requestHeaderVersion(1) == 1)
        #expect(ApiKey.controlledShutdown.requestHeaderVersion(3) == 2)
        #expect(ApiKey.produce.requestHeaderVersion(8) == 1)
        #expect(ApiKey.produce.requestHeaderVersion(9) == 2)
        #expect(ApiKey.apiVersions.requestHeaderVersion(2) == 1)
        #expect(ApiKey.apiVersions.requestHeaderVersion(3) == 2)
        #expect(ApiKey.offsetDelete.requestHeaderVersion(0) == 1)
    }

    @Test("response header versions: ApiVersions is always 0")
    func responseHeaderVersions() {
        #expect(ApiKey.apiVersions.responseHeaderVersion(4) == 0)
        #expect(ApiKey.fetch.responseHeaderVersion(11) == 0)
        #expect(ApiKey.fetch.responseHeaderVersion(12) == 1)
        #expect(ApiKey.describeCluster.responseHeaderVersion(0) == 1)
    }

    @Test("request and response types match the generated messages")
    func messageTypes() {
        #expect(ApiKey.produce.requestType == ProduceRequest.self)
        #expect(ApiKey.produce.responseType == ProduceResponse.self)
        #expect(ApiKey.saslHandshake.requestType == nil)
        for key in ApiKey.allCases {
            guard let request = key.requestType, let response = key.responseType else { continue }
            #expect(request.apiKey == key.rawValue)
            #expect(response.apiKey == key.rawValue)
            #expect(request.validVersions == key.validVersions)
            #expect(request.flexibleVersionsStart == key.flexibleVersionsStart)
        }
    }

    @Test("decodeRequestBody rejects unknown keys, APIs without a codec and unsupported versions")
    func dispatchErrors() throws {
        var empty = ByteBuffer()
        #expect(throws: KafkaProtocolError.unknownApiKey(1000)) {
            _ = try decodeRequestBody(apiKey: 1000, version: 0, from: &empty)
        }
        #expect(throws: KafkaProtocolError.unsupportedApiKey(17)) {
            _ = try decodeRequestBody(apiKey: 17, version: 0, from: &empty)
        }
        #expect(throws: KafkaProtocolError.unsupportedVersion(apiKey: 3, version: -1)) {
            _ = try decodeRequestBody(apiKey: 3, version: -1, from: &empty)
        }
        var heartbeat = encode(HeartbeatRequest(groupId: "g", generationId: 1, memberId: "m"), version: 4)
        let decoded = try decodeRequestBody(apiKey: 12, version: 4, from: &heartbeat)
        #expect(decoded as? HeartbeatRequest == HeartbeatRequest(groupId: "g", generationId: 1, memberId: "m"))
    }
}
