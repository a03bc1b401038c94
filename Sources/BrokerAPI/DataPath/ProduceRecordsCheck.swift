import BrokerCore
import KafkaProtocol
import KafkaRecords
import NIOCore

/// The checks Kafka makes on a produce request's records before they reach the log
/// (`ProduceRequest.validateRecords` in Kafka 3.9, for request versions 3 and above), plus the
/// facts the handler needs about the batch.
///
/// Kafka's rules, with its batch framing (`ByteBufferLogInputStream`): a partition's records must
/// hold exactly one complete record batch, of magic 2; ZStandard needs Produce v7+. A batch
/// whose length field is below 14 is CORRUPT_MESSAGE; bytes after the batch that do not form a
/// complete second batch are left for the log's own validation. The batch's content (CRC,
/// records, sequence numbers) is checked by storage and the producer state, not here.
enum ProduceRecordsCheck {
    /// Why a partition's records were refused.
    struct Rejection: Error, Equatable {
        var code: ErrorCode
        var message: String
    }

    /// The one batch of a valid partition entry.
    struct Batch {
        /// The partition's records (the whole payload, a slice of the request buffer).
        var records: ByteBuffer
        var isTransactional: Bool
    }

    /// Kafka's `LegacyRecord.RECORD_OVERHEAD_V0`: the smallest legal length field.
    static let minimumLengthField: Int32 = 14
    /// Bytes up to and including the magic byte (`HEADER_SIZE_UP_TO_MAGIC`).
    static let headerSizeUpToMagic = 17

    static func check(_ payload: RecordsPayload?, version: Int16) -> Result<Batch, Rejection> {
        guard case .bytes(let records) = payload else {
            // Null records: Kafka 3.9 lets them through validation and then fails the whole request
            // with UNKNOWN_SERVER_ERROR (a NullPointerException). We answer the partition alone,
            // as an empty record set is answered.
            return .failure(missingBatch(version))
        }
        let start = records.readerIndex
        let end = records.writerIndex
        let first: (size: Int, magic: Int8)
        switch frame(records, at: start, end: end) {
        case .failure(let rejection): return .failure(rejection)
        case .success(nil): return .failure(missingBatch(version))
        case .success(let framed?): first = framed
        }
        guard first.magic == RecordBatchHeader.currentMagic else {
            return .failure(
                Rejection(
                    code: .invalidRecord,
                    message: "Produce requests with version \(version) are only allowed to contain record batches with magic version 2"
                ))
        }
        let attributes = RecordBatchAttributes(
            rawValue: records.getInteger(at: start + RecordBatchHeader.FieldOffset.attributes, as: Int16.self) ?? 0)
        if version < 7, attributes.compression == .zstd {
            return .failure(
                Rejection(
                    code: .unsupportedCompressionType,
                    message: "Produce requests with version \(version) are not allowed to use ZStandard compression"))
        }
        switch frame(records, at: start + first.size, end: end) {
        case .failure(let rejection): return .failure(rejection)
        case .success(nil): break
        case .success(.some):
            return .failure(
                Rejection(
                    code: .invalidRecord,
                    message: "Produce requests with version \(version) are only allowed to contain exactly one record batch per partition"
                ))
        }
        return .success(Batch(records: records, isTransactional: attributes.isTransactional))
    }

    private static func missingBatch(_ version: Int16) -> Rejection {
        Rejection(
            code: .invalidRecord,
            message: "Produce requests with version \(version) must have at least one record batch per partition")
    }

    /// The complete batch at `index` (its total size and magic), nil when the bytes left do not
    /// hold one, or CORRUPT_MESSAGE for an impossible length field.
    private static func frame(_ buffer: ByteBuffer, at index: Int, end: Int) -> Result<(size: Int, magic: Int8)?, Rejection> {
        let remaining = end - index
        guard remaining >= RecordBatchHeader.logOverhead,
            let length = buffer.getInteger(at: index + RecordBatchHeader.FieldOffset.batchLength, as: Int32.self)
        else { return .success(nil) }
        guard length >= minimumLengthField else {
            return .failure(
                Rejection(
                    code: .corruptMessage,
                    message: "Record size \(length) is less than the minimum record overhead (\(minimumLengthField))"))
        }
        let size = Int(length) + RecordBatchHeader.logOverhead
        guard remaining >= headerSizeUpToMagic, remaining >= size,
            let magic = buffer.getInteger(at: index + RecordBatchHeader.FieldOffset.magic, as: Int8.self)
        else { return .success(nil) }
        return .success((size, magic))
    }
}
