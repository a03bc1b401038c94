import KafkaProtocol
import NIOCore

/// Feeds one request frame (size prefix removed) through the header and body decoders.
///
/// Malformed input must be rejected with a `KafkaProtocolError`, never a crash. Whatever decodes
/// must re-encode into bytes that decode again and re-encode to the very same bytes; a violation
/// traps on purpose so the fuzzer records the input.
func fuzzRequestFrame(_ bytes: UnsafeRawBufferPointer) {
    var buffer = ByteBuffer(bytes: bytes)
    guard let header = try? RequestHeader.decode(from: &buffer), let apiKey = header.apiKey else { return }
    checkReencoding(header, version: apiKey.requestHeaderVersion(header.requestApiVersion))
    guard let body = try? decodeRequestBody(apiKey: header.requestApiKey, version: header.requestApiVersion, from: &buffer)
    else { return }
    checkReencoding(body, version: header.requestApiVersion)
}

private func checkReencoding<M: KafkaStruct>(_ message: M, version: Int16) {
    let first = encoded(message, version: version)
    var input = first
    guard let again = try? M(from: &input, version: version) else {
        preconditionFailure("\(M.self) v\(version): re-encoded bytes do not decode")
    }
    precondition(input.readableBytes == 0, "\(M.self) v\(version): re-encoded bytes not fully read")
    precondition(encoded(again, version: version) == first, "\(M.self) v\(version): encoding is not stable")
}

private func encoded<M: KafkaStruct>(_ message: M, version: Int16) -> ByteBuffer {
    var writer = MessageWriter()
    message.encode(to: &writer, version: version)
    guard let buffer = writer.finishAsByteBuffer() else {
        preconditionFailure("decoded requests never hold file records")
    }
    return buffer
}
