import BrokerCore
import NIOCore

/// Builds an uncompressed v2 record batch (for tests, and for internal topics the broker writes
/// itself, such as `__consumer_offsets`).
///
/// Offsets are consecutive from `baseOffset` (offset deltas 0, 1, ...); timestamps are stored as
/// deltas from the first record's. Value type.
public struct RecordBatchBuilder: Sendable {
    public var baseOffset: Offset
    public var partitionLeaderEpoch: LeaderEpoch
    public var attributes: RecordBatchAttributes
    public var producerID: ProducerID
    public var producerEpoch: ProducerEpoch
    public var baseSequence: Int32
    private var records: ByteBuffer
    private var count: Int32 = 0
    private var baseTimestamp: Int64?
    private var maxTimestamp: Int64 = -1

    public init(
        baseOffset: Offset = .zero, partitionLeaderEpoch: LeaderEpoch = .unknown,
        timestampType: TimestampType = .createTime, isTransactional: Bool = false, isControl: Bool = false,
        producerID: ProducerID = .none, producerEpoch: ProducerEpoch = .none, baseSequence: Int32 = -1
    ) {
        self.baseOffset = baseOffset
        self.partitionLeaderEpoch = partitionLeaderEpoch
        self.attributes = RecordBatchAttributes(
            compression: .none, timestampType: timestampType, isTransactional: isTransactional, isControl: isControl)
        self.producerID = producerID
        self.producerEpoch = producerEpoch
        self.baseSequence = baseSequence
        self.records = ByteBuffer()
    }

    /// Number of records appended so far.
    public var recordCount: Int { Int(count) }

    /// Appends a record with the next offset.
    public mutating func append(key: ByteBuffer?, value: ByteBuffer?, headers: [RecordHeader] = [], timestamp: Int64) {
        let base = baseTimestamp ?? timestamp
        baseTimestamp = base
        maxTimestamp = max(maxTimestamp, timestamp)
        var body = ByteBuffer()
        body.writeInteger(Int8(0))
        Varint.write(timestamp &- base, to: &body)
        Varint.write(count, to: &body)
        Self.writeNullable(key, to: &body)
        Self.writeNullable(value, to: &body)
        Varint.write(Int32(headers.count), to: &body)
        for header in headers {
            Varint.write(Int32(header.key.readableBytes), to: &body)
            var key = header.key
            body.writeBuffer(&key)
            Self.writeNullable(header.value, to: &body)
        }
        Varint.write(Int32(body.readableBytes), to: &records)
        records.writeBuffer(&body)
        count += 1
    }

    /// Convenience for byte-array keys and values.
    public mutating func append(key: [UInt8]?, value: [UInt8]?, headers: [RecordHeader] = [], timestamp: Int64) {
        append(key: key.map { ByteBuffer(bytes: $0) }, value: value.map { ByteBuffer(bytes: $0) }, headers: headers, timestamp: timestamp)
    }

    /// The finished batch (CRC computed). An empty builder yields a batch with no records,
    /// which validation rejects; append at least one record.
    public func build() -> ByteBuffer {
        Self.assemble(
            baseOffset: baseOffset, partitionLeaderEpoch: partitionLeaderEpoch, attributes: attributes,
            lastOffsetDelta: max(count - 1, 0), baseTimestamp: baseTimestamp ?? -1, maxTimestamp: maxTimestamp,
            producerID: producerID, producerEpoch: producerEpoch, baseSequence: baseSequence, recordsCount: count,
            payload: records)
    }

    /// A batch around an opaque `payload` (e.g. already-compressed records): the header is
    /// filled in and the CRC computed; the payload is not interpreted.
    public static func assemble(
        baseOffset: Offset, partitionLeaderEpoch: LeaderEpoch, attributes: RecordBatchAttributes, lastOffsetDelta: Int32,
        baseTimestamp: Int64, maxTimestamp: Int64, producerID: ProducerID = .none, producerEpoch: ProducerEpoch = .none,
        baseSequence: Int32 = -1, recordsCount: Int32, payload: ByteBuffer
    ) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(RecordBatchHeader.size + payload.readableBytes)
        let header = RecordBatchHeader(
            baseOffset: baseOffset, batchLength: Int32(RecordBatchHeader.size - RecordBatchHeader.logOverhead + payload.readableBytes),
            partitionLeaderEpoch: partitionLeaderEpoch, crc: 0, attributes: attributes, lastOffsetDelta: lastOffsetDelta,
            baseTimestamp: baseTimestamp, maxTimestamp: maxTimestamp, producerID: producerID, producerEpoch: producerEpoch,
            baseSequence: baseSequence, recordsCount: recordsCount)
        buffer.writeRepeatingByte(0, count: RecordBatchHeader.size)
        header.write(into: &buffer, at: 0)
        var payload = payload
        buffer.writeBuffer(&payload)
        RecordBatchRewriter.recomputeCRC(in: &buffer, batchAt: 0)
        return buffer
    }

    private static func writeNullable(_ bytes: ByteBuffer?, to buffer: inout ByteBuffer) {
        guard var bytes else {
            Varint.write(Int32(-1), to: &buffer)
            return
        }
        Varint.write(Int32(bytes.readableBytes), to: &buffer)
        buffer.writeBuffer(&bytes)
    }
}
