import BrokerCore
import NIOCore
import Replication
import Testing

@testable import ReplicaFetcher

@Suite struct FetcherStateTests {
    let a = TopicPartition("t", 0)
    let b = TopicPartition("t", 1)

    func position(_ partition: TopicPartition, offset: Int64 = 0, epoch: Int32 = 1, leader: Int32 = 2) -> FollowerFetchPosition {
        FollowerFetchPosition(
            topicPartition: partition, leader: BrokerID(leader), leaderEpoch: LeaderEpoch(epoch), fetchOffset: Offset(offset),
            lastFetchedEpoch: nil, logStartOffset: .zero)
    }

    @Test func addingTheSameEpochKeepsTheStateAndANewEpochReplacesIt() {
        var state = FetcherState()
        state.add(position(a, offset: 0))
        let first = state.plan(now: .now()).ready[0]
        state.advance(first, to: position(a, offset: 10), moveToEnd: false)
        state.add(position(a, offset: 0))
        #expect(state.partitions[a]?.position.fetchOffset == Offset(10))
        state.add(position(a, offset: 3, epoch: 2))
        #expect(state.partitions[a]?.position.fetchOffset == Offset(3))
        // The answer to the fetch planned before the new add is ignored.
        #expect(!state.isCurrent(first))
        state.advance(first, to: position(a, offset: 99), moveToEnd: false)
        #expect(state.partitions[a]?.position.fetchOffset == Offset(3))
    }

    @Test func delayedAndFailedPartitionsAreNotPlanned() {
        var state = FetcherState()
        state.add(position(a))
        state.add(position(b))
        let now = NIODeadline.now()
        let planned = state.plan(now: now).ready
        #expect(planned.map(\.position.topicPartition) == [a, b])
        state.delay(planned[0], until: now + .seconds(1))
        state.markFailed(planned[1])
        let later = state.plan(now: now)
        #expect(later.ready.isEmpty)
        #expect(later.nextReady == now + .seconds(1))
        #expect(state.plan(now: now + .seconds(2)).ready.map(\.position.topicPartition) == [a])
        // A failed partition comes back when LeaderAndIsr adds it again, even in the same epoch.
        state.add(position(b))
        #expect(state.plan(now: now + .seconds(2)).ready.map(\.position.topicPartition) == [a, b])
    }

    @Test func partitionsThatGotDataMoveToTheEnd() {
        var state = FetcherState()
        state.add(position(a))
        state.add(position(b))
        let planned = state.plan(now: .now()).ready
        state.advance(planned[0], to: position(a, offset: 5), moveToEnd: true)
        #expect(state.order == [b, a])
        state.drop(planned[1])
        #expect(state.order == [a])
        state.remove(a)
        #expect(state.isEmpty)
    }

    @Test func delayAllSkipsFailedPartitions() {
        var state = FetcherState()
        state.add(position(a))
        state.add(position(b))
        let now = NIODeadline.now()
        state.markFailed(state.plan(now: now).ready[1])
        state.delayAll(until: now + .seconds(1))
        #expect(state.partitions[a]?.delayedUntil == now + .seconds(1))
        #expect(state.partitions[b]?.delayedUntil == nil)
    }
}
