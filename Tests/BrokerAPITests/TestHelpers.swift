import BrokerAPI
import KafkaProtocol
import NIOCore
import NIOEmbedded

/// Builds a request context as the server would for one request.
func makeContext(apiKey: Int16, version: Int16, correlationID: Int32 = 1, listener: String = "PLAINTEXT")
    -> RequestContext
{
    RequestContext(
        apiKey: apiKey, apiVersion: version, correlationID: correlationID, clientID: "test",
        clientAddress: "127.0.0.1:1", listenerName: listener, eventLoop: EmbeddedEventLoop())
}

/// Encodes a request body at `version`.
func encodeBody(_ request: some KafkaRequest, version: Int16) -> ByteBuffer {
    var writer = MessageWriter()
    request.encode(to: &writer, version: version)
    return writer.finishAsByteBuffer()!
}

/// Runs `request` through the registry and decodes the response frame it produces.
func roundTrip<R: KafkaRequest>(
    _ registry: HandlerRegistry, _ request: R, version: Int16, correlationID: Int32 = 1
) throws -> (correlationID: Int32, response: R.Response) {
    var body = encodeBody(request, version: version)
    let outcome = registry.dispatch(
        body: &body, context: makeContext(apiKey: R.apiKey, version: version, correlationID: correlationID))
    guard case .response(let encoded) = outcome else { throw TestFailure("expected a response, got \(outcome)") }
    return try decodeFrame(encoded, as: R.Response.self, version: version)
}

/// Splits a response frame into size, header and body, checking the size field.
func decodeFrame<Response: KafkaResponse>(_ encoded: EncodedResponse, as: Response.Type, version: Int16) throws
    -> (correlationID: Int32, response: Response)
{
    var frame = ByteBuffer()
    for segment in encoded.segments {
        guard case .bytes(let bytes) = segment else { throw TestFailure("unexpected file segment") }
        frame.writeImmutableBuffer(bytes)
    }
    guard let size = frame.readInteger(as: Int32.self), Int(size) == frame.readableBytes else {
        throw TestFailure("size field does not match the frame")
    }
    let headerVersion = ApiKey(rawValue: Response.apiKey)!.responseHeaderVersion(version)
    let header = try ResponseHeader(from: &frame, version: headerVersion)
    let response = try Response(from: &frame, version: version)
    guard frame.readableBytes == 0 else { throw TestFailure("\(frame.readableBytes) trailing bytes") }
    return (header.correlationId, response)
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
