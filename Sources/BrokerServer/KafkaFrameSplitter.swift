import KafkaProtocol
import NIOCore

/// Splits a connection's inbound bytes into request frames (a 4-byte big-endian size, then that
/// many bytes) and fires each frame's payload, without the size, as one `ByteBuffer`.
///
/// Built for the produce path, where requests are tens to hundreds of KiB and arrive over
/// several socket reads:
/// - frames wholly inside one read are fired as slices of that read's buffer (no copy);
/// - a frame that spans reads is copied once, into a buffer allocated at the frame's full size
///   as soon as its size is known, so nothing is ever copied twice and no accumulated buffer
///   shared with in-flight slices has to be compacted (copy-on-write).
///
/// A negative size or one above `maxFrameSize` (`socket.request.max.bytes`) fires
/// ``FrameError`` through `errorCaught` (the connection handler closes the connection) and
/// ignores everything after it. Bytes of an unfinished frame at end of stream are dropped.
///
/// Thread-safety: a channel handler; all state is owned by the channel's event loop.
final class KafkaFrameSplitter: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    static let sizeLength = 4

    private let maxFrameSize: Int32
    /// The start of a frame that spans reads: its size prefix and the bytes received so far.
    private var partial: ByteBuffer?
    private var failed = false

    init(maxFrameSize: Int32) {
        self.maxFrameSize = maxFrameSize
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        var input = unwrapInboundIn(data)
        do {
            if partial != nil {
                guard let frame = try continuePartial(with: &input, allocator: context.channel.allocator) else { return }
                context.fireChannelRead(wrapInboundOut(frame))
            }
            while let frame = try nextWholeFrame(in: &input) {
                context.fireChannelRead(wrapInboundOut(frame))
                guard !failed else { return }
            }
            if input.readableBytes > 0 { try startPartial(with: input, allocator: context.channel.allocator) }
        } catch {
            failed = true
            partial = nil
            context.fireErrorCaught(error)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        partial = nil
        context.fireChannelInactive()
    }

    /// The size in a frame's prefix, checked against Kafka's limits.
    private func checkedSize(_ size: Int32) throws(FrameError) -> Int {
        guard size >= 0 else { throw .negativeSize(size) }
        guard size <= maxFrameSize else { throw .tooLarge(size: size, max: maxFrameSize) }
        return Int(size)
    }

    /// A complete frame at the start of `input` (as a slice), or nil if it is not all there.
    private func nextWholeFrame(in input: inout ByteBuffer) throws(FrameError) -> ByteBuffer? {
        guard let rawSize = input.getInteger(at: input.readerIndex, as: Int32.self) else { return nil }
        let size = try checkedSize(rawSize)
        guard input.readableBytes >= Self.sizeLength + size else { return nil }
        input.moveReaderIndex(forwardBy: Self.sizeLength)
        return input.readSlice(length: size)
    }

    /// Keeps the unfinished frame at the start of `input`.
    private func startPartial(with input: ByteBuffer, allocator: ByteBufferAllocator) throws(FrameError) {
        var capacity = Self.sizeLength
        if let rawSize = input.getInteger(at: input.readerIndex, as: Int32.self) {
            capacity += try checkedSize(rawSize)
        }
        var buffer = allocator.buffer(capacity: capacity)
        buffer.writeImmutableBuffer(input)
        partial = buffer
    }

    /// Moves bytes from `input` into the unfinished frame; returns the frame once complete.
    private func continuePartial(with input: inout ByteBuffer, allocator: ByteBufferAllocator) throws(FrameError) -> ByteBuffer? {
        guard var buffer = partial else { return nil }
        partial = nil
        if buffer.readableBytes < Self.sizeLength {
            let missing = min(Self.sizeLength - buffer.readableBytes, input.readableBytes)
            buffer.writeImmutableBuffer(input.readSlice(length: missing)!)
            guard let rawSize = buffer.getInteger(at: buffer.readerIndex, as: Int32.self) else {
                partial = buffer
                return nil
            }
            buffer.reserveCapacity(minimumWritableBytes: try checkedSize(rawSize))
        }
        let size = Int(buffer.getInteger(at: buffer.readerIndex, as: Int32.self)!)
        let missing = Self.sizeLength + size - buffer.readableBytes
        let taken = min(missing, input.readableBytes)
        buffer.writeImmutableBuffer(input.readSlice(length: taken)!)
        guard taken == missing else {
            partial = buffer
            return nil
        }
        buffer.moveReaderIndex(forwardBy: Self.sizeLength)
        return buffer
    }
}
