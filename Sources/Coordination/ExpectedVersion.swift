/// The version a conditional write expects the znode to have.
///
/// `.any` skips the check (ZooKeeper's version -1). In a `check` transaction operation `.any`
/// only requires the node to exist.
public enum ExpectedVersion: Hashable, Sendable {
    case any
    case exactly(Int32)

    /// ZooKeeper's wire form: -1 for `.any`.
    public var zooKeeperValue: Int32 {
        switch self {
        case .any: -1
        case .exactly(let version): version
        }
    }

    /// Whether a node at `version` satisfies this expectation.
    public func matches(_ version: Int32) -> Bool {
        switch self {
        case .any: true
        case .exactly(let expected): expected == version
        }
    }
}
