import BrokerCore
import KafkaProtocol
import NIOCore

/// A side effect a ``Group`` transition asks its owner to perform.
///
/// The owner executes actions in order: answering parked requests, and writing group metadata
/// to `__consumer_offsets` (then feeding the result back with ``Group/groupStored(_:error:now:)``).
public enum GroupAction: Sendable, Equatable {
    /// Answer the parked JoinGroup of `memberID`.
    case completeJoin(memberID: String, JoinOutcome)
    /// Answer the parked SyncGroup of `memberID`.
    case completeSync(memberID: String, SyncOutcome)
    /// Append a group metadata record (key GroupMetadataKey, value `value`) and report back.
    case storeGroup(GroupStore)
}

/// A pending write of the group's metadata record, and what to do once it is stored.
public struct GroupStore: Sendable, Equatable {
    public enum Purpose: Sendable, Equatable {
        /// The leader's SyncGroup: the assignment of `generation` is stored before anyone hears it.
        case syncAssignment(generation: Int32, assignment: [String: ByteBuffer])
        /// The group became Empty after a rebalance (the result is only logged).
        case emptyGroup
        /// A static member rejoined a Stable group under a new member id; undo on failure.
        case staticRejoin(StaticRejoin)
    }

    /// What is needed to answer (or revert) a static member's rejoin once stored.
    public struct StaticRejoin: Sendable, Equatable {
        var groupInstanceID: String
        var oldMemberID: String
        var newMemberID: String
        var oldProtocols: [GroupMember.SupportedProtocol]
        var oldRebalanceTimeoutMs: Int32
        var oldSessionTimeoutMs: Int32
        var leaderBeforeRejoin: String?
        var supportSkippingAssignment: Bool
    }

    public var purpose: Purpose
    /// The record value (written as version 3).
    public var value: GroupMetadataValue
}

/// The time a transition happens at: wall-clock ms for timestamps that are stored, monotonic ms
/// for deadlines.
public struct GroupTime: Sendable, Hashable {
    public var wallMs: Int64
    public var monotonicMs: Int64
    public init(wallMs: Int64, monotonicMs: Int64) {
        self.wallMs = wallMs
        self.monotonicMs = monotonicMs
    }
}
