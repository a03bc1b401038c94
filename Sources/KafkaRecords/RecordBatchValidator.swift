import NIOCore

/// Checks record batches the way Kafka's `LogValidator` and `DefaultRecordBatch.ensureValid` do.
///
/// Three levels, each cheaper than the next:
/// 1. ``checkIntegrity(_:at:maxBatchSize:)``: framing (≥ 61 bytes, 49 ≤ batchLength, the whole
///    batch present), magic 2, and the CRC-32C over attributes..end. This is what recovery and
///    reads check: a batch that passes was written whole by someone who computed its CRC.
/// 2. ``checkClientBatch(_:)``: the content rules Kafka applies to batches from producers
///    (`LogValidator.validateBatch`): valid compression, `lastOffsetDelta ≥ 0`,
///    `recordsCount > 0`, `lastOffsetDelta + 1 == recordsCount`, no control batches,
///    idempotent batches need `baseSequence ≥ 0`.
/// 3. ``checkRecords(_:at:header:)``: for uncompressed batches, every record's varint framing
///    and that exactly `recordsCount` records fill the batch. Compressed batches are skipped:
///    storage never decompresses.
///
/// Stateless and thread-safe.
public enum RecordBatchValidator {
    /// Validates framing, magic and CRC of the batch at absolute `index`, returning its header.
    ///
    /// - Parameter maxBatchSize: upper bound on the total size; larger claims are
    ///   `invalidBatchLength` (a corrupt length must not make a reader allocate gigabytes).
    public static func checkIntegrity(
        _ buffer: ByteBuffer, at index: Int, maxBatchSize: Int = Int(Int32.max)
    ) throws(RecordBatchError) -> RecordBatchHeader {
        let header = try checkFraming(buffer, at: index, maxBatchSize: maxBatchSize)
        try checkCRC(buffer, at: index, header: header)
        return header
    }

    /// Framing and magic only (no CRC): the header, if the whole batch is present.
    public static func checkFraming(
        _ buffer: ByteBuffer, at index: Int, maxBatchSize: Int = Int(Int32.max)
    ) throws(RecordBatchError) -> RecordBatchHeader {
        let available = buffer.writerIndex - index
        guard available >= RecordBatchHeader.logOverhead + 5 else {
            throw .truncated(needed: RecordBatchHeader.size, available: max(available, 0))
        }
        // Kafka checks the length before the magic; so do we.
        let batchLength = buffer.getInteger(at: index + 8, as: Int32.self) ?? 0
        guard batchLength >= RecordBatchHeader.minimumBatchLength,
            Int(batchLength) + RecordBatchHeader.logOverhead <= maxBatchSize
        else { throw .invalidBatchLength(batchLength) }
        let magic = buffer.getInteger(at: index + 16, as: Int8.self) ?? 0
        guard magic == RecordBatchHeader.currentMagic else { throw .unsupportedMagic(magic) }
        let total = Int(batchLength) + RecordBatchHeader.logOverhead
        guard available >= total, let header = RecordBatchHeader(parsing: buffer, at: index) else {
            throw .truncated(needed: total, available: available)
        }
        return header
    }

    /// Verifies the stored CRC against the bytes attributes..end.
    public static func checkCRC(_ buffer: ByteBuffer, at index: Int, header: RecordBatchHeader) throws(RecordBatchError) {
        let start = index + RecordBatchHeader.FieldOffset.attributes
        let length = header.totalSize - RecordBatchHeader.FieldOffset.attributes
        guard let computed = CRC32C.checksum(buffer, at: start, length: length) else {
            throw .truncated(needed: header.totalSize, available: buffer.writerIndex - index)
        }
        guard computed == header.crc else { throw .crcMismatch(stored: header.crc, computed: computed) }
    }

