/// A coordination session's id (ZooKeeper's 64-bit session id).
///
/// Ephemeral znodes are owned by a session (`NodeStat.ephemeralOwner`); comparing owners with the
/// store's current session tells whether an existing ephemeral node is ours.
public struct SessionID: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int64
    @inlinable public init(rawValue: Int64) { self.rawValue = rawValue }
    @inlinable public init(_ value: Int64) { self.rawValue = value }
    /// ZooKeeper's `0x…` form.
    public var description: String { "0x" + String(UInt64(bitPattern: rawValue), radix: 16) }
}
