import NIOCore

/// One member of a classic group (Kafka's `MemberMetadata`). Value type, owned by its ``Group``.
public struct GroupMember: Sendable, Equatable {
    /// A protocol the member supports, in the member's order of preference.
    public struct SupportedProtocol: Sendable, Equatable {
        public var name: String
        public var metadata: ByteBuffer
        public init(name: String, metadata: ByteBuffer) {
            self.name = name
            self.metadata = metadata
        }
    }

    public var memberID: String
    public var groupInstanceID: String?
    public var clientID: String
    public var clientHost: String
    public var rebalanceTimeoutMs: Int32
    public var sessionTimeoutMs: Int32
    public var protocolType: String
    public var protocols: [SupportedProtocol]
    /// The assignment of the current generation (empty until the leader's SyncGroup is stored).
    public var assignment: ByteBuffer

    /// A JoinGroup of this member is parked until the join phase completes.
    public internal(set) var isAwaitingJoin = false
    /// A SyncGroup of this member is parked until the leader's assignment is stored.
    public internal(set) var isAwaitingSync = false
    /// Joined during the current join phase and has not yet received a JoinGroup answer
    /// (such members can expire while awaiting join).
    public internal(set) var isNew = false
    /// When the member expires unless it heartbeats (monotonic ms); nil = no expectation (e.g.
    /// while parked in JoinGroup/SyncGroup).
    public internal(set) var heartbeatDeadline: Int64?

    public init(
        memberID: String, groupInstanceID: String?, clientID: String, clientHost: String,
        rebalanceTimeoutMs: Int32, sessionTimeoutMs: Int32, protocolType: String,
        protocols: [SupportedProtocol], assignment: ByteBuffer = ByteBuffer()
    ) {
        self.memberID = memberID
        self.groupInstanceID = groupInstanceID
        self.clientID = clientID
        self.clientHost = clientHost
        self.rebalanceTimeoutMs = rebalanceTimeoutMs
        self.sessionTimeoutMs = sessionTimeoutMs
        self.protocolType = protocolType
        self.protocols = protocols
        self.assignment = assignment
    }

    public var isStatic: Bool { groupInstanceID != nil }

    /// The metadata the member sent for `protocol`, nil if it does not support it.
    public func metadata(for protocolName: String) -> ByteBuffer? {
        protocols.first { $0.name == protocolName }?.metadata
    }

    /// Same protocols (names, order and metadata bytes) as `other`.
    func matches(_ other: [SupportedProtocol]) -> Bool { protocols == other }

    /// Kafka's vote: the member's first protocol among `candidates`.
    func vote(among candidates: Set<String>) -> String? {
        protocols.first { candidates.contains($0.name) }?.name
    }
}