    /// Kafka's checks on a batch that came from a producer (not from replication).
    public static func checkClientBatch(_ header: RecordBatchHeader) throws(RecordBatchError) {
        guard header.attributes.compression != nil else { throw .invalidCompression(header.attributes.rawValue) }
        guard header.lastOffsetDelta >= 0 else { throw .invalidOffsetRange(lastOffsetDelta: header.lastOffsetDelta) }
        guard header.recordsCount > 0 else { throw .invalidRecordCount(header.recordsCount) }
        guard Int64(header.lastOffsetDelta) + 1 == Int64(header.recordsCount) else {
            throw .inconsistentRecordCount(lastOffsetDelta: header.lastOffsetDelta, recordsCount: header.recordsCount)
        }
        guard !header.attributes.isControl else { throw .controlBatchFromClient }
        if header.hasProducerID, header.baseSequence < 0 {
            throw .invalidSequence(producerID: header.producerID, baseSequence: header.baseSequence)
        }
    }

    /// Walks the records of an uncompressed batch: each record's length must frame exactly its
    /// fields, and `recordsCount` records must fill the batch. No-op for compressed batches.
    public static func checkRecords(_ buffer: ByteBuffer, at index: Int, header: RecordBatchHeader) throws(RecordBatchError) {
        guard header.attributes.compression == CompressionCodec.none else { return }
        let start = index + RecordBatchHeader.size
        let end = index + header.totalSize
        guard start >= buffer.readerIndex, end <= buffer.writerIndex else {
            throw .truncated(needed: header.totalSize, available: buffer.writerIndex - index)
        }
        let failure: String? = buffer.withUnsafeReadableBytes { raw in
            let bytes = UnsafeRawBufferPointer(rebasing: raw[(start - buffer.readerIndex)..<(end - buffer.readerIndex)])
            return RecordFraming.checkAll(bytes, recordsCount: header.recordsCount)
        }
        if let failure { throw .invalidRecord(failure) }
    }
}

/// The record walk of ``RecordBatchValidator/checkRecords(_:at:header:)``: a tight loop over raw
/// bytes (this runs for every record a producer sends).
enum RecordFraming {
    /// Checks that `bytes` (the records of a batch) hold exactly `recordsCount` well-framed
    /// records; returns what is wrong, or nil.
    static func checkAll(_ bytes: UnsafeRawBufferPointer, recordsCount: Int32) -> String? {
        var position = 0
        var count: Int32 = 0
        while position < bytes.count {
            guard count < recordsCount else { return "more records than recordsCount \(recordsCount)" }
            guard let length = Varint.readInt32(bytes, &position), length >= 0 else { return "bad record length" }
            let recordEnd = position + Int(length)
            guard recordEnd <= bytes.count else { return "record length \(length) past the batch end" }
            if let problem = check(UnsafeRawBufferPointer(rebasing: bytes[position..<recordEnd])) { return problem }
            position = recordEnd
            count += 1
        }
        return count == recordsCount ? nil : "found \(count) records, header says \(recordsCount)"
    }

    /// Checks that the body of one record (after its length varint) is exactly its fields.
    @inline(__always)
    static func check(_ body: UnsafeRawBufferPointer) -> String? {
        var position = 1  // attributes
        guard body.count >= 1 else { return "empty record" }
        guard Varint.readInt64(body, &position) != nil else { return "bad timestampDelta" }
        guard Varint.readInt32(body, &position) != nil else { return "bad offsetDelta" }
        guard skipBytes(body, &position) else { return "bad key" }
        guard skipBytes(body, &position) else { return "bad value" }
        guard let headerCount = Varint.readInt32(body, &position), headerCount >= 0 else { return "bad header count" }
        for _ in 0..<headerCount {
            guard let keyLength = Varint.readInt32(body, &position), keyLength >= 0,
                position + Int(keyLength) <= body.count
            else { return "bad header key" }
            position += Int(keyLength)
            guard skipBytes(body, &position) else { return "bad header value" }
        }
        return position == body.count ? nil : "record has \(body.count - position) trailing bytes"
    }

    /// Skips a nullable byte field (varint length, -1 = null).
    @inline(__always)
    static func skipBytes(_ body: UnsafeRawBufferPointer, _ position: inout Int) -> Bool {
        guard let length = Varint.readInt32(body, &position), length >= -1 else { return false }
        guard length > 0 else { return true }
        guard position + Int(length) <= body.count else { return false }
        position += Int(length)
        return true
    }
}
