import BrokerCore
import KafkaProtocol
import NIOCore

/// One classic consumer group as a plain value: membership, generation, protocol, timers
/// (as deadlines) and committed offsets (Kafka's `GroupMetadata` plus the transitions of its
/// `GroupCoordinator`).
///
/// Every transition is a `mutating` method that takes the current ``GroupTime`` and returns the
/// ``GroupAction``s its owner must perform (answer parked requests, persist the group). The value
/// performs no I/O and reads no clock, so it is tested directly. Not thread-safe: one owner.
public struct Group: Sendable {
    /// The join-phase timer: Kafka's `InitialDelayedJoin` (first rebalance of an empty group,
    /// extended while new members arrive) or `DelayedJoin` (completes early once all have joined).
    enum JoinTimer: Sendable, Equatable {
        case initial(deadline: Int64, delayMs: Int64, remainingMs: Int64)
        case regular(deadline: Int64)
        var deadline: Int64 {
            switch self {
            case .initial(let deadline, _, _), .regular(let deadline): deadline
            }
        }
    }

    /// Kafka's `DelayedSync`: members that have not sent SyncGroup by the deadline are removed.
    struct SyncTimer: Sendable, Equatable {
        var generation: Int32
        var deadline: Int64
    }

    /// How long a new member's JoinGroup may stay parked (Kafka's `NewMemberJoinTimeoutMs`).
    static let newMemberJoinTimeoutMs: Int64 = 5 * 60 * 1000
    /// The consumer protocol type, whose subscriptions the coordinator understands.
    static let consumerProtocolType = "consumer"

    public let groupID: String
    public internal(set) var state: GroupState
    /// Wall-clock ms of the last state change (stored as `currentStateTimestamp`); nil when loaded
    /// from a record without one.
    public internal(set) var stateTimestamp: Int64?
    public internal(set) var protocolType: String?
    public internal(set) var protocolName: String?
    public internal(set) var generationID: Int32 = 0
    public internal(set) var leaderID: String?
    /// Members in the order they joined.
    public internal(set) var members: [GroupMember] = []
    /// `group.instance.id` → member id of the static members.
    public internal(set) var staticMembers: [String: String] = [:]
    /// Member ids handed out with MEMBER_ID_REQUIRED → deadline (monotonic ms) to rejoin by.
    public internal(set) var pendingMembers: [String: Int64] = [:]
    /// Members of the current generation that have not sent SyncGroup yet.
    public internal(set) var pendingSyncMembers: Set<String> = []
    /// Topics the members subscribe to (consumer protocol only; nil = unknown).
    public internal(set) var subscribedTopics: Set<String>?
    /// Committed offsets.
    var offsets: [TopicPartition: StoredOffset] = [:]
    /// Offset commits being written, per partition.
    var pendingOffsetCommits: [TopicPartition: Int] = [:]

    /// Set by the owner to tell apart a group from a later one with the same id (e.g. after
    /// deletion), when an asynchronous write completes.
    public var incarnation: UInt64 = 0

    var joinTimer: JoinTimer?
    var syncTimer: SyncTimer?
    var newMemberAdded = false

    /// `group.initial.rebalance.delay.ms`.
    let initialRebalanceDelayMs: Int64
    /// `group.max.size`.
    let maxSize: Int

    public init(groupID: String, initialRebalanceDelayMs: Int32, maxSize: Int, now: GroupTime) {
        self.groupID = groupID
        self.state = .empty
        self.stateTimestamp = now.wallMs
        self.initialRebalanceDelayMs = Int64(max(initialRebalanceDelayMs, 0))
        self.maxSize = maxSize
    }

    // MARK: Queries

    public func member(_ memberID: String) -> GroupMember? { members.first { $0.memberID == memberID } }
    public func has(_ memberID: String) -> Bool { members.contains { $0.memberID == memberID } }
    public func isLeader(_ memberID: String) -> Bool { leaderID == memberID }
    func index(of memberID: String) -> Int? { members.firstIndex { $0.memberID == memberID } }

    public var committedOffsets: [TopicPartition: CommittedOffset] { offsets.mapValues(\.value) }
    public func committedOffset(_ partition: TopicPartition) -> CommittedOffset? { offsets[partition]?.value }
    /// Offsets stored or being stored (a group with none may expire once Empty).
    public var hasOffsets: Bool { !offsets.isEmpty || !pendingOffsetCommits.isEmpty }

