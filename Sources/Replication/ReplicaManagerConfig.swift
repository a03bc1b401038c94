import BrokerCore

/// Settings of the replica layer (Kafka's broker configs of the same meaning).
public struct ReplicaManagerConfig: Sendable, Hashable {
    /// `broker.id` of this broker: partitions whose leader is this id are led here.
    public var localBrokerID: BrokerID
    /// `replica.lag.time.max.ms`: a follower that has not caught up to the leader's log end for
    /// this long leaves the ISR (default 30 s). The ISR check runs every half of it.
    public var replicaLagTimeMaxMs: Int64
    /// `replica.high.watermark.checkpoint.interval.ms`: how often the high watermarks (with the
    /// recovery points and log start offsets) are checkpointed through `LogManager.checkpoint()`
    /// (default 5 s). Zero or less disables the periodic checkpoint.
    public var highWatermarkCheckpointIntervalMs: Int64

    public init(localBrokerID: BrokerID, replicaLagTimeMaxMs: Int64 = 30_000, highWatermarkCheckpointIntervalMs: Int64 = 5_000) {
        self.localBrokerID = localBrokerID
        self.replicaLagTimeMaxMs = replicaLagTimeMaxMs
        self.highWatermarkCheckpointIntervalMs = highWatermarkCheckpointIntervalMs
    }
}
