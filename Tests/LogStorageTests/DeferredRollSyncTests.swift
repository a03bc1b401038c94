import BrokerCore
import BrokerTestSupport
import KafkaRecords
import Synchronization
import Testing

@testable import LogStorage

/// A scheduler that keeps jobs until the test runs them.
final class ManualSegmentSyncer: SegmentSyncScheduler {
    private let jobs = Mutex<[@Sendable () -> Void]>([])

    func schedule(_ job: @escaping @Sendable () -> Void) {
        jobs.withLock { $0.append(job) }
    }

    var count: Int { jobs.withLock { $0.count } }

    /// Runs the queued jobs in order; returns how many ran.
    @discardableResult
    func runAll() -> Int {
        let queued = jobs.withLock { jobs in
            defer { jobs.removeAll() }
            return jobs
        }
        for job in queued { job() }
        return queued.count
    }
}

/// A roll leaves the sealed segment's fsync to the `SegmentSyncScheduler`; the recovery point
/// moves only once that sync (and every earlier one) has happened.
@Suite struct DeferredRollSyncTests {
    private func fill(_ log: PartitionLog, batches: Int, from tag: Int = 0) throws {
        for index in 0..<batches {
            try log.append(records: TestBatches.make(count: 4, tag: tag + index, valueSize: 100), leaderEpoch: .zeroEpoch)
        }
    }

    @Test func rollSchedulesTheSyncInsteadOfDoingIt() throws {
        let fixture = LogFixture()
        let syncer = ManualSegmentSyncer()
        let log = try fixture.open(segmentSyncer: syncer)
        // The first append persists the leader-epoch checkpoint (its own small fsync).
        try fill(log, batches: 1)
        let syncsBefore = fixture.fileSystem.syncCount
        try fill(log, batches: 29, from: 1)
        let bases = log.segmentBaseOffsets
        try #require(bases.count >= 3)
        // No fsync in the appends, and the recovery point has not moved.
        #expect(fixture.fileSystem.syncCount == syncsBefore)
        #expect(log.recoveryPoint == .zero)
        #expect(syncer.count == bases.count - 1)
        // The background jobs sync each sealed segment (log + two indexes) and move the point.
        #expect(syncer.runAll() == bases.count - 1)
        #expect(fixture.fileSystem.syncCount == syncsBefore + 3 * (bases.count - 1))
        #expect(log.recoveryPoint == bases.last)
    }

    @Test func whatTheRecoveryPointCoversSurvivesAnOSCrash() throws {
        let fixture = LogFixture()
        let syncer = ManualSegmentSyncer()
        let log = try fixture.open(segmentSyncer: syncer)
        try fill(log, batches: 30)
        // Before the jobs run nothing is claimed durable beyond what was.
        #expect(log.recoveryPoint == .zero)
        syncer.runAll()
        let durable = log.recoveryPoint
        try #require(durable > .zero)
        // More appends (and maybe another roll whose job never runs), then the OS crashes.
        try fill(log, batches: 10, from: 30)
        fixture.fileSystem.crash(losingUnsyncedData: true)
        let reopened = try fixture.open(clean: false, recoveryPoint: durable)
        let offsets = try reopened.allRecords().map(\.0)
        #expect(reopened.logEndOffset >= durable)
        #expect(Array(offsets.prefix(Int(durable.rawValue))) == (0..<durable.rawValue).map { Offset($0) })
    }

    @Test func flushSyncsSegmentsStillWaitingAndLaterJobsChangeNothing() throws {
        let fixture = LogFixture()
        let syncer = ManualSegmentSyncer()
        let log = try fixture.open(segmentSyncer: syncer)
        try fill(log, batches: 30)
        try log.flush()
        #expect(log.recoveryPoint == log.logEndOffset)
        // The flushed data survives an OS crash.
        let end = log.logEndOffset
        syncer.runAll()
        #expect(log.recoveryPoint == end)
        fixture.fileSystem.crash(losingUnsyncedData: true)
        let reopened = try fixture.open(clean: false, recoveryPoint: end)
        #expect(reopened.logEndOffset == end)
    }

    @Test func closeSyncsSegmentsStillWaiting() throws {
        let fixture = LogFixture()
        let syncer = ManualSegmentSyncer()
        let log = try fixture.open(segmentSyncer: syncer)
        try fill(log, batches: 30)
        let end = log.logEndOffset
        try log.close()
        fixture.fileSystem.crash(losingUnsyncedData: true)
        let reopened = try fixture.open(clean: true)
        #expect(reopened.logEndOffset == end)
        #expect(try reopened.allRecords().count == Int(end.rawValue))
    }

    @Test func truncationForgetsSyncsOfSegmentsItCut() throws {
        let fixture = LogFixture()
        let syncer = ManualSegmentSyncer()
        let log = try fixture.open(segmentSyncer: syncer)
        try fill(log, batches: 30)
        let bases = log.segmentBaseOffsets
        try #require(bases.count >= 3)
        // Cut inside the second segment: its pending sync (and later ones) no longer apply.
        let target = bases[1] + 2
        try log.truncate(to: target)
        syncer.runAll()
        #expect(log.recoveryPoint <= log.logEndOffset)
        #expect(log.recoveryPoint == bases[1])
    }

    @Test func aFailedBackgroundSyncHoldsTheRecoveryPointAndFlushReportsIt() throws {
        let fixture = LogFixture()
        let syncer = ManualSegmentSyncer()
        let log = try fixture.open(segmentSyncer: syncer)
        fixture.fileSystem.failSyncs(ofPathEndingWith: ".log")
        try fill(log, batches: 30)
        syncer.runAll()
        #expect(log.recoveryPoint == .zero)
        #expect(throws: LogError.self) { try log.flush() }
        fixture.fileSystem.failSyncs(ofPathEndingWith: nil)
        try log.flush()
        #expect(log.recoveryPoint == log.logEndOffset)
    }

    @Test func aFailedEarlierSyncHoldsThePointAgainstLaterSuccesses() throws {
        let fixture = LogFixture()
        let syncer = ManualSegmentSyncer()
        let log = try fixture.open(segmentSyncer: syncer)
        fixture.fileSystem.failSyncs(ofPathEndingWith: "00000000000000000000.log")
        try fill(log, batches: 30)
        let bases = log.segmentBaseOffsets
        try #require(bases.count >= 3)
        // The first segment's sync fails, the later ones succeed: nothing is durable in order yet.
        syncer.runAll()
        #expect(log.recoveryPoint == .zero)
    }

    @Test func backgroundSyncerRunsTheJobsOnItsQueue() throws {
        let fixture = LogFixture()
        let syncer = BackgroundSegmentSyncer()
        let log = try fixture.open(segmentSyncer: syncer)
        try fill(log, batches: 30)
        syncer.drain()
        #expect(log.segmentBaseOffsets.count >= 3)
        #expect(log.recoveryPoint == log.segmentBaseOffsets.last)
    }
}
