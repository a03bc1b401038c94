import KafkaProtocol
import NIOCore

/// A fully encoded response frame: the 4-byte size, the response header and the body, as
/// byte buffers and (for record data) file regions to be written in order.
///
/// Ownership: the response owns the file handles of its `.file` segments (storage hands out a
/// duplicated descriptor per read). Whoever consumes the response must call ``release()``
/// exactly once after writing it, or when dropping it unwritten.
public struct EncodedResponse: Sendable {
    public var segments: [OutboundSegment]
    public init(segments: [OutboundSegment]) { self.segments = segments }

    /// Closes the file handles of the `.file` segments.
    public func release() {
        for case .file(let region) in segments {
            try? region.fileHandle.close()
        }
    }
}

/// What the server does after dispatching one request frame.
public enum DispatchOutcome: Sendable {
    case response(EncodedResponse)
    case later(EventLoopFuture<EncodedResponse>)
    case noResponse
    case laterWithoutResponse(EventLoopFuture<Void>)
    case close(reason: String)
}
