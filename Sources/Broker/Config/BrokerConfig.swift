import BrokerCore
import NIOCore

/// The broker's configuration, read from Kafka's property names (`server.properties`).
///
/// Unknown keys are reported (``unknownKeys``) and ignored; an invalid value is a
/// ``ConfigError`` naming the key, so the broker refuses to start with a clear message.
public struct BrokerConfig: Sendable {
    public var brokerID: BrokerID
    public var listeners: [ListenerEndpoint]
    public var advertisedListeners: [ListenerEndpoint]
    public var interBrokerListenerName: String
    public var logDirs: [String]
    public var zookeeperConnect: String?
    public var zookeeperSessionTimeoutMs: Int
    public var zookeeperConnectionTimeoutMs: Int
    public var numPartitions: Int32
    public var defaultReplicationFactor: Int16
    public var socketRequestMaxBytes: Int32
    /// `num.network.threads`: the NIO event loops that serve connections and own partitions.
    /// Unset: ``defaultEventLoops(processors:)`` of the processors this process may use.
    public var numNetworkThreads: Int
    public var autoCreateTopicsEnable: Bool
    public var brokerRack: String?
    /// Keys present in the file that Martlet does not know; logged at start-up.
    public var unknownKeys: [String]
    /// Every property as given (after overrides), for later layers' own keys.
    public var rawProperties: [String: String]

    /// Parses `properties` (later pairs override earlier ones).
    public init(properties pairs: [(key: String, value: String)]) throws(ConfigError) {
        var reader = PropertyReader(pairs)
        brokerID = BrokerID(try reader.int32("broker.id", default: -1, range: -1...Int32.max))
        if brokerID == .none {
            throw ConfigError(
                key: "broker.id", value: "-1",
                reason: "must be set to a non-negative integer (automatic broker id generation is not supported)")
        }
        let securityMap = try reader.map(
            "listener.security.protocol.map",
            default: "PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL")
        listeners = try ListenerEndpoint.parseList(
            try reader.string("listeners", default: "PLAINTEXT://:9092"), key: "listeners", securityMap: securityMap)
        if let advertised = reader.optionalString("advertised.listeners") {
            advertisedListeners = try ListenerEndpoint.parseList(
                advertised, key: "advertised.listeners", securityMap: securityMap)
            for endpoint in advertisedListeners where endpoint.host == "0.0.0.0" || endpoint.host == "::" {
                throw ConfigError(
                    key: "advertised.listeners", value: advertised,
                    reason: "cannot use the nonroutable meta-address \(endpoint.host)")
            }
        } else {
            advertisedListeners = listeners
        }
        let listenerNames = Set(listeners.map(\.name))
        for endpoint in advertisedListeners where !listenerNames.contains(endpoint.name) {
            throw ConfigError(
                key: "advertised.listeners", value: endpoint.description,
                reason: "listener \(endpoint.name) is not in listeners")
        }
        let interBroker = try reader.string("inter.broker.listener.name", default: listeners[0].name)
        interBrokerListenerName = interBroker
        if !listeners.contains(where: { $0.name == interBroker }) {
            throw ConfigError(
                key: "inter.broker.listener.name", value: interBroker,
                reason: "must be the name of one of the listeners")
        }
        let logDir = try reader.string("log.dir", default: "/tmp/kafka-logs")
        logDirs = try reader.list("log.dirs", default: logDir)
        if logDirs.isEmpty { throw ConfigError(key: "log.dirs", value: "", reason: "at least one log directory is required") }
        zookeeperConnect = reader.optionalString("zookeeper.connect")
        zookeeperSessionTimeoutMs = Int(try reader.int32("zookeeper.session.timeout.ms", default: 18000, range: 1...Int32.max))
        zookeeperConnectionTimeoutMs = Int(
            try reader.int32(
                "zookeeper.connection.timeout.ms", default: Int32(zookeeperSessionTimeoutMs), range: 1...Int32.max))
        numPartitions = try reader.int32("num.partitions", default: 1, range: 1...Int32.max)
        defaultReplicationFactor = Int16(try reader.int32("default.replication.factor", default: 1, range: 1...Int32(Int16.max)))
        socketRequestMaxBytes = try reader.int32("socket.request.max.bytes", default: 104_857_600, range: 1...Int32.max)
        numNetworkThreads = Int(
            try reader.int32(
                "num.network.threads", default: Int32(Self.defaultEventLoops(processors: System.coreCount)), range: 1...256))
        autoCreateTopicsEnable = try reader.bool("auto.create.topics.enable", default: true)
        brokerRack = reader.optionalString("broker.rack")
        reader.markKnown(Self.acceptedLaterKeys.union(ReplicaFetcherSettings.keys))
        unknownKeys = reader.unusedKeys
        rawProperties = reader.all
    }

