import NIOCore

/// A byte range of a segment file, handed to the network layer for zero-copy sends.
///
/// Holds a reference to the open file, so the descriptor stays valid (and the data readable) for
/// as long as the slice lives, even if retention deletes the segment meanwhile. If the log is
/// truncated (followers only) while a slice is in flight, the file may be shorter than the slice
/// or hold newer batches: such a send fails or carries other whole batches, as in Kafka.
public struct FileSlice: Sendable {
    public let file: any LogFile
    /// Byte position of the first batch in the file.
    public let position: Int64
    public let length: Int

    public init(file: any LogFile, position: Int64, length: Int) {
        self.file = file
        self.position = position
        self.length = length
    }

    /// The bytes, read from the file (for in-memory files, tests, or when a copy is wanted).
    public func readBytes() throws(LogError) -> ByteBuffer {
        let buffer = try file.readBuffer(at: position, count: length)
        guard buffer.readableBytes == length else {
            throw .corruptLog(
                path: file.path.string, position: position + Int64(buffer.readableBytes),
                reason: .truncated(needed: length, available: buffer.readableBytes))
        }
        return buffer
    }

    /// A `FileRegion` over a duplicate of the file's descriptor, for `sendfile`; nil for files
    /// without a descriptor (in-memory). The caller owns `region.fileHandle` and must close it
    /// once the write has completed (or failed).
    public func makeFileRegion() throws(LogError) -> FileRegion? {
        guard let descriptor = file.descriptor else { return nil }
        let duplicate = dupDescriptor(descriptor)
        guard duplicate >= 0 else { throw .io(operation: "dup", path: file.path.string, errno: currentErrno()) }
        let handle = NIOFileHandle(_deprecatedTakingOwnershipOfDescriptor: duplicate)
        return FileRegion(fileHandle: handle, readerIndex: Int(position), endIndex: Int(position) + length)
    }
}

#if canImport(Glibc)
import Glibc
private func dupDescriptor(_ fd: CInt) -> CInt { dup(fd) }
private func currentErrno() -> Int32 { errno }
#elseif canImport(Darwin)
import Darwin
private func dupDescriptor(_ fd: CInt) -> CInt { dup(fd) }
private func currentErrno() -> Int32 { errno }
#endif
