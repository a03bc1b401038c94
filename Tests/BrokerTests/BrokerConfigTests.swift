import BrokerCore
import NIOCore
import Testing

@testable import Broker

@Suite struct BrokerConfigTests {
    private func config(_ pairs: [String: String]) throws(ConfigError) -> BrokerConfig {
        try BrokerConfig(properties: pairs.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    @Test func kafkaDefaults() throws {
        let c = try config(["broker.id": "0"])
        #expect(c.brokerID == BrokerID(0))
        #expect(c.listeners == [ListenerEndpoint(name: "PLAINTEXT", host: "", port: 9092)])
        #expect(c.advertisedListeners == c.listeners)
        #expect(c.logDirs == ["/tmp/kafka-logs"])
        #expect(c.numPartitions == 1)
        #expect(c.defaultReplicationFactor == 1)
        #expect(c.socketRequestMaxBytes == 104_857_600)
        #expect(c.autoCreateTopicsEnable)
        #expect(c.zookeeperConnect == nil)
        #expect(c.zookeeperSessionTimeoutMs == 18000)
    }

    @Test func eventLoopsDefaultToThreeButLeaveOneProcessor() throws {
        #expect(BrokerConfig.defaultEventLoops(processors: 1) == 1)
        #expect(BrokerConfig.defaultEventLoops(processors: 2) == 1)
        #expect(BrokerConfig.defaultEventLoops(processors: 3) == 2)
        #expect(BrokerConfig.defaultEventLoops(processors: 4) == 3)
        #expect(BrokerConfig.defaultEventLoops(processors: 64) == 3)
        let unset = try config(["broker.id": "0"])
        #expect(unset.numNetworkThreads == BrokerConfig.defaultEventLoops(processors: System.coreCount))
        #expect(try config(["broker.id": "0", "num.network.threads": "3"]).numNetworkThreads == 3)
        #expect(throws: ConfigError.self) { try config(["broker.id": "0", "num.network.threads": "0"]) }
    }

    @Test func readsKafkaKeys() throws {
        let c = try config([
            "broker.id": "3", "listeners": "PLAINTEXT://0.0.0.0:19092,INTERNAL://[::1]:19093",
            "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,INTERNAL:PLAINTEXT",
            "advertised.listeners": "PLAINTEXT://broker3.example:19092",
            "inter.broker.listener.name": "INTERNAL", "log.dirs": "/d1, /d2", "zookeeper.connect": "127.0.0.1:2181/k",
            "num.partitions": "6", "default.replication.factor": "3", "auto.create.topics.enable": "false",
            "log.segment.bytes": "1048576",
        ])
        #expect(c.brokerID == BrokerID(3))
        #expect(
            c.listeners == [
                ListenerEndpoint(name: "PLAINTEXT", host: "0.0.0.0", port: 19092),
                ListenerEndpoint(name: "INTERNAL", host: "::1", port: 19093),
            ])
        #expect(c.advertisedListeners == [ListenerEndpoint(name: "PLAINTEXT", host: "broker3.example", port: 19092)])
        #expect(c.interBrokerListenerName == "INTERNAL")
        #expect(c.logDirs == ["/d1", "/d2"])
        #expect(c.zookeeperConnect == "127.0.0.1:2181/k")
        #expect(c.numPartitions == 6 && c.defaultReplicationFactor == 3 && !c.autoCreateTopicsEnable)
        #expect(c.unknownKeys.isEmpty)
        #expect(c.rawProperties["log.segment.bytes"] == "1048576")
    }

    @Test func logDirIsUsedWhenLogDirsIsAbsent() throws {
        #expect(try config(["broker.id": "0", "log.dir": "/x"]).logDirs == ["/x"])
    }

    @Test func unknownKeysAreReported() throws {
        let c = try config(["broker.id": "0", "made.up": "1", "another.one": "2"])
        #expect(c.unknownKeys == ["another.one", "made.up"])
    }

    @Test(arguments: [
        (["broker.id": "x"], "broker.id"),
        (["broker.id": "-1"], "broker.id"),
        (["broker.id": "0", "num.partitions": "0"], "num.partitions"),
        (["broker.id": "0", "num.partitions": "many"], "num.partitions"),
        (["broker.id": "0", "auto.create.topics.enable": "yes"], "auto.create.topics.enable"),
        (["broker.id": "0", "listeners": "PLAINTEXT://host"], "listeners"),
        (["broker.id": "0", "listeners": "PLAINTEXT://host:99999"], "listeners"),
        (["broker.id": "0", "listeners": "SSL://host:9093"], "listeners"),
        (["broker.id": "0", "listeners": "FOO://host:9093"], "listeners"),
        (["broker.id": "0", "listeners": "PLAINTEXT://a:1,PLAINTEXT://b:2"], "listeners"),
        (["broker.id": "0", "advertised.listeners": "PLAINTEXT://0.0.0.0:9092"], "advertised.listeners"),
        (["broker.id": "0", "advertised.listeners": "OTHER://h:1", "listener.security.protocol.map": "OTHER:PLAINTEXT,PLAINTEXT:PLAINTEXT"], "advertised.listeners"),
        (["broker.id": "0", "inter.broker.listener.name": "NOPE"], "inter.broker.listener.name"),
        (["broker.id": "0", "socket.request.max.bytes": "-5"], "socket.request.max.bytes"),
        (["broker.id": "0", "listener.security.protocol.map": "broken"], "listener.security.protocol.map"),
    ])
    func invalidValuesNameTheKey(pairs: [String: String], key: String) {
        do {
            _ = try config(pairs)
            Issue.record("expected an error for \(key)")
        } catch {
            #expect(error.key == key)
            #expect(error.description.contains("configuration \(key)"))
        }
    }
}
