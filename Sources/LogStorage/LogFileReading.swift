import NIOCore

extension LogFile {
    /// Reads `count` bytes at `offset` into a new buffer (fewer at the end of the file).
    func readBuffer(at offset: Int64, count: Int) throws(LogError) -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: count)
        try readAppending(to: &buffer, at: offset, count: count)
        return buffer
    }

    /// Reads up to `count` bytes at `offset`, writing them at the buffer's writer index.
    func readAppending(to buffer: inout ByteBuffer, at offset: Int64, count: Int) throws(LogError) {
        guard count > 0 else { return }
        var failure: LogError?
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { raw in
            do throws(LogError) {
                return try read(into: UnsafeMutableRawBufferPointer(rebasing: raw[..<count]), at: offset)
            } catch {
                failure = error
                return 0
            }
        }
        if let failure { throw failure }
    }
}
