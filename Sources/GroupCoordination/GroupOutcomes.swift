import BrokerCore
import NIOCore

/// The answer to a parked or immediate JoinGroup, before it is shaped for the request version.
public struct JoinOutcome: Sendable, Equatable {
    public struct Member: Sendable, Equatable {
        public var memberID: String
        public var groupInstanceID: String?
        public var metadata: ByteBuffer
    }
    public var error: ErrorCode
    public var memberID: String
    public var generationID: Int32
    public var protocolType: String?
    public var protocolName: String?
    public var leaderID: String
    public var skipAssignment: Bool
    /// Filled for the leader only.
    public var members: [Member]

    /// An error answer (generation -1, no leader, no members).
    static func failure(_ error: ErrorCode, memberID: String) -> JoinOutcome {
        JoinOutcome(
            error: error, memberID: memberID, generationID: -1, protocolType: nil, protocolName: nil, leaderID: "",
            skipAssignment: false, members: [])
    }
}

/// The answer to a parked or immediate SyncGroup.
public struct SyncOutcome: Sendable, Equatable {
    public var error: ErrorCode
    public var protocolType: String?
    public var protocolName: String?
    public var assignment: ByteBuffer

    static func failure(_ error: ErrorCode) -> SyncOutcome {
        SyncOutcome(error: error, protocolType: nil, protocolName: nil, assignment: ByteBuffer())
    }
}
