import NIOCore

/// The body of a `records` field (record batches), kept opaque by the wire codec.
///
/// Decoding yields `.bytes`, a zero-copy slice of the request buffer. A broker answering a Fetch
/// may use `.file` instead: `MessageWriter` keeps it as its own outbound segment so the server can
/// send it with `sendfile`. The `FileRegion`'s handle is owned by the caller, who must keep it open
/// until the segment has been written.
public enum RecordsPayload: Sendable, Equatable {
    case bytes(ByteBuffer)
    case file(FileRegion)

    /// The number of record bytes (the value of the length prefix on the wire).
    public var byteCount: Int {
        switch self {
        case .bytes(let buffer): buffer.readableBytes
        case .file(let region): region.readableBytes
        }
    }
}
