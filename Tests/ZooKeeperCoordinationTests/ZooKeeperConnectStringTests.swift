import Coordination
import Testing
import ZooKeeperCoordination

@Suite struct ZooKeeperConnectStringTests {
    @Test func parsesServersAndChroot() throws {
        let parsed = try ZooKeeperConnectString(parsing: "zk1:2181,zk2:2182/kafka/prod")
        #expect(parsed.servers == ["zk1:2181", "zk2:2182"])
        #expect(parsed.chroot == "/kafka/prod")
        #expect(parsed.description == "zk1:2181,zk2:2182/kafka/prod")
        #expect(parsed.withoutChroot.description == "zk1:2181,zk2:2182")
    }

    @Test func rootChrootMeansNoChroot() throws {
        #expect(try ZooKeeperConnectString(parsing: "127.0.0.1:2181/").chroot == nil)
        #expect(try ZooKeeperConnectString(parsing: " 127.0.0.1:2181 ").servers == ["127.0.0.1:2181"])
    }

    @Test func rejectsMalformedStrings() {
        #expect(throws: CoordinationError.self) { try ZooKeeperConnectString(parsing: "") }
        #expect(throws: CoordinationError.self) { try ZooKeeperConnectString(parsing: "zk1") }
        #expect(throws: CoordinationError.self) { try ZooKeeperConnectString(parsing: "zk1:port") }
        #expect(throws: CoordinationError.self) { try ZooKeeperConnectString(parsing: "zk1:2181,,zk2:2181") }
        #expect(throws: CoordinationError.invalidPath("/a//b")) { try ZooKeeperConnectString(parsing: "zk1:2181/a//b") }
    }

    @Test func configurationDefaultsFollowKafka() throws {
        let configuration = try ZooKeeperConfiguration(connectString: "zk:2181")
        #expect(configuration.sessionTimeout == .seconds(18))
        #expect(configuration.connectionTimeout == .seconds(18))
        #expect(configuration.createChrootIfMissing)
    }
}
