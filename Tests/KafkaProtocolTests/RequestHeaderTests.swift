import KafkaProtocol
import NIOCore
import Testing

@Suite("Request and response headers")
struct RequestHeaderTests {
    /// Header bytes followed by a marker byte that must stay unread.
    static func frame(_ header: RequestHeader, version: Int16) -> ByteBuffer {
        var writer = MessageWriter()
        header.encode(to: &writer, version: version)
        writer.writeInt8(0x7E)
        return writer.finishAsByteBuffer() ?? ByteBuffer()
    }

    @Test("a flexible request uses header v2: classic client id, then tagged fields")
    func flexibleHeader() throws {
        let header = RequestHeader(requestApiKey: 18, requestApiVersion: 3, correlationId: 42, clientId: "app")
        var bytes = Self.frame(header, version: 2)
        #expect(Array(bytes.readableBytesView) == [0, 18, 0, 3, 0, 0, 0, 42, 0, 3, 0x61, 0x70, 0x70, 0x00, 0x7E])
        #expect(try RequestHeader.decode(from: &bytes) == header)
        #expect(Array(bytes.readableBytesView) == [0x7E])
    }

    @Test("a non-flexible request uses header v1, with a nullable client id")
    func classicHeader() throws {
        let header = RequestHeader(requestApiKey: 0, requestApiVersion: 7, correlationId: 1, clientId: nil)
        var bytes = Self.frame(header, version: 1)
        #expect(Array(bytes.readableBytesView) == [0, 0, 0, 7, 0, 0, 0, 1, 0xFF, 0xFF, 0x7E])
        #expect(try RequestHeader.decode(from: &bytes) == header)
        #expect(bytes.readableBytes == 1)
    }

    @Test("ControlledShutdown v0 has header v0: no client id")
    func controlledShutdownV0() throws {
        var bytes = ByteBuffer(bytes: [0, 7, 0, 0, 0, 0, 0, 9, 0x7E])
        let header = try RequestHeader.decode(from: &bytes)
        #expect(header.correlationId == 9)
        #expect(header.clientId == "")
        #expect(bytes.readableBytes == 1)
    }

    @Test("an ApiVersions request newer than the newest known version still has its header parsed")
    func futureApiVersions() throws {
        let header = RequestHeader(requestApiKey: 18, requestApiVersion: 99, correlationId: 5, clientId: "future")
        var bytes = Self.frame(header, version: 2)
        let decoded = try RequestHeader.decode(from: &bytes)
        #expect(decoded == header)
        #expect(decoded.apiKey == .apiVersions)
        #expect(throws: KafkaProtocolError.unsupportedVersion(apiKey: 18, version: 99)) {
            _ = try decodeRequestBody(apiKey: decoded.requestApiKey, version: decoded.requestApiVersion, from: &bytes)
        }
    }

    @Test("unknown API keys and short input are errors")
    func errors() {
        var unknown = ByteBuffer(bytes: [0x7F, 0x00, 0, 0, 0, 0, 0, 1, 0, 0])
        #expect(throws: KafkaProtocolError.unknownApiKey(0x7F00)) { _ = try RequestHeader.decode(from: &unknown) }
        var short = ByteBuffer(bytes: [0, 18, 0])
        #expect(throws: KafkaProtocolError.truncated(needed: 4, readable: 3)) { _ = try RequestHeader.decode(from: &short) }
        var noCorrelationId = ByteBuffer(bytes: [0, 18, 0, 3, 0])
        #expect(throws: KafkaProtocolError.self) { _ = try RequestHeader.decode(from: &noCorrelationId) }
    }

    @Test("response headers: v0 for ApiVersions (any version) and classic APIs, v1 with tags for flexible ones")
    func responseHeaders() {
        var apiVersions = MessageWriter()
        ResponseHeader.encode(correlationId: 3, apiKey: .apiVersions, apiVersion: 4, to: &apiVersions)
        #expect(apiVersions.finishAsByteBuffer() == ByteBuffer(bytes: [0, 0, 0, 3]))
        var produce = MessageWriter()
        ResponseHeader.encode(correlationId: 3, apiKey: .produce, apiVersion: 9, to: &produce)
        #expect(produce.finishAsByteBuffer() == ByteBuffer(bytes: [0, 0, 0, 3, 0]))
        var old = MessageWriter()
        ResponseHeader.encode(correlationId: 3, apiKey: .produce, apiVersion: 8, to: &old)
        #expect(old.finishAsByteBuffer() == ByteBuffer(bytes: [0, 0, 0, 3]))
    }
}
