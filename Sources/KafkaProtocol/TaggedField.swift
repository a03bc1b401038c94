import NIOCore

/// One entry of a flexible version's tagged-field section that the codec does not know.
///
/// Decoders keep these (tag plus the raw value bytes, a zero-copy slice of the input) in
/// `unknownTaggedFields`, and encoders write them back, merged in ascending tag order with the
/// known tagged fields, so a message round-trips unchanged.
public struct TaggedField: Sendable, Hashable {
    public var tag: UInt32
    /// The value bytes, without the tag and size prefix.
    public var data: ByteBuffer

    public init(tag: UInt32, data: ByteBuffer) {
        self.tag = tag
        self.data = data
    }
}