    var numAwaitingJoin: Int { members.count { $0.isAwaitingJoin } }
    var hasAllMembersJoined: Bool { members.allSatisfy(\.isAwaitingJoin) && pendingMembers.isEmpty }
    /// The group's rebalance timeout: the largest of its members'.
    var rebalanceTimeoutMs: Int64 { Int64(members.map(\.rebalanceTimeoutMs).max() ?? 0) }
    var canRebalance: Bool { GroupState.preparingRebalance.validPreviousStates.contains(state) }
    public var isConsumerGroup: Bool { protocolType == Self.consumerProtocolType }

    /// Protocols every member supports.
    var candidateProtocols: Set<String> {
        guard let first = members.first else { return [] }
        var candidates = Set(first.protocols.map(\.name))
        for member in members.dropFirst() { candidates.formIntersection(member.protocols.map(\.name)) }
        return candidates
    }

    /// Kafka's protocol selection: each member votes for its first protocol supported by all;
    /// the most voted wins (ties: the protocol whose first vote came first, in member order).
    public var selectedProtocol: String? {
        let candidates = candidateProtocols
        var votes: [String: Int] = [:]
        var order: [String] = []
        for member in members {
            guard let vote = member.vote(among: candidates) else { continue }
            if votes[vote] == nil { order.append(vote) }
            votes[vote, default: 0] += 1
        }
        var best: String?
        for name in order where best == nil || votes[name]! > votes[best!]! { best = name }
        return best
    }

    /// Whether a member with `protocolType` and `protocols` may join (Kafka's `supportsProtocols`).
    func supportsProtocols(type: String, names: Set<String>) -> Bool {
        if state == .empty { return !type.isEmpty && !names.isEmpty }
        return protocolType == type && names.contains { name in members.allSatisfy { $0.protocols.contains { $0.name == name } } }
    }

    /// Kafka's `validateCurrentMember`: a static member's instance id must map to `memberID`, and
    /// `memberID` must be a member.
    func validateCurrentMember(_ memberID: String, instanceID: String?) -> ErrorCode? {
        if let instanceID {
            guard let current = staticMembers[instanceID] else { return .unknownMemberId }
            if current != memberID { return .fencedInstanceId }
        }
        return has(memberID) ? nil : .unknownMemberId
    }

    /// Whether the group accepts `memberID` joining now (Kafka's `acceptJoiningMember`).
    func acceptsJoiningMember(_ memberID: String) -> Bool {
        switch state {
        case .empty, .dead: return true
        case .preparingRebalance: return (member(memberID)?.isAwaitingJoin ?? false) || numAwaitingJoin < maxSize
        case .completingRebalance, .stable: return has(memberID) || members.count < maxSize
        }
    }

    /// The JoinGroup member list the leader receives (each member's metadata for the selected protocol).
    var joinMembers: [JoinOutcome.Member] {
        members.map {
            JoinOutcome.Member(
                memberID: $0.memberID, groupInstanceID: $0.groupInstanceID,
                metadata: protocolName.flatMap($0.metadata(for:)) ?? ByteBuffer())
        }
    }

    /// The current generation's JoinGroup answer for `memberID`.
    func currentGenerationOutcome(for memberID: String, withMembers: Bool, leader: String? = nil, skipAssignment: Bool = false)
        -> JoinOutcome
    {
        JoinOutcome(
            error: .none, memberID: memberID, generationID: generationID, protocolType: protocolType,
            protocolName: protocolName, leaderID: leader ?? leaderID ?? "", skipAssignment: skipAssignment,
            members: withMembers ? joinMembers : [])
    }

    // MARK: Membership primitives

    mutating func transition(to newState: GroupState, now: GroupTime) {
        assert(newState.validPreviousStates.contains(state), "group \(groupID): \(state) → \(newState)")
        state = newState
        stateTimestamp = now.wallMs
    }

    /// Adds `member` (Kafka's `add`): the first member fixes the protocol type and becomes leader.
    mutating func add(_ member: GroupMember) {
        if let instanceID = member.groupInstanceID { staticMembers[instanceID] = member.memberID }
        if members.isEmpty { protocolType = member.protocolType }
        if leaderID == nil { leaderID = member.memberID }
        members.append(member)
        pendingMembers[member.memberID] = nil
    }

