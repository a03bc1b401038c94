import BrokerCore
import KafkaRecords
import NIOCore

/// Walks the batch headers of a segment's `.log` from a position, reading the file in windows so
/// that small batches cost no syscall each and large ones are skipped over. The window starts at
/// 8 KiB and doubles (up to 256 KiB) while windows hold several headers, so a walk over large
/// batches reads little more than their headers.
///
/// Checks framing only (length and magic), not CRCs. Used by reads, lookups and loading; the
/// region it walks was validated before (appended or recovered), so a framing error means the
/// file changed under us or an index pointed into a batch: reported as `corruptLog`.
struct BatchHeaderScanner {
    let file: any LogFile
    /// End of the region (bytes past it are ignored).
    let limit: Int64
    private(set) var position: Int64
    private var window = ByteBuffer()
    private var windowStart: Int64 = 0
    private var windowSize = Self.minimumWindow
    private var headersInWindow = 0
    private static let minimumWindow = 8 * 1024
    private static let maximumWindow = 256 * 1024

    init(file: any LogFile, from position: Int64, limit: Int64) {
        self.file = file
        self.position = position
        self.limit = limit
    }

    /// The next batch (its position and header), nil at `limit`.
    mutating func next() throws(LogError) -> (position: Int64, header: RecordBatchHeader)? {
        guard position < limit else { return nil }
        let needed = RecordBatchHeader.size
        guard limit - position >= Int64(needed) else {
            throw corrupt(.truncated(needed: needed, available: Int(limit - position)))
        }
        let windowEnd = windowStart + Int64(window.writerIndex)
        if position < windowStart || position + Int64(needed) > windowEnd {
            windowSize = headersInWindow > 1 ? min(windowSize * 2, Self.maximumWindow) : Self.minimumWindow
            headersInWindow = 0
            window.clear()
            windowStart = position
            let count = Int(min(Int64(windowSize), limit - position))
            try file.readAppending(to: &window, at: position, count: count)
            guard window.readableBytes >= needed else {
                throw corrupt(.truncated(needed: needed, available: window.readableBytes))
            }
        }
        let index = Int(position - windowStart)
        guard let header = RecordBatchHeader(parsing: window, at: index) else {
            throw corrupt(.truncated(needed: needed, available: window.writerIndex - index))
        }
        guard header.magic == RecordBatchHeader.currentMagic else { throw corrupt(.unsupportedMagic(header.magic)) }
        guard header.batchLength >= RecordBatchHeader.minimumBatchLength,
            position + Int64(header.totalSize) <= limit
        else { throw corrupt(.invalidBatchLength(header.batchLength)) }
        let found = (position, header)
        headersInWindow += 1
        position += Int64(header.totalSize)
        return found
    }

    private func corrupt(_ reason: RecordBatchError) -> LogError {
        .corruptLog(path: file.path.string, position: position, reason: reason)
    }
}
