import BrokerCore
import NIOCore

/// A header of a record (key is a UTF-8 string in Kafka, kept as bytes here).
public struct RecordHeader: Hashable, Sendable {
    public var key: ByteBuffer
    public var value: ByteBuffer?
    public init(key: ByteBuffer, value: ByteBuffer?) {
        self.key = key
        self.value = value
    }
    public init(key: String, value: [UInt8]?) {
        self.key = ByteBuffer(string: key)
        self.value = value.map { ByteBuffer(bytes: $0) }
    }
}

/// One record of an uncompressed v2 batch (`DefaultRecord`).
///
/// ```
/// length: varint, attributes: int8, timestampDelta: varlong, offsetDelta: varint,
/// keyLength: varint (-1 = null), key, valueLength: varint (-1 = null), value,
/// headerCount: varint, [headerKeyLength: varint, headerKey, headerValueLength: varint, headerValue]
/// ```
/// `key`, `value` and header fields are slices of the batch's buffer (no copy).
public struct Record: Hashable, Sendable {
    public var attributes: Int8
    public var timestampDelta: Int64
    public var offsetDelta: Int32
    public var key: ByteBuffer?
    public var value: ByteBuffer?
    public var headers: [RecordHeader]

    public init(
        attributes: Int8 = 0, timestampDelta: Int64, offsetDelta: Int32, key: ByteBuffer?, value: ByteBuffer?,
        headers: [RecordHeader] = []
    ) {
        self.attributes = attributes
        self.timestampDelta = timestampDelta
        self.offsetDelta = offsetDelta
        self.key = key
        self.value = value
        self.headers = headers
    }

    /// The record's offset within a batch with header `batch`.
    public func offset(in batch: RecordBatchHeader) -> Offset { batch.baseOffset + Int64(offsetDelta) }

    /// The record's timestamp: `maxTimestamp` for `LogAppendTime` batches, else base + delta.
    public func timestamp(in batch: RecordBatchHeader) -> Int64 {
        batch.attributes.timestampType == .logAppendTime ? batch.maxTimestamp : batch.baseTimestamp &+ timestampDelta
    }
}

/// Decodes the records of an uncompressed batch.
///
/// Throws `invalidRecord` for compressed batches (storage never decompresses) and for any
/// malformed record. The buffer is sliced, never copied.
public struct RecordDecoder {
    let buffer: ByteBuffer
    let header: RecordBatchHeader
    var position: Int
    let end: Int
    var decoded: Int32 = 0

    /// - Parameters: `buffer` holds the whole batch at absolute `index`.
    public init(batchIn buffer: ByteBuffer, at index: Int) throws(RecordBatchError) {
        let header = try RecordBatchValidator.checkFraming(buffer, at: index)
        guard header.attributes.compression == CompressionCodec.none else {
            throw .invalidRecord("batch is compressed (\(String(describing: header.attributes.compression)))")
        }
        self.buffer = buffer
        self.header = header
        self.position = index + RecordBatchHeader.size
        self.end = index + header.totalSize
    }

    /// The next record, nil after `recordsCount` records (which must end exactly at the batch end).
    public mutating func next() throws(RecordBatchError) -> Record? {
        guard decoded < header.recordsCount else {
            guard position == end else { throw .invalidRecord("\(end - position) bytes after the last record") }
            return nil
        }
        var local = position - buffer.readerIndex
        let limit = end - buffer.readerIndex
        let result: Result<Record, RecordBatchError> = buffer.withUnsafeReadableBytes { raw in
            let bytes = UnsafeRawBufferPointer(rebasing: raw[..<limit])
            guard let length = Varint.readInt32(bytes, &local), length > 0, local + Int(length) <= limit else {
                return .failure(.invalidRecord("bad record length"))
            }
            let recordEnd = local + Int(length)
            let body = UnsafeRawBufferPointer(rebasing: bytes[..<recordEnd])
            let attributes = Int8(bitPattern: body[local])
            local += 1
            guard let timestampDelta = Varint.readInt64(body, &local) else { return .failure(.invalidRecord("bad timestampDelta")) }
            guard let offsetDelta = Varint.readInt32(body, &local) else { return .failure(.invalidRecord("bad offsetDelta")) }
            guard let key = slice(body, &local) else { return .failure(.invalidRecord("bad key")) }
            guard let value = slice(body, &local) else { return .failure(.invalidRecord("bad value")) }
            guard let headerCount = Varint.readInt32(body, &local), headerCount >= 0 else {
                return .failure(.invalidRecord("bad header count"))
            }
            var headers: [RecordHeader] = []
            headers.reserveCapacity(Int(min(headerCount, 64)))
            for _ in 0..<headerCount {
                guard let headerKey = slice(body, &local), let keyRange = headerKey else {
                    return .failure(.invalidRecord("bad header key"))
                }
                guard let headerValue = slice(body, &local) else { return .failure(.invalidRecord("bad header value")) }
                headers.append(RecordHeader(key: bufferSlice(keyRange), value: headerValue.map(bufferSlice)))
            }
            guard local == recordEnd else { return .failure(.invalidRecord("record has trailing bytes")) }
            return .success(
                Record(
                    attributes: attributes, timestampDelta: timestampDelta, offsetDelta: offsetDelta,
                    key: key.map(bufferSlice), value: value.map(bufferSlice), headers: headers))
        }
        let record = try result.get()
        position = local + buffer.readerIndex
        decoded += 1
        return record
    }

    /// All records of the batch.
    public mutating func collect() throws(RecordBatchError) -> [Record] {
        var records: [Record] = []
        while let record = try next() { records.append(record) }
        return records
    }

    /// Reads a nullable length-prefixed field: nil on malformed input, .some(nil) for null,
    /// else the byte range relative to the buffer's reader index.
    private func slice(_ bytes: UnsafeRawBufferPointer, _ position: inout Int) -> Range<Int>?? {
        guard let length = Varint.readInt32(bytes, &position), length >= -1 else { return nil }
        if length == -1 { return .some(nil) }
        guard position + Int(length) <= bytes.count else { return nil }
        defer { position += Int(length) }
        return .some(position..<(position + Int(length)))
    }

    private func bufferSlice(_ range: Range<Int>) -> ByteBuffer {
        buffer.getSlice(at: buffer.readerIndex + range.lowerBound, length: range.count) ?? ByteBuffer()
    }
}
