import BrokerCore
import Testing

@testable import Replication

@Suite struct PartitionStateTests {
    let tp = TopicPartition("t", 0)
    let me = BrokerID(1)
    let follower = BrokerID(2)
    let lag: Int64 = 10_000

    func leader(isr: [Int32] = [1, 2], minIsr: Int = 1, leo: Int64 = 10, now: Int64 = 0) -> PartitionState {
        var state = PartitionState(topicPartition: tp, localBrokerID: me)
        _ = state.makeLeader(
            leaderEpoch: LeaderEpoch(3), partitionEpoch: 1, replicas: [me, follower], isr: isr.map { BrokerID($0) },
            minInSyncReplicas: minIsr, leaderEndOffset: Offset(leo), nowMs: now)
        return state
    }

    @Test func highWatermarkIsMinimumLogEndOffsetOverIsr() throws {
        var state = leader()
        // Follower's position unknown: HW stays at 0.
        let r1 = state.maybeIncrementHighWatermark(leaderEndOffset: Offset(10), nowMs: 0, lagMs: lag)
        #expect(r1 == nil)
        let changesOptional = state.updateFollowerFetchState(replica: follower, fetchOffset: Offset(6), leaderEndOffset: Offset(10), nowMs: 1, lagMs: lag)
        let changes = try #require(changesOptional)
        #expect(changes == [.highWatermarkAdvanced(Offset(6))])
        let moreOptional = state.updateFollowerFetchState(replica: follower, fetchOffset: Offset(10), leaderEndOffset: Offset(10), nowMs: 2, lagMs: lag)
        let more = try #require(moreOptional)
        #expect(more == [.highWatermarkAdvanced(Offset(10))])
        #expect(state.highWatermark == Offset(10))
    }

    @Test func singleReplicaHighWatermarkFollowsLogEnd() {
        var state = leader(isr: [1])
        let r2 = state.maybeIncrementHighWatermark(leaderEndOffset: Offset(10), nowMs: 0, lagMs: lag) == Offset(10)
        #expect(r2)
        let r3 = state.maybeIncrementHighWatermark(leaderEndOffset: Offset(10), nowMs: 0, lagMs: lag)
        #expect(r3 == nil)
    }

    @Test func highWatermarkFrozenWhileIsrBelowMinIsr() {
        var state = leader(isr: [1], minIsr: 2)
        #expect(state.isUnderMinIsr)
        let r4 = state.maybeIncrementHighWatermark(leaderEndOffset: Offset(10), nowMs: 0, lagMs: lag)
        #expect(r4 == nil)
        #expect(state.highWatermark == .zero)
    }

    @Test func laggingFollowerLeavesIsrAfterLagTime() {
        var state = leader(isr: [1, 2], leo: 10, now: 0)
        let r5 = state.maybeShrinkIsr(leaderEndOffset: Offset(10), nowMs: lag, lagMs: lag)
        #expect(r5 == [])
        #expect(state.isr == [me, follower])
        let changes = state.maybeShrinkIsr(leaderEndOffset: Offset(10), nowMs: lag + 1, lagMs: lag)
        // Proposed only: the removed follower still holds the high watermark until committed.
        #expect(changes == [.isrUpdateProposed([me])])
        #expect(state.isr == [me, follower])
        #expect(state.maximalIsr == [me, follower])
        let committed = state.commitIsrUpdate([me], partitionEpoch: 2, leaderEndOffset: Offset(10), nowMs: lag + 2, lagMs: lag)
        #expect(committed == [.isrCommitted([me]), .highWatermarkAdvanced(Offset(10))])
        #expect(state.isr == [me])
        #expect(state.partitionEpoch == 2)
    }