    /// Removes `memberID` (Kafka's `remove`), handing leadership to the next member. Parked
    /// requests of the member are not answered here.
    mutating func remove(_ memberID: String) {
        if let index = index(of: memberID) {
            let removed = members.remove(at: index)
            if let instanceID = removed.groupInstanceID, staticMembers[instanceID] == memberID {
                staticMembers[instanceID] = nil
            }
        }
        if leaderID == memberID { leaderID = members.first?.memberID }
        pendingMembers[memberID] = nil
        pendingSyncMembers.remove(memberID)
    }

    /// Expects a heartbeat (or another sign of life) from `memberID` within `timeoutMs`.
    mutating func scheduleHeartbeat(_ memberID: String, timeoutMs: Int64? = nil, now: GroupTime) {
        guard let index = index(of: memberID) else { return }
        let timeout = timeoutMs ?? Int64(members[index].sessionTimeoutMs)
        members[index].heartbeatDeadline = now.monotonicMs + timeout
    }

    /// Answers the member's parked JoinGroup, if any.
    mutating func completeJoin(_ memberID: String, _ outcome: JoinOutcome, into actions: inout [GroupAction]) {
        guard let index = index(of: memberID), members[index].isAwaitingJoin else { return }
        members[index].isAwaitingJoin = false
        actions.append(.completeJoin(memberID: memberID, outcome))
    }

    /// Answers the member's parked SyncGroup, if any; returns whether there was one.
    @discardableResult
    mutating func completeSync(_ memberID: String, _ outcome: SyncOutcome, into actions: inout [GroupAction]) -> Bool {
        guard let index = index(of: memberID), members[index].isAwaitingSync else { return false }
        members[index].isAwaitingSync = false
        actions.append(.completeSync(memberID: memberID, outcome))
        return true
    }

    /// Replaces a member's protocols and timeouts (Kafka's `updateMember`) and parks its JoinGroup.
    mutating func updateMember(
        _ memberID: String, protocols: [GroupMember.SupportedProtocol], rebalanceTimeoutMs: Int32, sessionTimeoutMs: Int32,
        awaitingJoin: Bool
    ) {
        guard let index = index(of: memberID) else { return }
        members[index].protocols = protocols
        members[index].rebalanceTimeoutMs = rebalanceTimeoutMs
        members[index].sessionTimeoutMs = sessionTimeoutMs
        members[index].isAwaitingJoin = awaitingJoin
    }

    /// A static member takes a new member id (Kafka's `replaceStaticMember`): a duplicate still
    /// parked under the old id is fenced.
    mutating func replaceStaticMember(
        instanceID: String, oldMemberID: String, newMemberID: String, into actions: inout [GroupAction]
    ) {
        guard let index = index(of: oldMemberID) else { return }
        completeJoin(oldMemberID, .failure(.fencedInstanceId, memberID: oldMemberID), into: &actions)
        completeSync(oldMemberID, .failure(.fencedInstanceId), into: &actions)
        members[index].memberID = newMemberID
        if leaderID == oldMemberID { leaderID = newMemberID }
        staticMembers[instanceID] = newMemberID
        if pendingSyncMembers.remove(oldMemberID) != nil { pendingSyncMembers.insert(newMemberID) }
    }

    /// Topics of the members' consumer-protocol subscriptions (Kafka's `computeSubscribedTopics`).
    func computeSubscribedTopics() -> Set<String>? {
        guard protocolType == Self.consumerProtocolType else { return nil }
        if members.isEmpty { return [] }
        guard let protocolName else { return nil }
        var topics: Set<String> = []
        for member in members {
            guard var bytes = member.metadata(for: protocolName), (try? bytes.readKafkaInt16()) != nil,
                let subscription = try? ConsumerProtocolSubscription(from: &bytes, version: 0)
            else { return nil }
            topics.formUnion(subscription.topics)
        }
        return topics
    }

    /// Whether the group's members consume `topic` (true when unknown, to be safe).
    public func isSubscribed(to topic: String) -> Bool { subscribedTopics?.contains(topic) ?? true }
}
