import NIOCore

/// Splits an inbound byte stream into Kafka frames (requests on a server, responses on a client): a 4-byte big-endian size followed by
/// that many bytes. Emits each frame's payload (without the size) as a `ByteBuffer` slice.
///
/// A negative size, or one above `maxFrameSize` (`socket.request.max.bytes`), is an error that
/// closes this connection only, as Kafka's `NetworkReceive` does.
public struct KafkaFrameDecoder: NIOSingleStepByteToMessageDecoder {
    public typealias InboundOut = ByteBuffer

    public let maxFrameSize: Int32

    public init(maxFrameSize: Int32) {
        self.maxFrameSize = maxFrameSize
    }

    public mutating func decode(buffer: inout ByteBuffer) throws -> ByteBuffer? {
        guard let size = buffer.getInteger(at: buffer.readerIndex, as: Int32.self) else { return nil }
        guard size >= 0 else { throw FrameError.negativeSize(size) }
        guard size <= maxFrameSize else { throw FrameError.tooLarge(size: size, max: maxFrameSize) }
        guard buffer.readableBytes >= 4 + Int(size) else { return nil }
        buffer.moveReaderIndex(forwardBy: 4)
        return buffer.readSlice(length: Int(size))
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> ByteBuffer? {
        try decode(buffer: &buffer)
    }
}

/// Why a connection's byte stream was rejected.
public enum FrameError: Error, Equatable, CustomStringConvertible {
    case negativeSize(Int32)
    case tooLarge(size: Int32, max: Int32)

    public var description: String {
        switch self {
        case .negativeSize(let size): "invalid negative request size \(size)"
        case .tooLarge(let size, let max): "request size \(size) larger than socket.request.max.bytes \(max)"
        }
    }
}
