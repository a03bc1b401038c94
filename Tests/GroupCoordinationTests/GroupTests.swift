import BrokerCore
import KafkaProtocol
import NIOCore
import Testing

@testable import GroupCoordination

/// The group state machine as a plain value: transitions and the actions they return.
@Suite struct GroupTests {
    var now = GroupTime(wallMs: 1_000_000, monotonicMs: 0)

    func makeGroup(initialDelayMs: Int32 = 3000, maxSize: Int = .max) -> Group {
        Group(groupID: "g", initialRebalanceDelayMs: initialDelayMs, maxSize: maxSize, now: now)
    }

    func join(
        _ memberID: String, newID: String = "", instance: String? = nil, protocols: [(String, String)] = [("range", "m")],
        requireKnown: Bool = false, skip: Bool = false, rebalanceTimeoutMs: Int32 = 10_000, sessionTimeoutMs: Int32 = 6000,
        protocolType: String = "consumer"
    ) -> JoinRequest {
        JoinRequest(
            memberID: memberID, groupInstanceID: instance, requireKnownMemberID: requireKnown,
            supportSkippingAssignment: skip, clientID: "c", clientHost: "/h", rebalanceTimeoutMs: rebalanceTimeoutMs,
            sessionTimeoutMs: sessionTimeoutMs, protocolType: protocolType,
            protocols: protocols.map { .init(name: $0.0, metadata: bytes($0.1)) }, newMemberID: newID)
    }

    mutating func at(_ monotonicMs: Int64) -> GroupTime {
        now = GroupTime(wallMs: 1_000_000 + monotonicMs, monotonicMs: monotonicMs)
        return now
    }

    @Test mutating func firstJoinWaitsForTheInitialDelayThenCompletesWithTheLeader() {
        var group = makeGroup()
        let (reply, actions) = group.join(join("", newID: "m1"), now: now)
        #expect(reply == .parked(memberID: "m1"))
        #expect(actions.isEmpty)
        #expect(group.state == .preparingRebalance)
        #expect(group.expireTimers(now: at(2999)).isEmpty)
        let done = group.expireTimers(now: at(3000))
        guard case .completeJoin("m1", let outcome) = done.first else {
            Issue.record("expected a join answer, got \(done)")
            return
        }
        #expect(outcome.generationID == 1 && outcome.leaderID == "m1" && outcome.protocolName == "range")
        #expect(outcome.members.map(\.memberID) == ["m1"])
        #expect(group.state == .completingRebalance)
        #expect(group.pendingSyncMembers == ["m1"])
    }

    @Test mutating func newMembersExtendTheInitialDelayUpToTheRebalanceTimeout() {
        var group = makeGroup()
        _ = group.join(join("", newID: "m1", rebalanceTimeoutMs: 5000), now: now)
        _ = group.join(join("", newID: "m2", rebalanceTimeoutMs: 5000), now: at(1000))
        // At 3000 the delay is extended by min(3000, remaining 2000) = 2000.
        #expect(group.expireTimers(now: at(3000)).isEmpty)
        #expect(group.state == .preparingRebalance)
        let done = group.expireTimers(now: at(5000))
        #expect(done.count == 2)
        #expect(group.state == .completingRebalance)
        #expect(group.generationID == 1)
    }

    @Test func memberIDRequiredRegistersAPendingMember() {
        var group = makeGroup()
        let (reply, actions) = group.join(join("", newID: "m1", requireKnown: true), now: now)
        #expect(reply == .immediate(.failure(.memberIdRequired, memberID: "m1")))
        #expect(actions.isEmpty)
        #expect(group.pendingMembers["m1"] == 6000)
        #expect(group.state == .empty)
        let (rejoin, _) = group.join(join("m1", requireKnown: true), now: now)
        #expect(rejoin == .parked(memberID: "m1"))
        #expect(group.pendingMembers.isEmpty && group.has("m1"))
    }

    @Test mutating func pendingMemberThatDoesNotRejoinIsDropped() {
        var group = makeGroup()
        _ = group.join(join("", newID: "m1", requireKnown: true), now: now)
        _ = group.expireTimers(now: at(6000))
        #expect(group.pendingMembers.isEmpty)
        #expect(group.join(join("m1"), now: now).0 == .immediate(.failure(.unknownMemberId, memberID: "m1")))
    }

