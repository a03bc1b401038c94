import BrokerCore
import KafkaRecords
import NIOCore

extension LogWriter {
    /// Leader append of a producer's records (Kafka `UnifiedLog.appendAsLeader`).
    ///
    /// All batches are validated before anything is written (all or nothing): framing, magic,
    /// CRC, Kafka's client rules, record framing of uncompressed batches, `max.message.bytes` per
    /// batch and `segment.bytes` for the whole. Then offsets are assigned from the log end offset,
    /// `leaderEpoch` is stamped into every batch, `LogAppendTime` applied if configured, and the
    /// bytes are written as they are (compressed batches are never decompressed).
    mutating func appendAsLeader(_ records: ByteBuffer, leaderEpoch: LeaderEpoch) throws(LogError) -> AppendInfo {
        try ensureOpen()
        var buffer = records
        var batches: [RecordBatchView] = []
        var iterator = RecordBatchIterator(buffer)
        do {
            while let batch = try iterator.next() {
                guard batch.size <= config.maxMessageBytes else {
                    throw LogError.messageTooLarge(size: batch.size, maxMessageBytes: config.maxMessageBytes)
                }
                try RecordBatchValidator.checkCRC(buffer, at: batch.index, header: batch.header)
                try RecordBatchValidator.checkClientBatch(batch.header)
                try RecordBatchValidator.checkRecords(buffer, at: batch.index, header: batch.header)
                batches.append(batch)
            }
        } catch let error as RecordBatchError {
            throw LogError.rejected(error)
        } catch let error as LogError {
            throw error
        } catch {
            throw LogError.invalidLayout("unexpected \(error)")
        }
        guard buffer.readableBytes <= config.segmentBytes else {
            throw .recordListTooLarge(size: buffer.readableBytes, segmentBytes: config.segmentBytes)
        }
        let firstOffset = state.logEndOffset
        guard !batches.isEmpty else { return emptyAppend(at: firstOffset) }

        let now = clock.nowMilliseconds
        let appendTime = config.messageTimestampType == .logAppendTime
        var next = firstOffset
        var maxTimestamp: Int64 = -1
        var offsetOfMax = firstOffset
        var recordCount = 0
        for index in batches.indices {
            let at = batches[index].index
            RecordBatchRewriter.setBaseOffset(next, in: &buffer, batchAt: at)
            RecordBatchRewriter.setPartitionLeaderEpoch(leaderEpoch, in: &buffer, batchAt: at)
            batches[index].header.baseOffset = next
            batches[index].header.partitionLeaderEpoch = leaderEpoch
            if appendTime {
                RecordBatchRewriter.setLogAppendTime(now, in: &buffer, batchAt: at)
                batches[index].header.attributes.timestampType = .logAppendTime
                batches[index].header.maxTimestamp = now
            }
            let header = batches[index].header
            if header.maxTimestamp > maxTimestamp {
                maxTimestamp = header.maxTimestamp
                offsetOfMax = header.lastOffset
            }
            recordCount += Int(header.recordsCount)
            next = header.nextOffset
        }
        let lastOffset = next + -1
        if shouldRoll(size: buffer.readableBytes, firstOffset: firstOffset, lastOffset: lastOffset, maxTimestamp: maxTimestamp) {
            try roll(newBase: firstOffset)
        }
        try write(buffer, batches: batches)
        try assignEpoch(leaderEpoch, startOffset: firstOffset)
        try afterAppend(records: recordCount)
        return AppendInfo(
            firstOffset: firstOffset, lastOffset: lastOffset, logAppendTime: appendTime ? now : -1,
            maxTimestamp: maxTimestamp, offsetOfMaxTimestamp: offsetOfMax, batchCount: batches.count,
            recordCount: recordCount, sizeInBytes: buffer.readableBytes, logStartOffset: state.logStartOffset)
    }

    /// Follower append of batches copied from the leader, keeping their offsets and epochs
    /// (Kafka `appendAsFollower`). Checks framing, magic and CRC (never the client rules), and
    /// that offsets increase from at least the log end offset; gaps are allowed.
    mutating func appendAsFollower(_ records: ByteBuffer) throws(LogError) -> AppendInfo {
        try ensureOpen()
        var batches: [RecordBatchView] = []
        var iterator = RecordBatchIterator(records)
        var expected = state.logEndOffset
        var maxTimestamp: Int64 = -1
        var offsetOfMax = expected
        var recordCount = 0
        do {
            while let batch = try iterator.next() {
                try RecordBatchValidator.checkCRC(records, at: batch.index, header: batch.header)
                let header = batch.header
                guard header.baseOffset >= expected, header.lastOffsetDelta >= 0 else {
                    throw LogError.unexpectedAppendOffset(firstOffset: header.baseOffset, logEndOffset: expected)
                }
                if header.maxTimestamp > maxTimestamp {
                    maxTimestamp = header.maxTimestamp
                    offsetOfMax = header.lastOffset
                }
                recordCount += Int(max(header.recordsCount, 0))
                expected = header.nextOffset
                batches.append(batch)
            }
        } catch let error as RecordBatchError {
            throw LogError.corruptMessage(error)
        } catch let error as LogError {
            throw error
        } catch {
            throw LogError.invalidLayout("unexpected \(error)")
        }
        guard let first = batches.first?.header, let last = batches.last?.header else {
            return emptyAppend(at: state.logEndOffset)
        }
        guard records.readableBytes <= config.segmentBytes else {
            throw .recordListTooLarge(size: records.readableBytes, segmentBytes: config.segmentBytes)
        }
        if shouldRoll(
            size: records.readableBytes, firstOffset: first.baseOffset, lastOffset: last.lastOffset, maxTimestamp: maxTimestamp)
        {
            try roll(newBase: first.baseOffset)
        }
        try write(records, batches: batches)
        for batch in batches where batch.header.partitionLeaderEpoch.rawValue >= 0 {
            try assignEpoch(batch.header.partitionLeaderEpoch, startOffset: batch.header.baseOffset)
        }
        try afterAppend(records: recordCount)
        return AppendInfo(
            firstOffset: first.baseOffset, lastOffset: last.lastOffset, logAppendTime: -1, maxTimestamp: maxTimestamp,
            offsetOfMaxTimestamp: offsetOfMax, batchCount: batches.count, recordCount: recordCount,
            sizeInBytes: records.readableBytes, logStartOffset: state.logStartOffset)
    }

    private func emptyAppend(at offset: Offset) -> AppendInfo {
        AppendInfo(
            firstOffset: offset, lastOffset: offset + -1, logAppendTime: -1, maxTimestamp: -1, offsetOfMaxTimestamp: offset,
            batchCount: 0, recordCount: 0, sizeInBytes: 0, logStartOffset: state.logStartOffset)
    }
}
