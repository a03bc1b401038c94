import CZooKeeper
import Coordination

/// A C client answer, already copied into Swift values on the completion thread.
struct ZooKeeperReply: Sendable {
    enum Payload: Sendable {
        case none
        case stat(NodeStat)
        case data([UInt8], NodeStat)
        case children([String])
        case created(path: String, stat: NodeStat?)
        case multi([MultiOperationReply])
    }

    /// One operation's outcome inside a `multi`.
    struct MultiOperationReply: Sendable {
        var code: Int32
        var createdPath: String?
        var stat: NodeStat?
    }

    var code: Int32
    var payload: Payload

    var isOK: Bool { code == ZooKeeperResultCode.ok }
}

extension NodeStat {
    init(_ stat: Stat) {
        self.init(
            czxid: stat.czxid, mzxid: stat.mzxid, pzxid: stat.pzxid, ctime: stat.ctime, mtime: stat.mtime,
            version: stat.version, cversion: stat.cversion, aversion: stat.aversion,
            ephemeralOwnerRaw: stat.ephemeralOwner, dataLength: stat.dataLength, numChildren: stat.numChildren)
    }
}
