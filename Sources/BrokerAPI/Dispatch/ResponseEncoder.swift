import KafkaProtocol
import NIOCore

/// Encodes a response frame: 4-byte size, response header (v0, or v1 for flexible versions;
/// ApiVersions always v0), body.
enum ResponseEncoder {
    static func encode(_ response: some KafkaResponse, version: Int16, apiKey: Int16, correlationID: Int32)
        -> EncodedResponse
    {
        var writer = MessageWriter()
        let size = writer.openSizePrefix()
        let headerVersion = ApiKey(rawValue: apiKey)?.responseHeaderVersion(version) ?? 0
        ResponseHeader(correlationId: correlationID).encode(to: &writer, version: headerVersion)
        response.encode(to: &writer, version: version)
        writer.closeSizePrefix(size)
        return EncodedResponse(segments: writer.finish())
    }
}
