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

/// Kafka's fencing of controller requests (LeaderAndIsr, UpdateMetadata, StopReplica): a request
/// addressed to an older registration of this broker is STALE_BROKER_EPOCH; one from a deposed
/// controller is STALE_CONTROLLER_EPOCH. Neither is applied.
public struct ControllerRequestFence: Sendable {
    public let brokerEpoch: BrokerEpochSource
    public let controllerEpochs: ControllerEpochTracker

    public init(brokerEpoch: BrokerEpochSource, controllerEpochs: ControllerEpochTracker) {
        self.brokerEpoch = brokerEpoch
        self.controllerEpochs = controllerEpochs
    }

    /// The error to answer, or nil when the request may be applied (and its controller epoch is
    /// then recorded). `requestBrokerEpoch` is nil for versions without the field; -1 means unset.
    public func check(requestBrokerEpoch: Int64?, controllerEpoch: Int32) -> ErrorCode? {
        if let requestBrokerEpoch, requestBrokerEpoch >= 0, requestBrokerEpoch < brokerEpoch.current {
            return .staleBrokerEpoch
        }
        return controllerEpochs.accept(controllerEpoch) ? nil : .staleControllerEpoch
    }
}
