import NIOCore

/// A struct that is read and written at a message version: every generated message and the
/// structs nested in it.
///
/// Decoding reads exactly the struct's bytes for `version` and throws `KafkaProtocolError` on
/// malformed or truncated input, never trapping. Fields absent from `version` keep their spec
/// defaults on decode and are skipped on encode. Encoding never fails; the caller passes a version
/// the type supports (`KafkaMessage.validVersions`).
public protocol KafkaStruct: Sendable, Equatable {
    init(from buffer: inout ByteBuffer, version: Int16) throws(KafkaProtocolError)
    func encode(to writer: inout MessageWriter, version: Int16)
}

/// A top-level schema generated from one Kafka JSON spec.
public protocol KafkaMessage: KafkaStruct {
    /// The versions the spec defines (`validVersions`).
    static var validVersions: ClosedRange<Int16> { get }
    /// The first flexible version (compact encodings, tagged fields); `nil` if never flexible.
    static var flexibleVersionsStart: Int16? { get }
}

extension KafkaMessage {
    /// Whether `version` uses the flexible (compact, tagged-field) encoding.
    public static func isFlexible(version: Int16) -> Bool {
        flexibleVersionsStart.map { version >= $0 } ?? false
    }
}

/// A request or response body of a Kafka API.
public protocol KafkaApiMessage: KafkaMessage {
    static var apiKey: Int16 { get }
}

/// A request body; `Response` is the body type the broker answers with.
public protocol KafkaRequest: KafkaApiMessage {
    associatedtype Response: KafkaResponse
}

/// A response body.
public protocol KafkaResponse: KafkaApiMessage {}

/// A versioned data schema that is not an API body: request/response headers, the consumer
/// protocol's subscription/assignment, and the `__consumer_offsets` keys and values.
public protocol KafkaDataMessage: KafkaMessage {}
