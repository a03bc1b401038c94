/// How a znode is created (ZooKeeper's create modes that Kafka uses).
///
/// Ephemeral nodes are deleted when the creating session ends (expiry or close) and cannot have
/// children. Sequential nodes get a 10-digit, zero-padded counter appended to the requested path;
/// the counter is the parent's `cversion` at creation (bumped by each child creation), so it
/// increases monotonically per parent.
public enum CreateMode: Hashable, Sendable, CaseIterable {
    case persistent
    case ephemeral
    case persistentSequential
    case ephemeralSequential

    public var isEphemeral: Bool { self == .ephemeral || self == .ephemeralSequential }
    public var isSequential: Bool { self == .persistentSequential || self == .ephemeralSequential }
}
