import BrokerCore
import KafkaRecords
import NIOCore

/// Read-side operations on a published ``LogSnapshot``. Stateless; safe from any thread,
/// concurrently with the writer (they only touch bytes the snapshot says are complete).
enum LogReader {
    /// See ``PartitionLog/read(from:maxBytes:upperBound:minOneBatch:)``.
    static func read(
        _ snapshot: LogSnapshot, from offset: Offset, maxBytes: Int, upperBound: Offset, minOneBatch: Bool
    ) throws(LogError) -> LogReadResult {
        guard !snapshot.isClosed else { throw .closed }
        guard offset >= snapshot.logStartOffset, offset <= snapshot.logEndOffset else {
            throw .offsetOutOfRange(
                requested: offset, logStartOffset: snapshot.logStartOffset, logEndOffset: snapshot.logEndOffset)
        }
        var result = LogReadResult(
            records: nil, firstBatchBaseOffset: nil, nextFetchOffset: nil, batchCount: 0,
            logStartOffset: snapshot.logStartOffset, logEndOffset: snapshot.logEndOffset,
            highWatermark: snapshot.highWatermark)
        var segmentIndex = snapshot.segmentIndex(containing: offset)
        while segmentIndex < snapshot.segmentCount {
            let segment = snapshot.segment(at: segmentIndex)
            segmentIndex += 1
            var scanner = BatchHeaderScanner(
                file: segment.segment.log, from: segment.offsetIndex.lookup(offset), limit: segment.size)
            var first: (position: Int64, header: RecordBatchHeader)?
            while let batch = try scanner.next() {
                if batch.header.lastOffset >= offset {
                    first = batch
                    break
                }
            }
            guard let first else { continue }
            result.firstBatchBaseOffset = first.header.baseOffset
            var end = first.position
            var count = 0
            var nextOffset = first.header.baseOffset
            var current: (position: Int64, header: RecordBatchHeader)? = first
            while let batch = current {
                guard batch.header.lastOffset < upperBound else { break }
                let length = end + Int64(batch.header.totalSize) - first.position
                guard length <= Int64(maxBytes) || (count == 0 && minOneBatch) else { break }
                end += Int64(batch.header.totalSize)
                count += 1
                nextOffset = batch.header.nextOffset
                current = try scanner.next()
            }
            guard count > 0 else { return result }
            let verifiedEnd = try verify(segment, from: first.position, to: end)
            if verifiedEnd < end {
                // Serve only the batches before the damaged one.
                end = verifiedEnd
                count = 0
                var rescan = BatchHeaderScanner(file: segment.segment.log, from: first.position, limit: end)
                while let batch = try rescan.next() {
                    count += 1
                    nextOffset = batch.header.nextOffset
                }
            }
            result.records = FileSlice(file: segment.segment.log, position: first.position, length: Int(end - first.position))
            result.batchCount = count
            result.nextFetchOffset = nextOffset
            return result
        }
        return result
    }

    /// CRC-checks the batches in [start, end) that this process has not verified yet. Returns
    /// `end`, or the position of the first damaged batch (throws `corruptLog` if that is `start`).
    static func verify(_ segment: SegmentState, from start: Int64, to end: Int64) throws(LogError) -> Int64 {
        let verified = segment.segment.verifiedEnd.load(ordering: .acquiring)
        guard end > verified else { return end }
        let from = max(start, verified)
        let bytes = try segment.segment.log.readBuffer(at: from, count: Int(end - from))
        var index = bytes.readerIndex
        while index < bytes.writerIndex {
            do {
                let header = try RecordBatchValidator.checkIntegrity(bytes, at: index)
                index += header.totalSize
            } catch {
                let position = from + Int64(index)
                guard position > start else {
                    throw .corruptLog(path: segment.segment.logPath.string, position: position, reason: error)
                }
                if from == verified { segment.segment.markVerified(upTo: position) }
                return position
            }
        }
        if from == verified { segment.segment.markVerified(upTo: end) }
        return end
    }