    @Test func pendingAdditionCountsForHighWatermarkAtOnce() throws {
        var state = leader(isr: [1], leo: 10)
        _ = state.maybeIncrementHighWatermark(leaderEndOffset: Offset(10), nowMs: 0, lagMs: lag)
        let joinedOptional = state.updateFollowerFetchState(
            replica: follower, fetchOffset: Offset(10), leaderEndOffset: Offset(12), nowMs: 1, lagMs: lag)
        let joined = try #require(joinedOptional)
        #expect(joined == [.isrUpdateProposed([me, follower])])
        #expect(state.isr == [me])
        #expect(state.maximalIsr == [me, follower])
        // The pending member holds the high watermark at its log end (10), not the leader's (12).
        let unchanged = state.maybeIncrementHighWatermark(leaderEndOffset: Offset(12), nowMs: 2, lagMs: lag)
        #expect(unchanged == nil)
        #expect(state.highWatermark == Offset(10))
    }

    @Test func oneIsrChangeInFlightAndObsoleteCommitsIgnored() throws {
        var state = leader(isr: [1, 2], leo: 10, now: 0)
        let proposed = state.maybeShrinkIsr(leaderEndOffset: Offset(10), nowMs: lag + 1, lagMs: lag)
        #expect(proposed == [.isrUpdateProposed([me])])
        // Nothing more is proposed while the change is in flight.
        let none = state.maybeShrinkIsr(leaderEndOffset: Offset(10), nowMs: lag + 2, lagMs: lag)
        #expect(none.isEmpty)
        // A commit for another ISR is not ours.
        let foreign = state.commitIsrUpdate([me, follower], partitionEpoch: 5, leaderEndOffset: Offset(10), nowMs: 0, lagMs: lag)
        #expect(foreign == nil)
        // A failed write lets a later check propose again.
        state.abandonIsrUpdate([me])
        #expect(state.pendingIsr == nil)
        let again = state.maybeShrinkIsr(leaderEndOffset: Offset(10), nowMs: lag + 3, lagMs: lag)
        #expect(again == [.isrUpdateProposed([me])])
        // LeaderAndIsr replaces the pending change.
        _ = state.makeLeader(
            leaderEpoch: LeaderEpoch(4), partitionEpoch: 7, replicas: [me, follower], isr: [me, follower],
            minInSyncReplicas: 1, leaderEndOffset: Offset(10), nowMs: lag + 4)
        #expect(state.pendingIsr == nil)
        let obsolete = state.commitIsrUpdate([me], partitionEpoch: 8, leaderEndOffset: Offset(10), nowMs: 0, lagMs: lag)
        #expect(obsolete == nil)
        #expect(state.isr == [me, follower])
    }

    @Test func caughtUpFollowerStaysInIsr() {
        var state = leader(isr: [1, 2], leo: 10, now: 0)
        _ = state.updateFollowerFetchState(replica: follower, fetchOffset: Offset(10), leaderEndOffset: Offset(10), nowMs: 50_000, lagMs: lag)
        let r6 = state.maybeShrinkIsr(leaderEndOffset: Offset(10), nowMs: 55_000, lagMs: lag)
        #expect(r6 == [])
        #expect(state.isr.contains(follower))
    }

    @Test func followerJoinsIsrAtHighWatermarkAndEpochStart() throws {
        var state = leader(isr: [1], leo: 10)
        let r7 = state.maybeIncrementHighWatermark(leaderEndOffset: Offset(10), nowMs: 0, lagMs: lag)
        #expect(r7 == Offset(10))
        // Below the high watermark: not in sync yet.
        let earlyOptional = state.updateFollowerFetchState(replica: follower, fetchOffset: Offset(5), leaderEndOffset: Offset(12), nowMs: 1, lagMs: lag)
        let early = try #require(earlyOptional)
        #expect(!early.contains(.isrUpdateProposed([me, follower])))
        let joinedOptional = state.updateFollowerFetchState(replica: follower, fetchOffset: Offset(12), leaderEndOffset: Offset(12), nowMs: 2, lagMs: lag)
        let joined = try #require(joinedOptional)
        #expect(joined.contains(.isrUpdateProposed([me, follower])))
        _ = state.commitIsrUpdate([me, follower], partitionEpoch: 2, leaderEndOffset: Offset(12), nowMs: 3, lagMs: lag)
        #expect(state.isr == [me, follower])
    }

