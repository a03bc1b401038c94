import BrokerCore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Prepares `log.dirs` at start-up the way Kafka does: creates missing directories, takes an
/// exclusive lock on `<dir>/.lock` (two brokers can never share a log dir), and reads or writes
/// `meta.properties` (`version=0`, `broker.id`, `cluster.id`).
///
/// Two steps, because in ZooKeeper mode the cluster id comes from `/cluster/id`: `init` locks the
/// directories and reads what they store (``storedClusterID``); ``commit(clusterID:)`` then checks
/// the cluster id and writes `meta.properties` where it is missing.
///
/// A `broker.id` that differs from the one stored in a log dir, or log dirs naming different
/// clusters, is a start-up error (Kafka's InconsistentBrokerIdException /
/// InconsistentClusterIdException). The locks are held until ``release()`` or process exit.
public final class LogDirectories: @unchecked Sendable {
    // Immutable after init; the descriptors are only closed by release().
    /// The cluster id stored in the directories, nil for fresh directories.
    public let storedClusterID: String?
    private let brokerID: BrokerID
    private let missingMeta: [String]
    private let lockDescriptors: [Int32]

    public init(paths: [String], brokerID: BrokerID) throws(LogDirectoryError) {
        var descriptors: [Int32] = []
        var clusterIDs: Set<String> = []
        var missingMeta: [String] = []
        do {
            for path in paths {
                do {
                    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
                } catch {
                    throw LogDirectoryError.unusable(path: path, reason: "\(error)")
                }
                let fd = open(path + "/.lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
                guard fd >= 0 else { throw LogDirectoryError.unusable(path: path, reason: "cannot open .lock") }
                descriptors.append(fd)
                guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
                    throw LogDirectoryError.locked(path: path)
                }
                guard let meta = Self.readMeta(path) else {
                    missingMeta.append(path)
                    continue
                }
                if let stored = meta["broker.id"], stored != String(brokerID.rawValue) {
                    throw LogDirectoryError.inconsistentBrokerID(path: path, stored: stored, configured: brokerID)
                }
                if let cluster = meta["cluster.id"] { clusterIDs.insert(cluster) }
            }
            guard clusterIDs.count <= 1 else { throw LogDirectoryError.inconsistentClusterID(clusterIDs.sorted()) }
            self.storedClusterID = clusterIDs.first
            self.brokerID = brokerID
            self.missingMeta = missingMeta
            self.lockDescriptors = descriptors
        } catch let error as LogDirectoryError {
            for fd in descriptors { close(fd) }
            throw error
        } catch {
            for fd in descriptors { close(fd) }
            throw LogDirectoryError.unusable(path: paths.first ?? "", reason: "\(error)")
        }
    }

    /// Checks `clusterID` against the stored one and writes `meta.properties` into the directories
    /// that have none. Kafka refuses to start when the stored id differs (InconsistentClusterIdException).
    public func commit(clusterID: String) throws(LogDirectoryError) {
        if let stored = storedClusterID, stored != clusterID {
            throw LogDirectoryError.inconsistentClusterID([stored, clusterID])
        }
        for path in missingMeta {
            let text = "#\n#Written by martlet\nversion=0\nbroker.id=\(brokerID.rawValue)\ncluster.id=\(clusterID)\n"
            do {
                try text.write(toFile: path + "/meta.properties", atomically: true, encoding: .utf8)
            } catch {
                throw LogDirectoryError.unusable(path: path, reason: "cannot write meta.properties: \(error)")
            }
        }
    }

    /// Releases the `.lock` files.
    public func release() {
        for fd in lockDescriptors { close(fd) }
    }

    private static func readMeta(_ dir: String) -> [String: String]? {
        guard let text = try? String(contentsOfFile: dir + "/meta.properties", encoding: .utf8) else { return nil }
        var result: [String: String] = [:]
        for pair in JavaProperties.parse(text) { result[pair.key] = pair.value }
        return result
    }

    /// A new cluster id in Kafka's form: a random UUID as unpadded URL-safe base64 (22 chars).
    static func newClusterID() -> String {
        let uuid = UUID().uuid
        let bytes = withUnsafeBytes(of: uuid) { Data($0) }
        return bytes.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

public enum LogDirectoryError: Error, Equatable, CustomStringConvertible {
    case unusable(path: String, reason: String)
    case locked(path: String)
    case inconsistentBrokerID(path: String, stored: String, configured: BrokerID)
    case inconsistentClusterID([String])

    public var description: String {
        switch self {
        case .unusable(let path, let reason): "log directory \(path) is unusable: \(reason)"
        case .locked(let path):
            "log directory \(path) is locked by another process (is another broker using it?)"
        case .inconsistentBrokerID(let path, let stored, let configured):
            "configured broker.id \(configured) does not match broker.id \(stored) stored in \(path)/meta.properties"
        case .inconsistentClusterID(let ids):
            "log directories belong to different clusters: \(ids.joined(separator: ", "))"
        }
    }
}
