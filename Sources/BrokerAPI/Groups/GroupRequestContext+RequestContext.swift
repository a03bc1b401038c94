import GroupCoordination

extension GroupRequestContext {
    /// The coordinator's view of a request: its version, client id ("" when null) and the client's
    /// address as Kafka prints it in DescribeGroups (`/127.0.0.1`, Java's `InetAddress.toString()`
    /// without a resolved name).
    public init(_ context: RequestContext) {
        self.init(
            apiVersion: context.apiVersion, clientID: context.clientID ?? "",
            clientHost: Self.clientHost(fromAddress: context.clientAddress))
    }

    /// `/ip` from the server's `ip:port` form of the peer address (IPv6 addresses are not
    /// bracketed there, so the port is what follows the last colon).
    public static func clientHost(fromAddress address: String) -> String {
        guard let colon = address.lastIndex(of: ":"), address[address.index(after: colon)...].allSatisfy(\.isNumber)
        else { return "/" + address }
        return "/" + address[..<colon]
    }
}