    @Test func unknownReplicaOrNonLeaderCannotReportFetch() {
        var state = leader()
        let r8 = state.updateFollowerFetchState(replica: BrokerID(9), fetchOffset: .zero, leaderEndOffset: .zero, nowMs: 0, lagMs: lag)
        #expect(r8 == nil)
        _ = state.makeFollower(leader: follower, leaderEpoch: LeaderEpoch(4), partitionEpoch: 2, replicas: [me, follower], isr: [me, follower], minInSyncReplicas: 1)
        let r9 = state.updateFollowerFetchState(replica: follower, fetchOffset: .zero, leaderEndOffset: .zero, nowMs: 0, lagMs: lag)
        #expect(r9 == nil)
    }

    @Test func makeLeaderAndFollowerReportRoleChanges() {
        var state = PartitionState(topicPartition: tp, localBrokerID: me)
        let r10 = state.makeLeader(leaderEpoch: LeaderEpoch(1), partitionEpoch: 0, replicas: [me], isr: [me], minInSyncReplicas: 1, leaderEndOffset: .zero, nowMs: 0)
        #expect(r10)
        let r11 = state.makeLeader(leaderEpoch: LeaderEpoch(1), partitionEpoch: 1, replicas: [me], isr: [me], minInSyncReplicas: 1, leaderEndOffset: .zero, nowMs: 0)
        #expect(!r11)
        let r12 = state.makeFollower(leader: follower, leaderEpoch: LeaderEpoch(2), partitionEpoch: 2, replicas: [me, follower], isr: [me, follower], minInSyncReplicas: 1)
        #expect(r12)
        let r13 = state.makeFollower(leader: follower, leaderEpoch: LeaderEpoch(2), partitionEpoch: 3, replicas: [me, follower], isr: [me, follower], minInSyncReplicas: 1)
        #expect(!r13)
        #expect(!state.isLeader)
    }

    @Test func staleLeaderAndIsrIsNotAccepted() {
        let state = leader()
        #expect(!state.accepts(leaderEpoch: LeaderEpoch(2), partitionEpoch: 9))
        #expect(!state.accepts(leaderEpoch: LeaderEpoch(3), partitionEpoch: 0))
        #expect(state.accepts(leaderEpoch: LeaderEpoch(3), partitionEpoch: 1))
        #expect(state.accepts(leaderEpoch: LeaderEpoch(4), partitionEpoch: 0))
    }

    @Test func leaderEpochCheckFencesOlderAndRejectsNewer() {
        let state = leader()
        #expect(state.checkLeaderEpoch(.unknown) == nil)
        #expect(state.checkLeaderEpoch(LeaderEpoch(3)) == nil)
        #expect(state.checkLeaderEpoch(LeaderEpoch(2)) == .fencedLeaderEpoch)
        #expect(state.checkLeaderEpoch(LeaderEpoch(4)) == .unknownLeaderEpoch)
    }

    @Test func produceCompletionRules() {
        var state = leader(isr: [1, 2], minIsr: 2)
        #expect(state.produceCompletion(requiredOffset: Offset(5)) == nil)
        _ = state.updateFollowerFetchState(replica: follower, fetchOffset: Offset(5), leaderEndOffset: Offset(10), nowMs: 1, lagMs: lag)
        #expect(state.produceCompletion(requiredOffset: Offset(5)) == ErrorCode.none)
        _ = state.maybeShrinkIsr(leaderEndOffset: Offset(10), nowMs: 100_000, lagMs: lag)
        _ = state.commitIsrUpdate([me], partitionEpoch: 2, leaderEndOffset: Offset(10), nowMs: 100_000, lagMs: lag)
        #expect(state.produceCompletion(requiredOffset: Offset(10)) == .notEnoughReplicasAfterAppend)
        state.stop()
        #expect(state.produceCompletion(requiredOffset: Offset(10)) == .notLeaderOrFollower)
    }
}
