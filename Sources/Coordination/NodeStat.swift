/// A znode's metadata, field for field ZooKeeper's `Stat`.
///
/// `version` is the data version every conditional write checks (Kafka's "zkVersion"; for a
/// partition state znode it is the partition epoch). `czxid` of a broker's registration znode is
/// Kafka's broker epoch.
public struct NodeStat: Hashable, Sendable {
    /// Transaction id that created the node.
    public var czxid: Int64
    /// Transaction id that last modified the node's data.
    public var mzxid: Int64
    /// Transaction id that last modified the node's children.
    public var pzxid: Int64
    /// Creation time, milliseconds since the Unix epoch.
    public var ctime: Int64
    /// Last data modification time, milliseconds since the Unix epoch.
    public var mtime: Int64
    /// Number of data changes since creation (starts at 0).
    public var version: Int32
    /// Number of children changes since creation.
    public var cversion: Int32
    /// Number of ACL changes.
    public var aversion: Int32
    /// Owning session of an ephemeral node; 0 for persistent nodes.
    public var ephemeralOwnerRaw: Int64
    /// Length of the data in bytes.
    public var dataLength: Int32
    /// Number of children.
    public var numChildren: Int32

    public init(
        czxid: Int64, mzxid: Int64, pzxid: Int64, ctime: Int64, mtime: Int64, version: Int32,
        cversion: Int32, aversion: Int32, ephemeralOwnerRaw: Int64, dataLength: Int32, numChildren: Int32
    ) {
        self.czxid = czxid
        self.mzxid = mzxid
        self.pzxid = pzxid
        self.ctime = ctime
        self.mtime = mtime
        self.version = version
        self.cversion = cversion
        self.aversion = aversion
        self.ephemeralOwnerRaw = ephemeralOwnerRaw
        self.dataLength = dataLength
        self.numChildren = numChildren
    }

    /// The owning session of an ephemeral node, `nil` for a persistent node.
    public var ephemeralOwner: SessionID? {
        ephemeralOwnerRaw == 0 ? nil : SessionID(ephemeralOwnerRaw)
    }

    public var isEphemeral: Bool { ephemeralOwnerRaw != 0 }
}

/// A znode's data with the metadata read in the same operation.
public struct NodeData: Hashable, Sendable {
    public var data: [UInt8]
    public var stat: NodeStat
    public init(data: [UInt8], stat: NodeStat) {
        self.data = data
        self.stat = stat
    }
}

/// The result of a create: the node's actual path (with the sequence suffix for sequential modes)
/// and its metadata right after creation.
public struct CreatedNode: Hashable, Sendable {
    public var path: String
    public var stat: NodeStat
    public init(path: String, stat: NodeStat) {
        self.path = path
        self.stat = stat
    }
}
