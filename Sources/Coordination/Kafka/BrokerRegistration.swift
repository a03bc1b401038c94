import BrokerCore

/// One advertised listener of a broker: `LISTENER://host:port` plus its security protocol.
public struct BrokerEndpoint: Hashable, Sendable {
    public var listenerName: String
    public var host: String
    public var port: Int32
    public var securityProtocol: String

    public init(listenerName: String, host: String, port: Int32, securityProtocol: String) {
        self.listenerName = listenerName
        self.host = host
        self.port = port
        self.securityProtocol = securityProtocol
    }

    /// `LISTENER://host:port`, IPv6 hosts in brackets (Kafka's `EndPoint.connectionString`).
    public var connectionString: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "\(listenerName)://\(hostPart):\(port)"
    }

    /// Parses `LISTENER://host:port` (host may be empty or a bracketed IPv6 address).
    public init?(connectionString: String, securityProtocol: String? = nil) {
        guard let separator = connectionString.range(of: "://") else { return nil }
        let listener = String(connectionString[..<separator.lowerBound])
        let rest = connectionString[separator.upperBound...]
        guard !listener.isEmpty, let colon = rest.lastIndex(of: ":"),
            let port = Int32(rest[rest.index(after: colon)...])
        else { return nil }
        var host = String(rest[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.init(
            listenerName: listener, host: host, port: port, securityProtocol: securityProtocol ?? listener)
    }
}

/// A supported feature version range advertised in a broker registration.
public struct SupportedFeatureRange: Hashable, Sendable {
    public var minVersion: Int16
    public var maxVersion: Int16
    public init(minVersion: Int16, maxVersion: Int16) {
        self.minVersion = minVersion
        self.maxVersion = maxVersion
    }
}

/// A broker's registration at `/brokers/ids/<id>` (ephemeral): Kafka's `BrokerIdZNode`, JSON v5.
///
/// ```json
/// {"version":5,"host":"localhost","port":9092,"endpoints":["PLAINTEXT://localhost:9092"],
///  "jmx_port":-1,"timestamp":"1700000000000","rack":"r1",
///  "listener_security_protocol_map":{"PLAINTEXT":"PLAINTEXT"},"features":{}}
/// ```
/// `host`/`port` repeat the first PLAINTEXT endpoint (`null`/-1 if none) for old clients; `rack`
/// is present only when set. Decoding accepts versions 1–5. The broker id is the znode name, not
/// part of the JSON; the broker epoch is the znode's `czxid`.
public struct BrokerRegistration: Hashable, Sendable {
    public var brokerID: BrokerID
    public var endpoints: [BrokerEndpoint]
    public var rack: String?
    public var jmxPort: Int32
    /// Registration time, milliseconds since the Unix epoch.
    public var timestamp: Int64
    public var features: [String: SupportedFeatureRange]
    /// The JSON version read (5 when built in code).
    public var version: Int32

    public init(
        brokerID: BrokerID, endpoints: [BrokerEndpoint], rack: String? = nil, jmxPort: Int32 = -1,
        timestamp: Int64, features: [String: SupportedFeatureRange] = [:]
    ) {
        self.brokerID = brokerID
        self.endpoints = endpoints
        self.rack = rack
        self.jmxPort = jmxPort
        self.timestamp = timestamp
        self.features = features
        self.version = 5
    }

    /// The v5 JSON document.
    public var json: KafkaJSON.Value {
        let plaintext = endpoints.first { $0.securityProtocol == "PLAINTEXT" }
        var members: [(String, KafkaJSON.Value)] = [
            ("version", .int(5)),
            ("host", plaintext.map { .string($0.host) } ?? .null),
            ("port", KafkaJSON.int(plaintext?.port ?? -1)),
            ("endpoints", .array(endpoints.map { .string($0.connectionString) })),
            ("jmx_port", KafkaJSON.int(jmxPort)),
            ("timestamp", .string(String(timestamp))),
        ]
        if let rack { members.append(("rack", .string(rack))) }
        var protocols: [(String, KafkaJSON.Value)] = []
        for endpoint in endpoints where !protocols.contains(where: { $0.0 == endpoint.listenerName }) {
            protocols.append((endpoint.listenerName, .string(endpoint.securityProtocol)))
        }
        members.append(("listener_security_protocol_map", .object(protocols)))
        let features = self.features.keys.sorted().compactMap { name -> (String, KafkaJSON.Value)? in
            guard let range = self.features[name] else { return nil }
            return (
                name,
                .object([
                    ("min_version", KafkaJSON.int(range.minVersion)), ("max_version", KafkaJSON.int(range.maxVersion)),
                ])
            )
        }
        members.append(("features", .object(features)))
        return .object(members)
    }

    /// The znode data (v5 JSON, UTF-8).
    public func encoded() -> [UInt8] { json.bytes }

    /// Decodes the data of `/brokers/ids/<brokerID>`.
    public init(brokerID: BrokerID, decoding data: [UInt8]) throws {
        let wire = try KafkaJSON.decode(Wire.self, from: data, znode: "broker registration")
        func failure(_ reason: String) -> KafkaZNodeDecodingError {
            KafkaZNodeDecodingError(znode: "broker registration", reason: reason, data: data)
        }
        guard wire.version >= 1 else { throw failure("unsupported version \(wire.version)") }
        var endpoints: [BrokerEndpoint] = []
        if wire.version == 1 {
            guard let host = wire.host, let port = wire.port else { throw failure("version 1 without host/port") }
            endpoints = [
                BrokerEndpoint(listenerName: "PLAINTEXT", host: host, port: port, securityProtocol: "PLAINTEXT")
            ]
        } else {
            for string in wire.endpoints ?? [] {
                guard let parsed = BrokerEndpoint(connectionString: string) else {
                    throw failure("malformed endpoint \(string)")
                }
                let listener = parsed.listenerName
                let securityProtocol = wire.listener_security_protocol_map?[listener] ?? listener
                endpoints.append(
                    BrokerEndpoint(
                        listenerName: listener, host: parsed.host, port: parsed.port, securityProtocol: securityProtocol
                    ))
            }
        }
        var features: [String: SupportedFeatureRange] = [:]
        for (name, range) in wire.features ?? [:] {
            guard let min = range["min_version"], let max = range["max_version"] else {
                throw failure("feature \(name) without min_version/max_version")
            }
            features[name] = SupportedFeatureRange(minVersion: min, maxVersion: max)
        }
        self.brokerID = brokerID
        self.endpoints = endpoints
        self.rack = wire.rack
        self.jmxPort = wire.jmx_port ?? -1
        self.timestamp = wire.timestamp?.value ?? -1
        self.features = features
        self.version = wire.version
    }

    private struct Wire: Decodable {
        var version: Int32
        var host: String?
        var port: Int32?
        var endpoints: [String]?
        var jmx_port: Int32?
        var timestamp: LenientInt64?
        var rack: String?
        var listener_security_protocol_map: [String: String]?
        var features: [String: [String: Int16]]?
    }
}
