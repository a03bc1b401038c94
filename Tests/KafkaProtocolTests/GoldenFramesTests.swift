import KafkaProtocol
import NIOCore
import Testing

@Suite("Golden frames from real clients")
struct GoldenFramesTests {
    @Test("there are ApiVersions, Metadata, Produce and Fetch frames from each client")
    func coverage() throws {
        let names = try GoldenFrames.names()
        for client in ["java-3.9.1", "librdkafka-2.0.2", "librdkafka-2.16.0", "kafka-python-3.0.12"] {
            for api in ["ApiVersions", "Metadata", "Produce", "Fetch"] {
                #expect(names.contains { $0.hasPrefix("\(client)-\(api)-v") }, "\(client) \(api)")
            }
        }
    }

    @Test("every frame decodes through the generic entry points and re-encodes to the same bytes",
          arguments: try GoldenFrames.names())
    func decodesAndReencodes(_ name: String) throws {
        let original = try GoldenFrames.load(name)
        var buffer = original
        let header = try RequestHeader.decode(from: &buffer)
        let apiKey = try #require(header.apiKey)
        #expect(name.contains("-\(apiKey.name)-v\(header.requestApiVersion).bin"))
        let body = try decodeRequestBody(apiKey: header.requestApiKey, version: header.requestApiVersion, from: &buffer)
        #expect(buffer.readableBytes == 0)
        #expect(type(of: body) == apiKey.requestType)

        var writer = MessageWriter()
        header.encode(to: &writer, version: apiKey.requestHeaderVersion(header.requestApiVersion))
        body.encode(to: &writer, version: header.requestApiVersion)
        #expect(writer.finishAsByteBuffer() == original)
    }
}
