import BrokerCore
import NIOCore

/// In-place edits of a batch header, as the broker makes them on append.
///
/// `baseOffset` and `partitionLeaderEpoch` lie outside the CRC, so changing them keeps the
/// batch valid. Switching to `LogAppendTime` changes `attributes` and `maxTimestamp`, which are
/// covered by the CRC, so it recomputes it. All functions take the absolute index of the batch
/// within `buffer` and require the whole batch to be present there.
public enum RecordBatchRewriter {
    public static func setBaseOffset(_ offset: Offset, in buffer: inout ByteBuffer, batchAt index: Int) {
        buffer.setInteger(offset.rawValue, at: index + RecordBatchHeader.FieldOffset.baseOffset)
    }

    public static func setPartitionLeaderEpoch(_ epoch: LeaderEpoch, in buffer: inout ByteBuffer, batchAt index: Int) {
        buffer.setInteger(epoch.rawValue, at: index + RecordBatchHeader.FieldOffset.partitionLeaderEpoch)
    }

    /// Marks the batch as `LogAppendTime` with `maxTimestamp = timestamp` and recomputes the
    /// CRC (Kafka's `setMaxTimestamp(LOG_APPEND_TIME, now)`). `baseTimestamp` and the record
    /// deltas stay: consumers use `maxTimestamp` for every record of such a batch.
    public static func setLogAppendTime(_ timestamp: Int64, in buffer: inout ByteBuffer, batchAt index: Int) {
        let attributesIndex = index + RecordBatchHeader.FieldOffset.attributes
        var attributes = RecordBatchAttributes(rawValue: buffer.getInteger(at: attributesIndex, as: Int16.self) ?? 0)
        attributes.timestampType = .logAppendTime
        buffer.setInteger(attributes.rawValue, at: attributesIndex)
        buffer.setInteger(timestamp, at: index + RecordBatchHeader.FieldOffset.maxTimestamp)
        recomputeCRC(in: &buffer, batchAt: index)
    }

    /// Recomputes and stores the CRC-32C of the batch at `index`.
    public static func recomputeCRC(in buffer: inout ByteBuffer, batchAt index: Int) {
        guard let length = buffer.getInteger(at: index + RecordBatchHeader.FieldOffset.batchLength, as: Int32.self)
        else { return }
        let start = index + RecordBatchHeader.FieldOffset.attributes
        let count = Int(length) + RecordBatchHeader.logOverhead - RecordBatchHeader.FieldOffset.attributes
        guard let crc = CRC32C.checksum(buffer, at: start, length: count) else { return }
        buffer.setInteger(crc, at: index + RecordBatchHeader.FieldOffset.crc)
    }
}
