import KafkaProtocol
import NIOCore
import Testing

@Suite("Tagged fields in generated messages")
struct TaggedFieldsTests {
    @Test("known tagged fields are written only when not default, in tag order, with unknown ones after")
    func knownAndUnknown() throws {
        var request = FetchRequest(clusterId: "c1", replicaState: .init(replicaId: 7, replicaEpoch: 9))
        request.unknownTaggedFields = [TaggedField(tag: 5, data: ByteBuffer(bytes: [0xEE]))]
        var bytes = encode(request, version: 15)
        // count 3; tag 0: "c1" as a compact string; tag 1: ReplicaState (int32 7, int64 9, no tags); tag 5.
        let expected: [UInt8] =
            [0x03]
            + [0x00, 0x03, 0x03, 0x63, 0x31]
            + [0x01, 0x0D, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 9, 0x00]
            + [0x05, 0x01, 0xEE]
        #expect(Array(bytes.readableBytesView.suffix(expected.count)) == expected)
        let decoded = try FetchRequest(from: &bytes, version: 15)
        #expect(decoded == request)

        let defaults = encode(FetchRequest(), version: 15)
        #expect(defaults.readableBytesView.last == 0x00, "no tagged fields when all are default")
    }

    @Test("a tagged field outside its taggedVersions stays unknown")
    func versionGatedTag() throws {
        var request = FetchRequest()
        request.unknownTaggedFields = [TaggedField(tag: 1, data: ByteBuffer(bytes: [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0]))]
        var bytes = encode(request, version: 12)
        let decoded = try FetchRequest(from: &bytes, version: 12)
        #expect(decoded.replicaState == FetchRequest.ReplicaState())
        #expect(decoded.unknownTaggedFields.map(\.tag) == [1])
    }

    @Test("a known tagged field whose size does not match its value is rejected")
    func sizeMismatch() {
        var writer = MessageWriter()
        FetchRequest().encode(to: &writer, version: 12)
        var bytes = writer.finishAsByteBuffer() ?? ByteBuffer()
        bytes.moveWriterIndex(to: bytes.writerIndex - 1)
        // tag 0 (ClusterId) declared as 3 bytes holding the 1-byte compact string "" plus 2 extra.
        bytes.writeBytes([0x01, 0x00, 0x03, 0x01, 0xAA, 0xBB])
        #expect(throws: KafkaProtocolError.invalidTaggedField(tag: 0)) { _ = try FetchRequest(from: &bytes, version: 12) }
    }
}
