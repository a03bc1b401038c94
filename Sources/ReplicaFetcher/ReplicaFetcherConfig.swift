import BrokerCore

/// Settings of the replica fetchers (Kafka's broker configs of the same meaning and defaults).
public struct ReplicaFetcherConfig: Sendable, Hashable {
    /// This broker's id, sent as the Fetch `replicaId`.
    public var localBrokerID: BrokerID
    /// `replica.fetch.wait.max.ms`: how long the leader may hold a fetch with no new data (500).
    public var fetchWaitMaxMs: Int32
    /// `replica.fetch.min.bytes`: the leader answers once this much is readable (1).
    public var fetchMinBytes: Int32
    /// `replica.fetch.max.bytes`: per-partition bound of a fetch (1 MiB; at least one batch
    /// is always returned).
    public var fetchMaxBytes: Int32
    /// `replica.fetch.response.max.bytes`: bound of a whole fetch response (10 MiB).
    public var fetchResponseMaxBytes: Int32
    /// `replica.fetch.backoff.ms`: wait after a partition error or a lost connection (1000).
    public var fetchBackoffMs: Int64
    /// `replica.socket.timeout.ms`: a request without an answer this long after its wait time
    /// is given up and the connection closed (30000).
    public var socketTimeoutMs: Int64

    public init(
        localBrokerID: BrokerID, fetchWaitMaxMs: Int32 = 500, fetchMinBytes: Int32 = 1, fetchMaxBytes: Int32 = 1_048_576,
        fetchResponseMaxBytes: Int32 = 10_485_760, fetchBackoffMs: Int64 = 1_000, socketTimeoutMs: Int64 = 30_000
    ) {
        self.localBrokerID = localBrokerID
        self.fetchWaitMaxMs = fetchWaitMaxMs
        self.fetchMinBytes = fetchMinBytes
        self.fetchMaxBytes = fetchMaxBytes
        self.fetchResponseMaxBytes = fetchResponseMaxBytes
        self.fetchBackoffMs = fetchBackoffMs
        self.socketTimeoutMs = socketTimeoutMs
    }
}

/// A broker's inter-broker endpoint.
public struct BrokerEndpoint: Sendable, Hashable {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }
}
