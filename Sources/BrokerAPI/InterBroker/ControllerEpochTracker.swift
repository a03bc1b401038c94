import BrokerCore
import Synchronization

/// The highest controller epoch this broker has accepted a request from (LeaderAndIsr,
/// UpdateMetadata, StopReplica), as Kafka's ReplicaManager keeps it: a request from an older
/// controller is answered STALE_CONTROLLER_EPOCH and not applied.
///
/// Thread-safety: `Sendable`; `accept` is atomic.
public final class ControllerEpochTracker: Sendable {
    private let highest = Mutex<Int32>(-1)
    public init() {}

    /// Records `epoch` and returns true unless a newer controller was already heard from.
    public func accept(_ epoch: Int32) -> Bool {
        highest.withLock { current in
            guard epoch >= current else { return false }
            current = epoch
            return true
        }
    }

    public var current: ControllerEpoch { ControllerEpoch(highest.withLock { $0 }) }
}

/// Settings a partition takes from its topic's configuration (broker defaults until topic
/// configs are read from ZooKeeper).
public struct TopicSettings: Sendable {
    public var minInSyncReplicas: Int
    public init(minInSyncReplicas: Int = 1) { self.minInSyncReplicas = minInSyncReplicas }
}