    /// The event-loop count when `num.network.threads` is not set: Kafka's default of 3, but at
    /// most one less than `processors`, and at least 1.
    ///
    /// Martlet's loops do the work of both Kafka's network threads and its request-handler
    /// threads: a produce is appended on the loop that owns the partition, so a request that
    /// arrives on another loop costs two thread hand-offs (an eventfd wake-up and a context
    /// switch each way). Loops only pay for that when there are cores to run them in parallel;
    /// one core is left for the kernel's network and page-cache work and the broker's other
    /// threads (ZooKeeper client, coordinator, fetchers). On 2 cores a single loop used 25-30 %
    /// less CPU per produced record than 3 loops (docs/performance.md). From 4 processors on this
    /// is Kafka's 3.
    public static func defaultEventLoops(processors: Int) -> Int {
        min(3, max(1, processors - 1))
    }

    /// Kafka keys read by other layers (storage, replication, groups) from ``rawProperties``.
    static let acceptedLaterKeys: Set<String> = [
        "log.segment.bytes", "log.roll.ms", "log.roll.hours", "log.retention.ms", "log.retention.minutes",
        "log.retention.hours", "log.retention.bytes", "log.retention.check.interval.ms", "log.index.interval.bytes",
        "log.index.size.max.bytes", "log.flush.interval.messages", "log.flush.interval.ms",
        "log.flush.offset.checkpoint.interval.ms", "message.max.bytes", "log.message.timestamp.type",
        "min.insync.replicas", "unclean.leader.election.enable", "replica.lag.time.max.ms", "num.io.threads",
        "offsets.topic.num.partitions", "offsets.topic.replication.factor", "offsets.retention.minutes",
        "offsets.topic.segment.bytes", "offsets.retention.check.interval.ms", "offsets.commit.timeout.ms",
        "offset.metadata.max.bytes", "group.max.size",
        "group.initial.rebalance.delay.ms", "group.min.session.timeout.ms", "group.max.session.timeout.ms",
        "transaction.state.log.replication.factor", "transaction.state.log.min.isr", "controlled.shutdown.enable",
        "auto.leader.rebalance.enable", "delete.topic.enable", "socket.send.buffer.bytes",
        "socket.receive.buffer.bytes", "num.recovery.threads.per.data.dir", "log.cleaner.enable",
    ]
}

/// One `NAME://host:port` entry of `listeners` / `advertised.listeners`.
public struct ListenerEndpoint: Sendable, Equatable, CustomStringConvertible {
    public var name: String
    /// Empty means "all interfaces" for `listeners` (and the host name when advertised).
    public var host: String
    public var port: Int
    public var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "\(name)://\(shownHost):\(port)"
    }

    public init(name: String, host: String, port: Int) {
        self.name = name
        self.host = host
        self.port = port
    }

    static func parseList(_ text: String, key: String, securityMap: [String: String]) throws(ConfigError)
        -> [ListenerEndpoint]
    {
        var result: [ListenerEndpoint] = []
        for item in text.split(separator: ",").map({ $0.trimmingWhitespace() }) where !item.isEmpty {
            guard let schemeEnd = item.range(of: "://") else {
                throw ConfigError(key: key, value: text, reason: "\(item) is not of the form NAME://host:port")
            }
            let name = String(item[..<schemeEnd.lowerBound]).uppercased()
            var rest = item[schemeEnd.upperBound...]
            var host: String
            if rest.first == "[" {
                guard let close = rest.firstIndex(of: "]") else {
                    throw ConfigError(key: key, value: text, reason: "unterminated IPv6 address in \(item)")
                }
                host = String(rest[rest.index(after: rest.startIndex)..<close])
                rest = rest[rest.index(after: close)...]
                guard rest.first == ":" else {
                    throw ConfigError(key: key, value: text, reason: "missing port in \(item)")
                }
                rest = rest.dropFirst()
            } else {
                guard let colon = rest.lastIndex(of: ":") else {
                    throw ConfigError(key: key, value: text, reason: "missing port in \(item)")
                }
                host = String(rest[..<colon])
                rest = rest[rest.index(after: colon)...]
            }
            guard let port = Int(rest), (0...65535).contains(port) else {
                throw ConfigError(key: key, value: text, reason: "invalid port in \(item)")
            }
            guard let protocolName = securityMap[name] else {
                throw ConfigError(
                    key: key, value: text,
                    reason: "listener \(name) has no entry in listener.security.protocol.map")
            }
            guard protocolName == "PLAINTEXT" else {
                throw ConfigError(
                    key: key, value: text,
                    reason: "security protocol \(protocolName) of listener \(name) is not supported (PLAINTEXT only)")
            }
            if result.contains(where: { $0.name == name }) {
                throw ConfigError(key: key, value: text, reason: "listener name \(name) is used twice")
            }
            if host.isEmpty == false, host.lowercased() == "localhost" { host = "localhost" }
            result.append(ListenerEndpoint(name: name, host: host, port: port))
        }
        if result.isEmpty { throw ConfigError(key: key, value: text, reason: "at least one listener is required") }
        return result
    }
}

/// An invalid configuration value. Its description names the key, like Kafka's ConfigException.
public struct ConfigError: Error, Equatable, CustomStringConvertible {
    public var key: String
    public var value: String
    public var reason: String
    public var description: String { "Invalid value \(value) for configuration \(key): \(reason)" }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