    @Test func protocolSelectionVotesAmongProtocolsAllMembersSupport() {
        var group = makeGroup()
        _ = group.join(join("", newID: "a", protocols: [("roundrobin", "x"), ("range", "x")]), now: now)
        _ = group.join(join("", newID: "b", protocols: [("sticky", "x"), ("range", "x"), ("roundrobin", "x")]), now: now)
        _ = group.join(join("", newID: "c", protocols: [("range", "x"), ("roundrobin", "x")]), now: now)
        // Candidates {roundrobin, range}: a→roundrobin, b→range, c→range.
        #expect(group.selectedProtocol == "range")
    }

    @Test func memberWithoutACommonProtocolIsRejected() {
        var group = makeGroup()
        _ = group.join(join("", newID: "a", protocols: [("range", "x")]), now: now)
        let (reply, _) = group.join(join("", newID: "b", protocols: [("sticky", "x")]), now: now)
        #expect(reply == .immediate(.failure(.inconsistentGroupProtocol, memberID: "")))
        let (other, _) = group.join(join("", newID: "c", protocolType: "connect"), now: now)
        #expect(other == .immediate(.failure(.inconsistentGroupProtocol, memberID: "")))
    }

    /// Drives the group to Stable with members `ids` (first one leads), assignment "A-<id>".
    mutating func stableGroup(_ ids: [String], instances: [String?]? = nil) -> Group {
        var group = makeGroup(initialDelayMs: 0)
        for (index, id) in ids.enumerated() {
            _ = group.join(join("", newID: id, instance: instances?[index]), now: now)
        }
        _ = group.expireTimers(now: now)
        #expect(group.state == .completingRebalance)
        for id in ids.dropFirst() { _ = group.sync(SyncRequest(memberID: id, groupInstanceID: instances?[ids.firstIndex(of: id)!] ?? nil, generationID: 1, protocolType: nil, protocolName: nil, assignments: [:]), now: now) }
        let assignment = Dictionary(uniqueKeysWithValues: ids.map { ($0, bytes("A-\($0)")) })
        let (reply, actions) = group.sync(
            SyncRequest(
                memberID: ids[0], groupInstanceID: instances?[0] ?? nil, generationID: 1, protocolType: "consumer",
                protocolName: "range", assignments: assignment), now: now)
        #expect(reply == .parked(memberID: ids[0]))
        guard case .storeGroup(let store) = actions.first else {
            Issue.record("leader sync must store the group")
            return group
        }
        #expect(store.value.members.map(\.assignment) == ids.map { bytes("A-\($0)") })
        let answers = group.groupStored(store, error: .none, now: now)
        #expect(answers.count == ids.count)
        #expect(group.state == .stable)
        return group
    }

    @Test mutating func leaderSyncStoresTheAssignmentBeforeAnsweringEveryone() {
        let group = stableGroup(["a", "b", "c"])
        #expect(group.member("b")?.assignment == bytes("A-b"))
        #expect(group.pendingSyncMembers.isEmpty)
    }

    @Test mutating func failedAssignmentWriteAnswersTheErrorAndRebalances() {
        var group = makeGroup(initialDelayMs: 0)
        _ = group.join(join("", newID: "a"), now: now)
        _ = group.expireTimers(now: now)
        let (_, actions) = group.sync(
            SyncRequest(memberID: "a", groupInstanceID: nil, generationID: 1, protocolType: nil, protocolName: nil, assignments: ["a": bytes("x")]),
            now: now)
        guard case .storeGroup(let store) = actions.first else {
            Issue.record("expected a store")
            return
        }
        let answers = group.groupStored(store, error: .notCoordinator, now: now)
        #expect(answers == [.completeSync(memberID: "a", .failure(.notCoordinator))])
        #expect(group.state == .preparingRebalance)
    }

    @Test mutating func heartbeatAnswersPerState() {
        var group = stableGroup(["a", "b"])
        #expect(group.heartbeat(memberID: "a", groupInstanceID: nil, generationID: 1, now: now) == .none)
        #expect(group.heartbeat(memberID: "a", groupInstanceID: nil, generationID: 0, now: now) == .illegalGeneration)
        #expect(group.heartbeat(memberID: "zz", groupInstanceID: nil, generationID: 1, now: now) == .unknownMemberId)
        _ = group.join(join("b", protocols: [("range", "changed")]), now: now)
        #expect(group.state == .preparingRebalance)
        #expect(group.heartbeat(memberID: "a", groupInstanceID: nil, generationID: 1, now: now) == .rebalanceInProgress)
    }

