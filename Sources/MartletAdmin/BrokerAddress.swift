/// A broker's network address as given on the command line or in a Metadata response.
public struct BrokerAddress: Hashable, Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `host:port`, with IPv6 literals in brackets (`[::1]:9092`).
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// Parses Kafka's `bootstrap.servers` form: `host:port[,host:port...]`. Whitespace around
    /// entries is ignored, as are empty entries; IPv6 literals are written `[addr]:port`.
    /// Throws ``AdminError/invalidArgument(_:)`` for an entry without a valid port, and when no
    /// entry is left.
    public static func parseList(_ text: String) throws(AdminError) -> [BrokerAddress] {
        var addresses: [BrokerAddress] = []
        for raw in text.split(separator: ",", omittingEmptySubsequences: false) {
            let entry = raw.trimmingWhitespace()
            if entry.isEmpty { continue }
            guard let address = parse(entry) else {
                throw .invalidArgument("Invalid url in bootstrap.servers: \(entry)")
            }
            addresses.append(address)
        }
        if addresses.isEmpty { throw .invalidArgument("No resolvable bootstrap urls given in bootstrap.servers") }
        return addresses
    }

    /// One `host:port` (or `[v6]:port`), nil when malformed.
    static func parse(_ entry: Substring) -> BrokerAddress? {
        guard let colon = entry.lastIndex(of: ":") else { return nil }
        var host = entry[..<colon]
        let portText = entry[entry.index(after: colon)...]
        guard let port = Int(portText), (1...65535).contains(port) else { return nil }
        if host.hasPrefix("[") {
            guard host.hasSuffix("]"), host.count > 2 else { return nil }
            host = host.dropFirst().dropLast()
        } else if host.contains(":") {
            return nil  // an IPv6 literal needs brackets
        }
        guard !host.isEmpty else { return nil }
        return BrokerAddress(host: String(host), port: port)
    }
}

extension Substring {
    func trimmingWhitespace() -> Substring {
        var s = self
        while let first = s.first, first.isWhitespace { s = s.dropFirst() }
        while let last = s.last, last.isWhitespace { s = s.dropLast() }
        return s
    }
}
