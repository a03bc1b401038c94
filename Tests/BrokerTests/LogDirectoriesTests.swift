import BrokerCore
import Foundation
import Testing

@testable import Broker

@Suite struct LogDirectoriesTests {
    private func tempDir() -> String {
        let path = NSTemporaryDirectory() + "martlet-logdirs-\(UUID().uuidString)"
        return path
    }

    @Test func writesMetaPropertiesAndKeepsClusterIDAcrossRestarts() throws {
        let root = tempDir()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let dirs = [root + "/a", root + "/b"]
        let first = try LogDirectories(paths: dirs, brokerID: BrokerID(4))
        #expect(first.storedClusterID == nil)
        let id = LogDirectories.newClusterID()
        #expect(id.count == 22)
        try first.commit(clusterID: id)
        first.release()
        let meta = try String(contentsOfFile: dirs[1] + "/meta.properties", encoding: .utf8)
        #expect(meta.contains("broker.id=4") && meta.contains("cluster.id=\(id)") && meta.contains("version=0"))
        let second = try LogDirectories(paths: dirs, brokerID: BrokerID(4))
        #expect(second.storedClusterID == id)
        #expect(throws: LogDirectoryError.inconsistentClusterID([id, "other"])) { try second.commit(clusterID: "other") }
        second.release()
    }

    @Test func aLockedDirectoryIsRefused() throws {
        let root = tempDir()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let held = try LogDirectories(paths: [root], brokerID: BrokerID(0))
        defer { held.release() }
        #expect(throws: LogDirectoryError.locked(path: root)) {
            try LogDirectories(paths: [root], brokerID: BrokerID(0))
        }
    }

    @Test func brokerIDMismatchIsRefused() throws {
        let root = tempDir()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let dirs = try LogDirectories(paths: [root], brokerID: BrokerID(1))
        try dirs.commit(clusterID: "c1")
        dirs.release()
        #expect(throws: LogDirectoryError.inconsistentBrokerID(path: root, stored: "1", configured: BrokerID(2))) {
            try LogDirectories(paths: [root], brokerID: BrokerID(2))
        }
    }

    @Test func directoriesOfDifferentClustersAreRefused() throws {
        let root = tempDir()
        defer { try? FileManager.default.removeItem(atPath: root) }
        for (dir, id) in [("/a", "c1"), ("/b", "c2")] {
            let dirs = try LogDirectories(paths: [root + dir], brokerID: BrokerID(1))
            try dirs.commit(clusterID: id)
            dirs.release()
        }
        #expect(throws: (any Error).self) {
            try LogDirectories(paths: [root + "/a", root + "/b"], brokerID: BrokerID(1))
        }
    }
}