    @Test mutating func sessionExpiryRemovesTheMemberAndRebalances() {
        var group = stableGroup(["a", "b"])
        _ = group.heartbeat(memberID: "a", groupInstanceID: nil, generationID: 1, now: at(5000))
        _ = group.expireTimers(now: at(6000))
        #expect(!group.has("b") && group.has("a"))
        #expect(group.state == .preparingRebalance)
    }

    @Test mutating func membersThatDoNotRejoinAreRemovedAtTheRebalanceTimeout() {
        var group = stableGroup(["a", "b"])
        _ = group.join(join("a"), now: at(100))
        #expect(group.state == .preparingRebalance)
        // b keeps heartbeating (REBALANCE_IN_PROGRESS) but never rejoins.
        for time in stride(from: Int64(5000), through: 10_000, by: 5000) {
            _ = group.heartbeat(memberID: "b", groupInstanceID: nil, generationID: 1, now: at(time))
        }
        let actions = group.expireTimers(now: at(10_100))
        #expect(group.members.map(\.memberID) == ["a"])
        #expect(group.state == .completingRebalance && group.generationID == 2)
        #expect(actions.contains { if case .completeJoin("a", _) = $0 { true } else { false } })
    }

    @Test mutating func membersThatDoNotSyncAreRemovedAtTheRebalanceTimeout() {
        var group = makeGroup(initialDelayMs: 0)
        _ = group.join(join("", newID: "a"), now: now)
        _ = group.join(join("", newID: "b"), now: now)
        _ = group.expireTimers(now: now)
        #expect(group.state == .completingRebalance)
        _ = group.sync(SyncRequest(memberID: "b", groupInstanceID: nil, generationID: 1, protocolType: nil, protocolName: nil, assignments: [:]), now: at(100))
        _ = group.expireTimers(now: at(10_000))
        #expect(group.members.map(\.memberID) == ["b"])
        #expect(group.state == .preparingRebalance)
    }

    @Test mutating func leaveRemovesMembersAndTheLastLeaverEmptiesTheGroup() {
        var group = stableGroup(["a", "b"])
        let (result, _) = group.leave([.init(memberID: "b", groupInstanceID: nil), .init(memberID: "x", groupInstanceID: nil)], now: now)
        #expect(result == .success([.none, .unknownMemberId]))
        #expect(group.state == .preparingRebalance)
        let (last, actions) = group.leave([.init(memberID: "a", groupInstanceID: nil)], now: now)
        #expect(last == .success([.none]))
        #expect(group.state == .empty && group.generationID == 2)
        #expect(actions.contains { if case .storeGroup(let s) = $0 { s.purpose == .emptyGroup } else { false } })
    }

    @Test mutating func staticMemberRejoiningAStableGroupKeepsItsAssignmentWithoutRebalance() {
        var group = stableGroup(["a", "b"], instances: ["ia", "ib"])
        let (reply, actions) = group.join(join("", newID: "b2", instance: "ib"), now: now)
        #expect(reply == .parked(memberID: "b2"))
        #expect(group.state == .stable)
        #expect(group.staticMembers["ib"] == "b2")
        #expect(group.member("b2")?.assignment == bytes("A-b"))
        guard case .storeGroup(let store) = actions.last else {
            Issue.record("expected the group to be persisted")
            return
        }
        let answers = group.groupStored(store, error: .none, now: now)
        guard case .completeJoin("b2", let outcome) = answers.first else {
            Issue.record("expected the rejoin answer")
            return
        }
        #expect(outcome.generationID == 1 && outcome.leaderID == "a" && outcome.members.isEmpty)
        // The old member id is fenced.
        #expect(group.heartbeat(memberID: "b", groupInstanceID: "ib", generationID: 1, now: now) == .fencedInstanceId)
        #expect(group.heartbeat(memberID: "b2", groupInstanceID: "ib", generationID: 1, now: now) == .none)
    }

    @Test mutating func staticRejoinIsRevertedWhenItCannotBeStored() {
        var group = stableGroup(["a", "b"], instances: ["ia", "ib"])
        let (_, actions) = group.join(join("", newID: "b2", instance: "ib"), now: now)
        guard case .storeGroup(let store) = actions.last else {
            Issue.record("expected a store")
            return
        }
        let answers = group.groupStored(store, error: .coordinatorNotAvailable, now: now)
        guard case .completeJoin("b2", let outcome) = answers.first else {
            Issue.record("expected an answer")
            return
        }
        #expect(outcome.error == .coordinatorNotAvailable && outcome.memberID == "")
        #expect(group.staticMembers["ib"] == "b" && group.has("b") && !group.has("b2"))
    }

