import Synchronization

/// This broker's current broker epoch: the czxid of its `/brokers/ids/N` registration, which
/// changes whenever the broker re-registers (new ZooKeeper session). Inter-broker requests carrying
/// an older epoch are stale (STALE_BROKER_EPOCH).
///
/// Thread-safety: one writer (the registration code), any number of readers.
public final class BrokerEpochSource: Sendable {
    private let value = Mutex<Int64>(-1)
    public init() {}
    public var current: Int64 { value.withLock { $0 } }
    public func update(_ epoch: Int64) { value.withLock { $0 = epoch } }
}
