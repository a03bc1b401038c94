import BrokerCore
import KafkaProtocol
import KafkaRecords
import NIOCore
import Testing

@testable import GroupCoordination

/// `__consumer_offsets` record encodings, byte for byte against Kafka's schemas.
@Suite struct GroupRecordsTests {
    func hex(_ buffer: ByteBuffer) -> [UInt8] { Array(buffer.readableBytesView) }

    @Test func offsetKeyIsVersion1OffsetCommitKey() throws {
        let key = GroupRecords.offsetKey(group: "g", partition: TopicPartition("t", 7))
        #expect(hex(key) == [0, 1, 0, 1, 0x67, 0, 1, 0x74, 0, 0, 0, 7])
        #expect(try GroupRecords.decodeKey(key) == .offset(group: "g", partition: TopicPartition("t", 7)))
    }

    @Test func groupKeyIsVersion2GroupMetadataKey() throws {
        let key = GroupRecords.groupKey("g")
        #expect(hex(key) == [0, 2, 0, 1, 0x67])
        #expect(try GroupRecords.decodeKey(key) == .group("g"))
    }

    @Test func unknownKeyVersionsAreIgnored() throws {
        #expect(try GroupRecords.decodeKey(ByteBuffer(bytes: [0, 9, 0, 0])) == nil)
    }

    @Test func offsetValueIsVersion3WithLeaderEpoch() throws {
        let offset = CommittedOffset(offset: Offset(5), leaderEpoch: LeaderEpoch(2), metadata: "m", commitTimestamp: 9)
        let value = GroupRecords.offsetValue(offset)
        #expect(
            hex(value) == [0, 3] + [0, 0, 0, 0, 0, 0, 0, 5] + [0, 0, 0, 2] + [0, 1, 0x6D] + [0, 0, 0, 0, 0, 0, 0, 9])
        #expect(try GroupRecords.decodeOffsetValue(value) == offset)
    }

    @Test func offsetValueWithExpiryIsVersion1() throws {
        let offset = CommittedOffset(offset: Offset(5), metadata: "", commitTimestamp: 9, expireTimestamp: 20)
        let value = GroupRecords.offsetValue(offset)
        #expect(hex(value) == [0, 1] + [0, 0, 0, 0, 0, 0, 0, 5] + [0, 0] + [0, 0, 0, 0, 0, 0, 0, 9] + [0, 0, 0, 0, 0, 0, 0, 20])
        #expect(try GroupRecords.decodeOffsetValue(value) == offset)
    }

    @Test func groupValueIsVersion3() throws {
        let value = GroupMetadataValue(
            protocolType: "consumer", generation: 1, protocol: "range", leader: "m", currentStateTimestamp: 3,
            members: [
                .init(
                    memberId: "m", groupInstanceId: nil, clientId: "c", clientHost: "/h", rebalanceTimeout: 4,
                    sessionTimeout: 5, subscription: ByteBuffer(bytes: [1]), assignment: ByteBuffer(bytes: [2, 3]))
            ])
        let bytes = GroupRecords.groupValue(value)
        var expected: [UInt8] = [0, 3]
        expected += [0, 8] + Array("consumer".utf8) + [0, 0, 0, 1] + [0, 5] + Array("range".utf8) + [0, 1, 0x6D]
        expected += [0, 0, 0, 0, 0, 0, 0, 3] + [0, 0, 0, 1]
        expected += [0, 1, 0x6D] + [0xFF, 0xFF] + [0, 1, 0x63] + [0, 2, 0x2F, 0x68] + [0, 0, 0, 4] + [0, 0, 0, 5]
        expected += [0, 0, 0, 1, 1] + [0, 0, 0, 2, 2, 3]
        #expect(hex(bytes) == expected)
        let (decoded, version) = try GroupRecords.decodeGroupValue(bytes)
        #expect(decoded == value && version == 3)
    }

    @Test func batchIsAnUncompressedV2CreateTimeBatchWithoutProducer() throws {
        let batch = GroupRecords.batch(
            [(key: GroupRecords.groupKey("g"), value: nil), (key: GroupRecords.groupKey("h"), value: ByteBuffer(bytes: [1]))],
            timestamp: 42)
        let header = try #require(RecordBatchHeader(parsing: batch, at: 0))
        #expect(header.magic == 2 && header.baseOffset == .zero && header.recordsCount == 2)
        #expect(header.attributes.compression == CompressionCodec.none && header.attributes.timestampType == .createTime)
        #expect(header.producerID == .none && header.baseTimestamp == 42)
        var decoder = try RecordDecoder(batchIn: batch, at: 0)
        let records = try decoder.collect()
        #expect(records.map(\.value) == [nil, ByteBuffer(bytes: [1])])
    }
}