    /// Calls `body` with each batch header from the batch containing `offset` to the log end,
    /// until it returns false.
    static func forEachBatch(
        _ snapshot: LogSnapshot, from offset: Offset, _ body: (RecordBatchHeader) throws -> Bool
    ) throws {
        guard !snapshot.isClosed else { throw LogError.closed }
        var segmentIndex = snapshot.segmentIndex(containing: max(offset, snapshot.logStartOffset))
        while segmentIndex < snapshot.segmentCount {
            let segment = snapshot.segment(at: segmentIndex)
            segmentIndex += 1
            var scanner = BatchHeaderScanner(file: segment.segment.log, from: segment.offsetIndex.lookup(offset), limit: segment.size)
            while let batch = try scanner.next() {
                guard batch.header.lastOffset >= offset else { continue }
                guard try body(batch.header) else { return }
            }
        }
    }

    // MARK: Lookups

    /// ListOffsets (Kafka `fetchOffsetByTimestamp`). Nil when no record matches.
    static func offset(_ snapshot: LogSnapshot, for lookup: OffsetLookup) throws(LogError) -> TimestampAndOffset? {
        guard !snapshot.isClosed else { throw .closed }
        switch lookup {
        case .earliest:
            let start = snapshot.logStartOffset
            return TimestampAndOffset(timestamp: -1, offset: start, leaderEpoch: snapshot.epochs.epoch(containing: start))
        case .latest:
            return TimestampAndOffset(
                timestamp: -1, offset: snapshot.logEndOffset, leaderEpoch: snapshot.epochs.latestEpoch)
        case .maxTimestamp:
            var best: SegmentState?
            for index in 0..<snapshot.segmentCount {
                let segment = snapshot.segment(at: index)
                if segment.maxTimestamp >= 0, segment.maxTimestamp > (best?.maxTimestamp ?? -1) { best = segment }
            }
            guard let best else { return nil }
            return try find(snapshot, in: best, batchFrom: best.offsetOfMaxTimestamp, timestamp: best.maxTimestamp)
        case .timestamp(let target):
            for index in 0..<snapshot.segmentCount {
                let segment = snapshot.segment(at: index)
                guard segment.maxTimestamp >= target, segment.nextOffset > snapshot.logStartOffset else { continue }
                let from = segment.timeIndex.lookup(target)
                if let found = try find(snapshot, in: segment, batchFrom: from, timestamp: target) { return found }
            }
            return nil
        }
    }

    /// The first record (at or after the log start) whose timestamp is ≥ `target`, searching the
    /// batches of `segment` from the one containing `batchFrom`. Uncompressed batches are
    /// searched record by record; compressed ones (never decompressed) answer with the batch's
    /// base offset and max timestamp.
    static func find(
        _ snapshot: LogSnapshot, in segment: SegmentState, batchFrom: Offset, timestamp target: Int64
    ) throws(LogError) -> TimestampAndOffset? {
        let floor = snapshot.logStartOffset
        let firstBatch = max(batchFrom, floor)
        var scanner = BatchHeaderScanner(
            file: segment.segment.log, from: segment.offsetIndex.lookup(firstBatch), limit: segment.size)
        while let batch = try scanner.next() {
            let header = batch.header
            guard header.lastOffset >= firstBatch, header.maxTimestamp >= target else { continue }
            let epoch = header.partitionLeaderEpoch.rawValue >= 0 ? header.partitionLeaderEpoch : nil
            if header.attributes.compression == CompressionCodec.none, header.attributes.timestampType == .createTime {
                let bytes = try segment.segment.log.readBuffer(at: batch.position, count: header.totalSize)
                do {
                    var decoder = try RecordDecoder(batchIn: bytes, at: bytes.readerIndex)
                    while let record = try decoder.next() {
                        let offset = record.offset(in: header)
                        let timestamp = record.timestamp(in: header)
                        if offset >= floor, timestamp >= target {
                            return TimestampAndOffset(timestamp: timestamp, offset: offset, leaderEpoch: epoch)
                        }
                    }
                } catch {
                    throw .corruptLog(path: segment.segment.logPath.string, position: batch.position, reason: error)
                }
                continue
            }
            return TimestampAndOffset(
                timestamp: header.maxTimestamp, offset: max(header.baseOffset, floor), leaderEpoch: epoch)
        }
        return nil
    }
}
