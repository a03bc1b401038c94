/// Typed identifiers and positions used across every layer.
///
/// Each wraps the wire-level integer Kafka uses for it, so that an offset can never be passed
/// where an epoch is expected. All are value types, `Sendable`, `Hashable` and `Comparable`.

/// A position in a partition's log (Kafka's 64-bit offset).
public struct Offset: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: Int64
    @inlinable public init(rawValue: Int64) { self.rawValue = rawValue }
    @inlinable public init(_ value: Int64) { self.rawValue = value }
    @inlinable public static func < (a: Offset, b: Offset) -> Bool { a.rawValue < b.rawValue }
    @inlinable public static func + (a: Offset, delta: Int64) -> Offset { Offset(a.rawValue + delta) }
    @inlinable public static func - (a: Offset, b: Offset) -> Int64 { a.rawValue - b.rawValue }
    public var description: String { String(rawValue) }
    public static let zero = Offset(0)
    /// Kafka's "no offset" sentinel (-1).
    public static let unknown = Offset(-1)
}

/// A partition leader epoch (Kafka's 32-bit, monotonically increasing per partition).
public struct LeaderEpoch: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: Int32
    @inlinable public init(rawValue: Int32) { self.rawValue = rawValue }
    @inlinable public init(_ value: Int32) { self.rawValue = value }
    @inlinable public static func < (a: LeaderEpoch, b: LeaderEpoch) -> Bool { a.rawValue < b.rawValue }
    public var description: String { String(rawValue) }
    /// Kafka's "no epoch" sentinel (-1).
    public static let unknown = LeaderEpoch(-1)
}

/// A broker's configured `broker.id`.
public struct BrokerID: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: Int32
    @inlinable public init(rawValue: Int32) { self.rawValue = rawValue }
    @inlinable public init(_ value: Int32) { self.rawValue = value }
    @inlinable public static func < (a: BrokerID, b: BrokerID) -> Bool { a.rawValue < b.rawValue }
    public var description: String { String(rawValue) }
    /// "No broker" (-1), e.g. an offline partition's leader.
    public static let none = BrokerID(-1)
}

/// The controller epoch stored in `/controller_epoch`; fences writes of deposed controllers.
public struct ControllerEpoch: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: Int32
    @inlinable public init(rawValue: Int32) { self.rawValue = rawValue }
    @inlinable public init(_ value: Int32) { self.rawValue = value }
    @inlinable public static func < (a: ControllerEpoch, b: ControllerEpoch) -> Bool { a.rawValue < b.rawValue }
    public var description: String { String(rawValue) }
}

/// An idempotent producer's id (from InitProducerId).
public struct ProducerID: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: Int64
    @inlinable public init(rawValue: Int64) { self.rawValue = rawValue }
    @inlinable public init(_ value: Int64) { self.rawValue = value }
    @inlinable public static func < (a: ProducerID, b: ProducerID) -> Bool { a.rawValue < b.rawValue }
    public var description: String { String(rawValue) }
    /// A non-idempotent producer (-1).
    public static let none = ProducerID(-1)
}

/// An idempotent producer's epoch.
public struct ProducerEpoch: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: Int16
    @inlinable public init(rawValue: Int16) { self.rawValue = rawValue }
    @inlinable public init(_ value: Int16) { self.rawValue = value }
    @inlinable public static func < (a: ProducerEpoch, b: ProducerEpoch) -> Bool { a.rawValue < b.rawValue }
    public var description: String { String(rawValue) }
    public static let none = ProducerEpoch(-1)
}

/// A topic partition: Kafka's `TopicPartition` (topic name + partition index).
public struct TopicPartition: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32
    public init(_ topic: String, _ partition: Int32) {
        self.topic = topic
        self.partition = partition
    }
    public static func < (a: TopicPartition, b: TopicPartition) -> Bool {
        (a.topic, a.partition) < (b.topic, b.partition)
    }
    /// Kafka's `topic-partition` form, also the partition's directory name in a log dir.
    public var description: String { "\(topic)-\(partition)" }
}
