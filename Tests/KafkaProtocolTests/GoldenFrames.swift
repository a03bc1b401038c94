import Foundation
import KafkaProtocol
import NIOCore
import Testing

/// Request frames captured from real clients (see Golden/README.md): size prefix removed, header
/// and body as sent. Named `<client>-<client version>-<Api>-v<version>.bin`.
enum GoldenFrames {
    static func directory() throws -> URL {
        try #require(Bundle.module.url(forResource: "Golden", withExtension: nil))
    }

    static func names() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory().path)
            .filter { $0.hasSuffix(".bin") }
            .sorted()
    }

    static func load(_ name: String) throws -> ByteBuffer {
        ByteBuffer(bytes: try Data(contentsOf: directory().appendingPathComponent(name)))
    }

    /// Decodes `name` as a request of type `M`, checking that the header names `M`'s API at the
    /// version in the file name, that the body uses every byte, and that re-encoding header and
    /// body reproduces the captured bytes exactly.
    static func decode<M: KafkaRequest>(
        _ name: String, as type: M.Type, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> (header: RequestHeader, body: M) {
        let original = try load(name)
        var buffer = original
        let header = try RequestHeader.decode(from: &buffer)
        #expect(header.requestApiKey == M.apiKey, sourceLocation: sourceLocation)
        #expect(name.hasSuffix("-v\(header.requestApiVersion).bin"), sourceLocation: sourceLocation)
        let body = try M(from: &buffer, version: header.requestApiVersion)
        #expect(buffer.readableBytes == 0, "\(buffer.readableBytes) bytes left", sourceLocation: sourceLocation)

        let apiKey = try #require(header.apiKey)
        var writer = MessageWriter()
        header.encode(to: &writer, version: apiKey.requestHeaderVersion(header.requestApiVersion))
        body.encode(to: &writer, version: header.requestApiVersion)
        #expect(writer.finishAsByteBuffer() == original, "re-encoded bytes differ", sourceLocation: sourceLocation)
        return (header, body)
    }
}

/// The fields of a v2 record batch header a test can check without a records codec.
struct RecordBatchHeader: Equatable {
    var baseOffset: Int64
    var batchLength: Int32
    var magic: Int8
    var producerId: Int64
    var recordCount: Int32

    /// Reads the first batch of `records` (layout from Kafka's DefaultRecordBatch).
    init(_ records: RecordsPayload?) throws {
        let bytes = try #require(records.flatMap { payload -> ByteBuffer? in
            if case .bytes(let bytes) = payload { return bytes }
            return nil
        })
        func read<T: FixedWidthInteger>(_ offset: Int, as: T.Type) throws -> T {
            try #require(bytes.getInteger(at: bytes.readerIndex + offset, as: T.self))
        }
        baseOffset = try read(0, as: Int64.self)
        batchLength = try read(8, as: Int32.self)
        magic = try read(16, as: Int8.self)
        producerId = try read(43, as: Int64.self)
        recordCount = try read(57, as: Int32.self)
    }
}
