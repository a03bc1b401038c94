import KafkaProtocol
import NIOCore
import Testing

/// A generated message with a generated sample (Tests/KafkaProtocolTests/Generated): every field
/// present at `version` holds a non-default value, arrays hold one element, tagged fields are set,
/// and flexible versions carry one unknown tagged field.
protocol GeneratedSample: KafkaMessage {
    static func sample(version: Int16) -> Self
}

/// One message type at one version, as a test argument.
struct SampleCase: Sendable, CustomTestStringConvertible {
    var type: any GeneratedSample.Type
    var version: Int16

    var testDescription: String { "\(type) v\(version)" }

    /// Every generated message at every valid version.
    static let all: [SampleCase] = generatedSampleTypes.flatMap { type in
        type.validVersions.map { SampleCase(type: type, version: $0) }
    }
}

/// Encodes `message` at `version` into one buffer.
func encode<M: KafkaStruct>(_ message: M, version: Int16) -> ByteBuffer {
    var writer = MessageWriter()
    message.encode(to: &writer, version: version)
    return writer.finishAsByteBuffer() ?? ByteBuffer()
}
