import KafkaProtocol
import NIOCore

/// A fully encoded response frame: the 4-byte size, the response header and the body, as
/// byte buffers and (for record data) file regions to be written in order.
public struct EncodedResponse: Sendable {
    public var segments: [OutboundSegment]
    public init(segments: [OutboundSegment]) { self.segments = segments }
}

/// What the server does after dispatching one request frame.
public enum DispatchOutcome: Sendable {
    case response(EncodedResponse)
    case later(EventLoopFuture<EncodedResponse>)
    case noResponse
    case close(reason: String)
}
