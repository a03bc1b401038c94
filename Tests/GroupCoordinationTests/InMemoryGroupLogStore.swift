import BrokerCore
import GroupCoordination
import KafkaRecords
import NIOCore

/// A `GroupLogStore` over in-memory partitions, with fault injection: failing appends and
/// reads held until released (a slow load). High watermark = log end offset.
actor InMemoryGroupLogStore: GroupLogStore {
    struct StoredBatch {
        var baseOffset: Offset
        var bytes: ByteBuffer
        var nextOffset: Offset
    }

    private(set) var logs: [Int32: [StoredBatch]] = [:]
    private var logStartOffsets: [Int32: Offset] = [:]
    private var appendErrors: [ErrorCode] = []
    private var readError: ErrorCode?
    private var readsHeld = false
    private var heldReads: [CheckedContinuation<Void, Never>] = []
    private(set) var readCount = 0

    /// The next appends fail with these errors, in order.
    func failNextAppends(with errors: ErrorCode...) { appendErrors.append(contentsOf: errors) }
    /// Every read fails with `error` (nil: reads succeed).
    func failReads(with error: ErrorCode?) { readError = error }
    /// Reads wait until ``releaseReads()``.
    func holdReads() { readsHeld = true }
    func releaseReads() {
        readsHeld = false
        for read in heldReads { read.resume() }
        heldReads.removeAll()
    }
    var hasHeldReads: Bool { !heldReads.isEmpty }
    func setLogStartOffset(_ offset: Offset, partition: Int32) { logStartOffsets[partition] = offset }

    /// Appends `batch` as a producer would (assigning its base offset), bypassing fault injection.
    @discardableResult
    func seed(partition: Int32, batch: ByteBuffer) -> Offset { store(partition: partition, batch: batch) }

    func append(partition: Int32, batch: ByteBuffer, timeoutMs: Int32) async -> GroupLogAppendResult {
        if !appendErrors.isEmpty { return GroupLogAppendResult(errorCode: appendErrors.removeFirst()) }
        return GroupLogAppendResult(errorCode: .none, baseOffset: store(partition: partition, batch: batch))
    }

    func read(partition: Int32, from offset: Offset, maxBytes: Int) async -> GroupLogReadResult {
        readCount += 1
        if readsHeld { await withCheckedContinuation { heldReads.append($0) } }
        let highWatermark = logEndOffset(partition)
        let logStart = logStartOffsets[partition] ?? .zero
        if let readError {
            return GroupLogReadResult(errorCode: readError, records: ByteBuffer(), highWatermark: .unknown, logStartOffset: .unknown)
        }
        var records = ByteBuffer()
        for batch in logs[partition] ?? [] where batch.nextOffset > offset && batch.baseOffset >= logStart {
            if records.readableBytes > 0 && records.readableBytes + batch.bytes.readableBytes > maxBytes { break }
            var bytes = batch.bytes
            records.writeBuffer(&bytes)
        }
        return GroupLogReadResult(errorCode: .none, records: records, highWatermark: highWatermark, logStartOffset: logStart)
    }

    /// Every record of `partition` as (key, value) in log order.
    func records(partition: Int32) throws -> [(key: ByteBuffer?, value: ByteBuffer?)] {
        var result: [(key: ByteBuffer?, value: ByteBuffer?)] = []
        for batch in logs[partition] ?? [] {
            var decoder = try RecordDecoder(batchIn: batch.bytes, at: batch.bytes.readerIndex)
            while let record = try decoder.next() { result.append((record.key, record.value)) }
        }
        return result
    }

    func batches(partition: Int32) -> [ByteBuffer] { (logs[partition] ?? []).map(\.bytes) }

    private func logEndOffset(_ partition: Int32) -> Offset { logs[partition]?.last?.nextOffset ?? .zero }

    private func store(partition: Int32, batch: ByteBuffer) -> Offset {
        var bytes = batch
        let base = logEndOffset(partition)
        bytes.setInteger(base.rawValue, at: bytes.readerIndex + RecordBatchHeader.FieldOffset.baseOffset)
        let header = RecordBatchHeader(parsing: bytes, at: bytes.readerIndex)
        let next = base + Int64((header?.lastOffsetDelta ?? 0) + 1)
        logs[partition, default: []].append(StoredBatch(baseOffset: base, bytes: bytes, nextOffset: next))
        return base
    }
}
