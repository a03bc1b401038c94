import BrokerCore
import KafkaProtocol
import KafkaRecords
import NIOCore

/// The `__consumer_offsets` record formats (Kafka's `GroupMetadataManager` serde).
///
/// Each key and value is an int16 schema version followed by the schema's body:
/// - offset key: version 1 + `OffsetCommitKey` {group, topic, partition};
/// - offset value: version 3 + `OffsetCommitValue` {offset, leaderEpoch, metadata,
///   commitTimestamp}, or version 1 {offset, metadata, commitTimestamp, expireTimestamp} when
///   the commit carried a retention time;
/// - group key: version 2 + `GroupMetadataKey` {group};
/// - group value: version 3 + `GroupMetadataValue`;
/// - a null value is a tombstone.
/// Keys with versions 0/1 are offsets and 2 group metadata; others are ignored when loading.
public enum GroupRecords {
    public static let offsetKeyVersion: Int16 = 1
    public static let groupKeyVersion: Int16 = 2
    public static let offsetValueVersion: Int16 = 3
    public static let offsetValueWithExpiryVersion: Int16 = 1
    public static let groupValueVersion: Int16 = 3

    /// A decoded record key.
    public enum Key: Sendable, Hashable {
        case offset(group: String, partition: TopicPartition)
        case group(String)
    }

    public static func offsetKey(group: String, partition: TopicPartition) -> ByteBuffer {
        encode(OffsetCommitKey(group: group, topic: partition.topic, partition: partition.partition), version: offsetKeyVersion)
    }

    public static func groupKey(_ group: String) -> ByteBuffer {
        encode(GroupMetadataKey(group: group), version: groupKeyVersion)
    }

    public static func offsetValue(_ offset: CommittedOffset) -> ByteBuffer {
        let value = OffsetCommitValue(
            offset: offset.offset.rawValue, leaderEpoch: offset.leaderEpoch.rawValue, metadata: offset.metadata,
            commitTimestamp: offset.commitTimestamp, expireTimestamp: offset.expireTimestamp ?? -1)
        return encode(value, version: offset.expireTimestamp == nil ? offsetValueVersion : offsetValueWithExpiryVersion)
    }

    public static func groupValue(_ value: GroupMetadataValue) -> ByteBuffer {
        encode(value, version: groupValueVersion)
    }

    /// The key, nil for an unknown key version. Throws on malformed bytes.
    public static func decodeKey(_ bytes: ByteBuffer) throws(KafkaProtocolError) -> Key? {
        var bytes = bytes
        let version = try bytes.readKafkaInt16()
        if OffsetCommitKey.validVersions.contains(version) {
            let key = try OffsetCommitKey(from: &bytes, version: version)
            return .offset(group: key.group, partition: TopicPartition(key.topic, key.partition))
        }
        if GroupMetadataKey.validVersions.contains(version) {
            return .group(try GroupMetadataKey(from: &bytes, version: version).group)
        }
        return nil
    }

    public static func decodeOffsetValue(_ bytes: ByteBuffer) throws(KafkaProtocolError) -> CommittedOffset {
        var bytes = bytes
        let version = try bytes.readKafkaInt16()
        let value = try OffsetCommitValue(from: &bytes, version: version)
        return CommittedOffset(
            offset: Offset(value.offset), leaderEpoch: LeaderEpoch(value.leaderEpoch), metadata: value.metadata,
            commitTimestamp: value.commitTimestamp,
            expireTimestamp: value.expireTimestamp == -1 ? nil : value.expireTimestamp)
    }

    /// The group value and its schema version.
    public static func decodeGroupValue(_ bytes: ByteBuffer) throws(KafkaProtocolError) -> (GroupMetadataValue, Int16) {
        var bytes = bytes
        let version = try bytes.readKafkaInt16()
        return (try GroupMetadataValue(from: &bytes, version: version), version)
    }

    /// One uncompressed v2 batch (CreateTime `timestamp`, no producer id, base offset 0) of
    /// `records` (key, value-or-tombstone).
    public static func batch(_ records: [(key: ByteBuffer, value: ByteBuffer?)], timestamp: Int64) -> ByteBuffer {
        var builder = RecordBatchBuilder()
        for record in records { builder.append(key: record.key, value: record.value, timestamp: timestamp) }
        return builder.build()
    }

    private static func encode(_ message: some KafkaDataMessage, version: Int16) -> ByteBuffer {
        var writer = MessageWriter()
        writer.writeInt16(version)
        message.encode(to: &writer, version: version)
        return writer.finishAsByteBuffer() ?? ByteBuffer()
    }
}
