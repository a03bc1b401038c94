/// What happened to a watched znode (ZooKeeper's watch event types).
public enum WatchEventType: Hashable, Sendable {
    /// The node was created (exists-watch on a missing node).
    case nodeCreated
    /// The node was deleted (any watch on it, including children watches).
    case nodeDeleted
    /// The node's data changed (data and exists watches).
    case nodeDataChanged
    /// A child was created or deleted (children watches).
    case nodeChildrenChanged
    /// The watch can no longer fire: its session expired, the store was closed, or the server
    /// dropped it. Re-read the node and arm a new watch.
    case watchLost
}

/// A fired one-shot watch: the event and the watched path (relative to the chroot).
public struct WatchEvent: Hashable, Sendable {
    public var type: WatchEventType
    public var path: String
    public init(type: WatchEventType, path: String) {
        self.type = type
        self.path = path
    }
}
