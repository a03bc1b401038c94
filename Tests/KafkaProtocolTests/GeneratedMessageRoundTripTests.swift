import KafkaProtocol
import NIOCore
import Testing

@Suite("Generated messages round-trip at every version")
struct GeneratedMessageRoundTripTests {
    @Test("encode → decode gives an equal value and re-encodes to identical bytes", arguments: SampleCase.all)
    func roundTrip(_ sampleCase: SampleCase) throws {
        try Self.roundTrip(sampleCase.type, version: sampleCase.version)
    }

    static func roundTrip<M: GeneratedSample>(_ type: M.Type, version: Int16) throws {
        let sample = M.sample(version: version)
        let bytes = encode(sample, version: version)
        var input = bytes
        let decoded = try M(from: &input, version: version)
        #expect(input.readableBytes == 0, "decoder left \(input.readableBytes) bytes")
        #expect(decoded == sample)
        #expect(encode(decoded, version: version) == bytes)
    }

    @Test("the encoding cut at every byte boundary fails to decode, without crashing", arguments: SampleCase.all)
    func truncated(_ sampleCase: SampleCase) {
        Self.truncated(sampleCase.type, version: sampleCase.version)
    }

    static func truncated<M: GeneratedSample>(_ type: M.Type, version: Int16) {
        let bytes = encode(M.sample(version: version), version: version)
        for length in 0..<bytes.readableBytes {
            var prefix = bytes.getSlice(at: bytes.readerIndex, length: length) ?? ByteBuffer()
            #expect(throws: KafkaProtocolError.self, "prefix of \(length)/\(bytes.readableBytes) bytes") {
                _ = try M(from: &prefix, version: version)
            }
        }
    }

    @Test("samples of flexible versions keep their unknown tagged field",
          arguments: SampleCase.all.filter { $0.type.isFlexible(version: $0.version) })
    func unknownTaggedFieldsSurvive(_ sampleCase: SampleCase) throws {
        try Self.unknownTaggedFieldSurvives(sampleCase.type, version: sampleCase.version)
    }

    static func unknownTaggedFieldSurvives<M: GeneratedSample>(_ type: M.Type, version: Int16) throws {
        var bytes = encode(M.sample(version: version), version: version)
        let decoded = try M(from: &bytes, version: version)
        let tags = Mirror(reflecting: decoded).children.first { $0.label == "unknownTaggedFields" }?.value as? [TaggedField]
        #expect(tags?.map(\.tag) == [90])
    }

    @Test("decoding at a version outside validVersions is rejected")
    func unsupportedVersion() {
        var bytes = ByteBuffer(bytes: [0, 0, 0, 0])
        #expect(throws: KafkaProtocolError.unsupportedVersion(apiKey: 0, version: 12)) {
            _ = try ProduceRequest(from: &bytes, version: 12)
        }
        #expect(throws: KafkaProtocolError.unsupportedSchemaVersion(schema: "GroupMetadataKey", version: 1)) {
            _ = try GroupMetadataKey(from: &bytes, version: 1)
        }
    }
}
