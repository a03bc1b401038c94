/// Why bytes could not be decoded as a Kafka message.
///
/// Decoders throw this instead of trapping: every length and count read from the wire is checked
/// against the bytes that remain before anything is allocated or sliced. The description is meant
/// for a log line (for example "truncated input: needed 4 bytes, 2 readable").
public enum KafkaProtocolError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The input ended early: `needed` bytes were required where only `readable` remained.
    case truncated(needed: Int, readable: Int)
    /// A length or element count that is negative where null is not allowed, negative beyond the
    /// null marker (-1), or larger than the `readable` bytes that remain.
    case invalidLength(Int, readable: Int)
    /// A string is not valid UTF-8.
    case invalidString
    /// A (zigzag or unsigned) varint is longer than its type allows.
    case invalidVarint
    /// A known tagged field's declared size does not match the value it holds.
    case invalidTaggedField(tag: UInt32)
    /// The API exists but this version of it is not one the codec can read.
    case unsupportedVersion(apiKey: Int16, version: Int16)
    /// A data schema (a header, `__consumer_offsets` record, consumer protocol) at an unknown version.
    case unsupportedSchemaVersion(schema: String, version: Int16)
    /// The request header names an API key that is not in Kafka's API table.
    case unknownApiKey(Int16)
    /// A Kafka API whose request bodies this codec does not decode (no generated type).
    case unsupportedApiKey(Int16)

    public var description: String {
        switch self {
        case .truncated(let needed, let readable):
            "truncated input: needed \(needed) bytes, \(readable) readable"
        case .invalidLength(let length, let readable):
            "invalid length or count \(length) (\(readable) bytes readable)"
        case .invalidString:
            "string is not valid UTF-8"
        case .invalidVarint:
            "varint too long"
        case .invalidTaggedField(let tag):
            "tagged field \(tag) does not match its declared size"
        case .unsupportedVersion(let apiKey, let version):
            "unsupported version \(version) of API key \(apiKey)"
        case .unsupportedSchemaVersion(let schema, let version):
            "unsupported version \(version) of \(schema)"
        case .unknownApiKey(let apiKey):
            "unknown API key \(apiKey)"
        case .unsupportedApiKey(let apiKey):
            "API key \(apiKey) has no request decoder"
        }
    }
}
