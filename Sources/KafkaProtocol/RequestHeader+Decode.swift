import NIOCore

extension RequestHeader {
    /// Reads a request header from the start of a request frame (the 4-byte size already removed).
    ///
    /// The API key and version are read first and pick the header version from `ApiKey`
    /// (`requestHeaderVersion`): ControlledShutdown v0 has no client id, flexible versions end with
    /// tagged fields. A version above the newest known one is read with the newest header, so an
    /// ApiVersions request from a newer client still yields its correlation id. The body follows at
    /// the reader index; pass `apiKey`/`requestApiVersion` to `decodeRequestBody`.
    ///
    /// Throws `.unknownApiKey` for a key outside Kafka's table and a decoding error for truncated
    /// or malformed bytes.
    public static func decode(from buffer: inout ByteBuffer) throws(KafkaProtocolError) -> RequestHeader {
        guard let rawKey = buffer.getInteger(at: buffer.readerIndex, as: Int16.self),
            let apiVersion = buffer.getInteger(at: buffer.readerIndex + 2, as: Int16.self)
        else {
            throw .truncated(needed: 4, readable: buffer.readableBytes)
        }
        guard let apiKey = ApiKey(rawValue: rawKey) else { throw .unknownApiKey(rawKey) }
        return try RequestHeader(from: &buffer, version: apiKey.requestHeaderVersion(apiVersion))
    }

    /// The API this header names, if it is in Kafka's table.
    public var apiKey: ApiKey? { ApiKey(rawValue: requestApiKey) }
}

extension ResponseHeader {
    /// Writes the response header for a response to `apiKey` at `apiVersion`: version 0
    /// (correlation id) or 1 (plus an empty tagged-field section) per `responseHeaderVersion`.
    public static func encode(
        correlationId: Int32, apiKey: ApiKey, apiVersion: Int16, to writer: inout MessageWriter
    ) {
        ResponseHeader(correlationId: correlationId)
            .encode(to: &writer, version: apiKey.responseHeaderVersion(apiVersion))
    }
}
