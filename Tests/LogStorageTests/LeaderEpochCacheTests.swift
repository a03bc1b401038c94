import BrokerCore
import Testing

@testable import LogStorage

@Suite struct LeaderEpochCacheTests {
    func cache() -> LeaderEpochCache {
        LeaderEpochCache(entries: [
            EpochEntry(epoch: LeaderEpoch(1), startOffset: Offset(0)), EpochEntry(epoch: LeaderEpoch(3), startOffset: Offset(10)),
            EpochEntry(epoch: LeaderEpoch(4), startOffset: Offset(25)),
        ])
    }

    @Test func endOffsetForEpochFollowsKafka() {
        let cache = cache()
        #expect(cache.endOffset(forEpoch: LeaderEpoch(4), logEndOffset: Offset(40)) == (LeaderEpoch(4), Offset(40)))
        #expect(cache.endOffset(forEpoch: LeaderEpoch(3), logEndOffset: Offset(40)) == (LeaderEpoch(3), Offset(25)))
        // Epoch 2 never led here: the answer is the previous epoch and where epoch 3 began.
        #expect(cache.endOffset(forEpoch: LeaderEpoch(2), logEndOffset: Offset(40)) == (LeaderEpoch(1), Offset(10)))
        #expect(cache.endOffset(forEpoch: LeaderEpoch(0), logEndOffset: Offset(40)) == (LeaderEpoch(0), Offset(0)))
        #expect(cache.endOffset(forEpoch: LeaderEpoch(9), logEndOffset: Offset(40)) == (LeaderEpoch.unknown, Offset.unknown))
        #expect(cache.endOffset(forEpoch: .unknown, logEndOffset: Offset(40)) == (LeaderEpoch.unknown, Offset.unknown))
        #expect(LeaderEpochCache().endOffset(forEpoch: LeaderEpoch(1), logEndOffset: Offset(5)) == (LeaderEpoch.unknown, Offset.unknown))
    }

    @Test func assignIgnoresRepeatsAndRemovesConflicts() {
        var cache = cache()
        let repeated = cache.assign(epoch: LeaderEpoch(4), startOffset: Offset(30))
        #expect(!repeated)
        let newer = cache.assign(epoch: LeaderEpoch(5), startOffset: Offset(30))
        #expect(newer)
        let conflicting = cache.assign(epoch: LeaderEpoch(6), startOffset: Offset(20))
        #expect(conflicting)
        #expect(cache.entries.map(\.epoch) == [LeaderEpoch(1), LeaderEpoch(3), LeaderEpoch(6)])
    }

    @Test func truncationFromBothEnds() {
        var cache = cache()
        cache.truncateFromEnd(Offset(25))
        #expect(cache.latestEpoch == LeaderEpoch(3))
        cache.truncateFromStart(Offset(12))
        #expect(cache.entries == [EpochEntry(epoch: LeaderEpoch(3), startOffset: Offset(12))])
        #expect(cache.epoch(containing: Offset(20)) == LeaderEpoch(3))
        #expect(cache.epoch(containing: Offset(5)) == nil)
    }
}