    @Test mutating func conflictingStaticMemberIDIsFenced() {
        var group = stableGroup(["a"], instances: ["ia"])
        let (reply, _) = group.join(join("other", instance: "ia"), now: now)
        #expect(reply == .immediate(.failure(.fencedInstanceId, memberID: "other")))
        let (unknown, _) = group.join(join("a", instance: "nope"), now: now)
        #expect(unknown == .immediate(.failure(.unknownMemberId, memberID: "a")))
    }

    @Test func groupMaxSizeRejectsNewMembers() {
        var group = makeGroup(maxSize: 1)
        _ = group.join(join("", newID: "a"), now: now)
        let (reply, _) = group.join(join("", newID: "b"), now: now)
        #expect(reply == .immediate(.failure(.groupMaxSizeReached, memberID: "")))
    }

    @Test mutating func simpleCommitsAreAllowedOnlyWhileEmpty() {
        var group = makeGroup()
        #expect(group.validateOffsetCommit(generationID: -1, memberID: "", groupInstanceID: nil) == nil)
        group = stableGroup(["a"])
        #expect(group.validateOffsetCommit(generationID: -1, memberID: "", groupInstanceID: nil) == .unknownMemberId)
        #expect(group.validateOffsetCommit(generationID: 0, memberID: "a", groupInstanceID: nil) == .illegalGeneration)
        #expect(group.validateOffsetCommit(generationID: 1, memberID: "x", groupInstanceID: nil) == .unknownMemberId)
        #expect(group.validateOffsetCommit(generationID: 1, memberID: "a", groupInstanceID: nil) == nil)
    }

    @Test mutating func emptyGroupOffsetsExpireRetentionAfterTheGroupBecameEmpty() {
        var group = stableGroup(["a"])
        group.beginOffsetCommit([TopicPartition("t", 0)])
        group.finishOffsetCommit([TopicPartition("t", 0): CommittedOffset(offset: Offset(5), commitTimestamp: 0)], recordOffset: Offset(1))
        _ = group.leave([.init(memberID: "a", groupInstanceID: nil)], now: at(1000))
        #expect(group.state == .empty)
        #expect(group.removeExpiredOffsets(nowWallMs: 1_000_000 + 1000 + 4999, retentionMs: 5000).isEmpty)
        #expect(group.removeExpiredOffsets(nowWallMs: 1_000_000 + 1000 + 5000, retentionMs: 5000) == [TopicPartition("t", 0)])
    }

    @Test func offsetsWithAnExpireTimestampExpireThen() {
        var group = makeGroup()
        group.beginOffsetCommit([TopicPartition("t", 0), TopicPartition("t", 1)])
        group.finishOffsetCommit(
            [
                TopicPartition("t", 0): CommittedOffset(offset: Offset(1), commitTimestamp: 0, expireTimestamp: 100),
                TopicPartition("t", 1): CommittedOffset(offset: Offset(1), commitTimestamp: 0),
            ], recordOffset: Offset(0))
        #expect(group.removeExpiredOffsets(nowWallMs: 100, retentionMs: 1000) == [TopicPartition("t", 0)])
        #expect(group.removeExpiredOffsets(nowWallMs: 1000, retentionMs: 1000) == [TopicPartition("t", 1)])
    }

    @Test func olderCommitCompletingLateDoesNotReplaceANewerOne() {
        var group = makeGroup()
        let partition = TopicPartition("t", 0)
        group.beginOffsetCommit([partition])
        group.beginOffsetCommit([partition])
        group.finishOffsetCommit([partition: CommittedOffset(offset: Offset(20), commitTimestamp: 0)], recordOffset: Offset(7))
        group.finishOffsetCommit([partition: CommittedOffset(offset: Offset(10), commitTimestamp: 0)], recordOffset: Offset(6))
        #expect(group.committedOffset(partition)?.offset == Offset(20))
        #expect(!group.hasPendingCommit(partition))
    }

    @Test mutating func subscribedTopicsComeFromConsumerSubscriptions() {
        var group = makeGroup(initialDelayMs: 0)
        var request = join("", newID: "a")
        request.protocols = [.init(name: "range", metadata: subscription(["t", "u"]))]
        _ = group.join(request, now: now)
        _ = group.expireTimers(now: now)
        #expect(group.subscribedTopics == ["t", "u"])
        #expect(group.isSubscribed(to: "t") && !group.isSubscribed(to: "v"))
    }
}
