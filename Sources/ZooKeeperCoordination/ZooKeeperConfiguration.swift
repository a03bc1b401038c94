import Coordination

/// A parsed ZooKeeper connect string: `host:port[,host:port…][/chroot]` (Kafka's
/// `zookeeper.connect`, e.g. `zk1:2181,zk2:2181/kafka`).
public struct ZooKeeperConnectString: Hashable, Sendable, CustomStringConvertible {
    /// `host:port` entries, in the given order (the client shuffles them when connecting).
    public var servers: [String]
    /// The chroot every path is relative to, or nil for the real root.
    public var chroot: String?

    public init(servers: [String], chroot: String? = nil) {
        self.servers = servers
        self.chroot = chroot
    }

    /// Parses a connect string. Throws `CoordinationError.invalidPath` for a malformed chroot and
    /// `.unexpected` for an empty or malformed server list.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingSpaces
        let serverPart: Substring
        if let slash = trimmed.firstIndex(of: "/") {
            serverPart = trimmed[..<slash]
            let chroot = String(trimmed[slash...])
            if chroot != "/" {
                try CoordinationPath.validate(chroot)
                self.chroot = chroot
            } else {
                self.chroot = nil
            }
        } else {
            serverPart = trimmed[...]
            self.chroot = nil
        }
        let servers = serverPart.split(separator: ",", omittingEmptySubsequences: false)
            .map { String($0).trimmingSpaces }
        guard !servers.isEmpty, servers.allSatisfy(Self.isServer) else {
            throw CoordinationError.unexpected(code: -8, message: "invalid ZooKeeper connect string '\(text)'")
        }
        self.servers = servers
    }

    /// The servers without chroot, comma-separated.
    public var serverList: String { servers.joined(separator: ",") }

    /// The form the C client takes: servers, then the chroot.
    public var description: String { serverList + (chroot ?? "") }

    /// The same servers without a chroot.
    public var withoutChroot: ZooKeeperConnectString { ZooKeeperConnectString(servers: servers) }

    private static func isServer(_ server: String) -> Bool {
        guard let colon = server.lastIndex(of: ":"), colon != server.startIndex,
            let port = Int(server[server.index(after: colon)...])
        else { return false }
        return (1...65535).contains(port)
    }
}

/// How `ZooKeeperCoordinationStore` connects (Kafka's `zookeeper.*` broker settings).
public struct ZooKeeperConfiguration: Hashable, Sendable {
    public var connectString: ZooKeeperConnectString
    /// Requested session timeout (`zookeeper.session.timeout.ms`, default 18 s). The server clamps
    /// it to [2, 20] × its tickTime.
    public var sessionTimeout: Duration
    /// How long `connect` waits for the first session (`zookeeper.connection.timeout.ms`,
    /// defaulting to the session timeout).
    public var connectionTimeout: Duration
    /// Create the chroot path (and its ancestors) if missing, as Kafka brokers do.
    public var createChrootIfMissing: Bool

    public init(
        connectString: ZooKeeperConnectString, sessionTimeout: Duration = .seconds(18),
        connectionTimeout: Duration? = nil, createChrootIfMissing: Bool = true
    ) {
        self.connectString = connectString
        self.sessionTimeout = sessionTimeout
        self.connectionTimeout = connectionTimeout ?? sessionTimeout
        self.createChrootIfMissing = createChrootIfMissing
    }

    /// Parses `connectString` (see `ZooKeeperConnectString`).
    public init(
        connectString: String, sessionTimeout: Duration = .seconds(18), connectionTimeout: Duration? = nil,
        createChrootIfMissing: Bool = true
    ) throws {
        self.init(
            connectString: try ZooKeeperConnectString(parsing: connectString), sessionTimeout: sessionTimeout,
            connectionTimeout: connectionTimeout, createChrootIfMissing: createChrootIfMissing)
    }

    /// The session timeout in whole milliseconds, as the C client takes it.
    var sessionTimeoutMilliseconds: Int32 {
        let (seconds, attoseconds) = sessionTimeout.components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return Int32(clamping: max(milliseconds, 1))
    }
}

extension StringProtocol {
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
