import BrokerCore
import NIOCore

/// The 61-byte header of a Kafka record batch, magic v2 (`DefaultRecordBatch`).
///
/// ```
/// offset size field
///      0    8 baseOffset             (outside the CRC)
///      8    4 batchLength            bytes after this field (total size − 12)
///     12    4 partitionLeaderEpoch   (outside the CRC)
///     16    1 magic                  = 2
///     17    4 crc                    CRC-32C of bytes 21..<end
///     21    2 attributes
///     23    4 lastOffsetDelta
///     27    8 baseTimestamp
///     35    8 maxTimestamp
///     43    8 producerId
///     51    2 producerEpoch
///     53    4 baseSequence
///     57    4 recordsCount
///     61      records (compressed as a whole when attributes say so)
/// ```
/// All integers are big-endian. Parsing reads the fields from the buffer in place (no copy).
public struct RecordBatchHeader: Hashable, Sendable {
    public var baseOffset: Offset
    public var batchLength: Int32
    public var partitionLeaderEpoch: LeaderEpoch
    public var magic: Int8
    public var crc: UInt32
    public var attributes: RecordBatchAttributes
    public var lastOffsetDelta: Int32
    public var baseTimestamp: Int64
    public var maxTimestamp: Int64
    public var producerID: ProducerID
    public var producerEpoch: ProducerEpoch
    public var baseSequence: Int32
    public var recordsCount: Int32

    public init(
        baseOffset: Offset, batchLength: Int32, partitionLeaderEpoch: LeaderEpoch, magic: Int8 = 2,
        crc: UInt32, attributes: RecordBatchAttributes, lastOffsetDelta: Int32, baseTimestamp: Int64,
        maxTimestamp: Int64, producerID: ProducerID, producerEpoch: ProducerEpoch, baseSequence: Int32,
        recordsCount: Int32
    ) {
        self.baseOffset = baseOffset
        self.batchLength = batchLength
        self.partitionLeaderEpoch = partitionLeaderEpoch
        self.magic = magic
        self.crc = crc
        self.attributes = attributes
        self.lastOffsetDelta = lastOffsetDelta
        self.baseTimestamp = baseTimestamp
        self.maxTimestamp = maxTimestamp
        self.producerID = producerID
        self.producerEpoch = producerEpoch
        self.baseSequence = baseSequence
        self.recordsCount = recordsCount
    }

    /// Size of the header in bytes.
    public static let size = 61
    /// Bytes before `partitionLeaderEpoch`: baseOffset + batchLength (Kafka's `LOG_OVERHEAD`).
    public static let logOverhead = 12
    /// Smallest legal `batchLength` (a header with no records).
    public static let minimumBatchLength: Int32 = Int32(size - logOverhead)
    /// The only supported magic.
    public static let currentMagic: Int8 = 2

    /// Field offsets within the batch.
    public enum FieldOffset {
        public static let baseOffset = 0
        public static let batchLength = 8
        public static let partitionLeaderEpoch = 12
        public static let magic = 16
        public static let crc = 17
        public static let attributes = 21
        public static let lastOffsetDelta = 23
        public static let baseTimestamp = 27
        public static let maxTimestamp = 35
        public static let producerID = 43
        public static let producerEpoch = 51
        public static let baseSequence = 53
        public static let recordsCount = 57
    }

    /// Total size of the batch in bytes (header included).
    public var totalSize: Int { Int(batchLength) + Self.logOverhead }
    /// Offset of the batch's last record.
    public var lastOffset: Offset { baseOffset + Int64(lastOffsetDelta) }
    /// The offset after this batch.
    public var nextOffset: Offset { lastOffset + 1 }
    /// Whether the batch belongs to an idempotent or transactional producer.
    public var hasProducerID: Bool { producerID.rawValue >= 0 }

    /// Parses the header at absolute `index` of `buffer` without moving its indices.
    ///
    /// Reads the first 61 bytes only; returns nil if fewer are readable. No validation: see
    /// ``RecordBatchValidator``.
    public init?(parsing buffer: ByteBuffer, at index: Int) {
        guard index >= buffer.readerIndex, buffer.writerIndex - index >= Self.size,
            let baseOffset = buffer.getInteger(at: index, as: Int64.self),
            let batchLength = buffer.getInteger(at: index + 8, as: Int32.self),
            let leaderEpoch = buffer.getInteger(at: index + 12, as: Int32.self),
            let magic = buffer.getInteger(at: index + 16, as: Int8.self),
            let crc = buffer.getInteger(at: index + 17, as: UInt32.self),
            let attributes = buffer.getInteger(at: index + 21, as: Int16.self),
            let lastOffsetDelta = buffer.getInteger(at: index + 23, as: Int32.self),
            let baseTimestamp = buffer.getInteger(at: index + 27, as: Int64.self),
            let maxTimestamp = buffer.getInteger(at: index + 35, as: Int64.self),
            let producerID = buffer.getInteger(at: index + 43, as: Int64.self),
            let producerEpoch = buffer.getInteger(at: index + 51, as: Int16.self),
            let baseSequence = buffer.getInteger(at: index + 53, as: Int32.self),
            let recordsCount = buffer.getInteger(at: index + 57, as: Int32.self)
        else { return nil }
        self.init(
            baseOffset: Offset(baseOffset), batchLength: batchLength, partitionLeaderEpoch: LeaderEpoch(leaderEpoch),
            magic: magic, crc: crc, attributes: RecordBatchAttributes(rawValue: attributes),
            lastOffsetDelta: lastOffsetDelta, baseTimestamp: baseTimestamp, maxTimestamp: maxTimestamp,
            producerID: ProducerID(producerID), producerEpoch: ProducerEpoch(producerEpoch),
            baseSequence: baseSequence, recordsCount: recordsCount)
    }

    /// Writes the header at absolute `index` of `buffer` (which must already hold 61 bytes there).
    public func write(into buffer: inout ByteBuffer, at index: Int) {
        buffer.setInteger(baseOffset.rawValue, at: index)
        buffer.setInteger(batchLength, at: index + 8)
        buffer.setInteger(partitionLeaderEpoch.rawValue, at: index + 12)
        buffer.setInteger(magic, at: index + 16)
        buffer.setInteger(crc, at: index + 17)
        buffer.setInteger(attributes.rawValue, at: index + 21)
        buffer.setInteger(lastOffsetDelta, at: index + 23)
        buffer.setInteger(baseTimestamp, at: index + 27)
        buffer.setInteger(maxTimestamp, at: index + 35)
        buffer.setInteger(producerID.rawValue, at: index + 43)
        buffer.setInteger(producerEpoch.rawValue, at: index + 51)
        buffer.setInteger(baseSequence, at: index + 53)
        buffer.setInteger(recordsCount, at: index + 57)
    }
}
