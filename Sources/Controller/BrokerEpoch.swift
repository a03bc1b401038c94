/// A broker's epoch: the `czxid` of its `/brokers/ids/N` registration znode (Kafka's broker
/// epoch, `KafkaZkClient.getAllBrokerAndEpochsInCluster`). It changes whenever the broker
/// registers again (new ZooKeeper session), so the controller can tell a bounced broker from one
/// that never left, and brokers reject controller requests addressed to an older incarnation.
public struct BrokerEpoch: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: Int64
    @inlinable public init(rawValue: Int64) { self.rawValue = rawValue }
    @inlinable public init(_ value: Int64) { self.rawValue = value }
    @inlinable public static func < (a: BrokerEpoch, b: BrokerEpoch) -> Bool { a.rawValue < b.rawValue }
    public var description: String { String(rawValue) }
    /// "Unknown" (-1): requests carrying it skip the staleness check, as in Kafka.
    public static let unknown = BrokerEpoch(-1)
}
