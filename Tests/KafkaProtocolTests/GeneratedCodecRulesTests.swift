import KafkaProtocol
import NIOCore
import Testing

@Suite("Generated codec rules: versions, nullability, defaults")
struct GeneratedCodecRulesTests {
    @Test("spec defaults, including null, hex, numeric and boolean forms")
    func defaults() {
        #expect(FetchRequest().maxBytes == Int32.max)  // "0x7fffffff"
        #expect(FetchRequest().clusterId == nil)  // "null"
        #expect(FetchRequest().replicaId == -1)
        #expect(MetadataRequest().allowAutoTopicCreation)  // "true"
        #expect(OffsetForLeaderEpochRequest().replicaId == -2)  // bare number
        #expect(CreateTopicsRequest().timeoutMs == 60_000)
        #expect(ProduceResponse.PartitionProduceResponse().currentLeader.leaderEpoch == -1)
        #expect(MetadataResponse.MetadataResponseTopic().topicAuthorizedOperations == Int32.min)
        #expect(JoinGroupRequest().groupInstanceId == nil)
    }

    @Test("fields absent from a version are skipped on encode and keep defaults on decode")
    func absentFields() throws {
        let request = ProduceRequest(transactionalId: "tx", acks: 1, timeoutMs: 5)
        var v2 = encode(request, version: 2)
        #expect(Array(v2.readableBytesView) == [0, 1, 0, 0, 0, 5, 0, 0, 0, 0])
        let decoded = try ProduceRequest(from: &v2, version: 2)
        #expect(decoded.transactionalId == nil)
        #expect(decoded.acks == 1)
    }

    @Test("a nullable field outside its nullableVersions encodes null as empty")
    func nullOutsideNullableVersions() throws {
        let topic = MetadataResponse.MetadataResponseTopic(name: nil)
        var v11 = encode(MetadataResponse(topics: [topic]), version: 11)
        #expect(try MetadataResponse(from: &v11, version: 11).topics.first?.name == "")
        var v12 = encode(MetadataResponse(topics: [topic]), version: 12)
        #expect(try MetadataResponse(from: &v12, version: 12).topics.first?.name == nil)

        var v0 = encode(MetadataRequest(topics: nil), version: 0)
        #expect(Array(v0.readableBytesView) == [0, 0, 0, 0])
        #expect(try MetadataRequest(from: &v0, version: 0).topics == [])
    }

    @Test("null where the version does not allow it is an error")
    func nullNotAllowed() {
        // MetadataResponseTopic.Name is nullable only from v12; v11 with a null compact string fails.
        var writer = MessageWriter()
        MetadataResponse(topics: [.init(name: nil)]).encode(to: &writer, version: 12)
        var bytes = writer.finishAsByteBuffer() ?? ByteBuffer()
        #expect(throws: KafkaProtocolError.self) { _ = try MetadataResponse(from: &bytes, version: 11) }
    }

    @Test("records decode as a zero-copy slice of the input")
    func recordsSlice() throws {
        let records = ByteBuffer(bytes: Array(repeating: 0x42, count: 64))
        let request = ProduceRequest(
            acks: -1, timeoutMs: 1000,
            topicData: [.init(name: "t", partitionData: [.init(index: 0, records: .bytes(records))])])
        let encoded = encode(request, version: 9)
        var input = encoded
        let decoded = try ProduceRequest(from: &input, version: 9)
        guard case .bytes(let slice)? = decoded.topicData.first?.partitionData.first?.records else {
            Issue.record("records missing")
            return
        }
        #expect(slice == records)
        let sharesStorage = encoded.withVeryUnsafeBytes { whole in
            slice.withUnsafeReadableBytes { part in
                guard let wholeBase = whole.baseAddress, let partBase = part.baseAddress else { return false }
                return partBase >= wholeBase && partBase + part.count <= wholeBase + whole.count
            }
        }
        #expect(sharesStorage, "records should point into the request buffer")
    }

    @Test("Swift keywords in spec names are escaped")
    func keywords() {
        let member = GroupMetadataValue(protocol: "range")
        #expect(member.protocol == "range")
    }
}
