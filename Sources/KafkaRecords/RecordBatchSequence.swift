import NIOCore

/// One batch found in a buffer: its parsed header and where it lies.
public struct RecordBatchView: Hashable, Sendable {
    public var header: RecordBatchHeader
    /// Absolute index of the batch's first byte in the iterated buffer.
    public var index: Int
    /// Total size in bytes (`header.totalSize`).
    public var size: Int { header.totalSize }
}

/// Iterates the batches in a records buffer (e.g. a produce request's `records` bytes or a
/// read from a segment), checking framing and magic of each as it goes (not the CRC: call
/// ``RecordBatchValidator/checkCRC(_:at:header:)`` where needed).
///
/// Iteration stops with an error at the first malformed batch; batches before it were valid.
/// The buffer is not copied. Value type; not shared.
public struct RecordBatchIterator {
    public let buffer: ByteBuffer
    /// Absolute index of the next batch.
    public private(set) var position: Int
    let maxBatchSize: Int

    public init(_ buffer: ByteBuffer, maxBatchSize: Int = Int(Int32.max)) {
        self.buffer = buffer
        self.position = buffer.readerIndex
        self.maxBatchSize = maxBatchSize
    }

    /// The next batch, nil at the end of the buffer. Throws on a malformed batch or a partial one
    /// at the end (the caller decides whether a partial tail is an error).
    public mutating func next() throws(RecordBatchError) -> RecordBatchView? {
        guard position < buffer.writerIndex else { return nil }
        let header = try RecordBatchValidator.checkFraming(buffer, at: position, maxBatchSize: maxBatchSize)
        let view = RecordBatchView(header: header, index: position)
        position += header.totalSize
        return view
    }

    /// All remaining batches, or the first error.
    public mutating func collect() throws(RecordBatchError) -> [RecordBatchView] {
        var result: [RecordBatchView] = []
        while let batch = try next() { result.append(batch) }
        return result
    }
}
