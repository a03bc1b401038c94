import BrokerCore
import BrokerTestSupport
import KafkaRecords
import SystemPackage
import Testing

@testable import LogStorage

@Suite struct LogManagerTests {
    let fileSystem = FaultInjectingFileSystem()
    let clock = ManualTimeSource()
    let dirs = [FilePath("/disk1/kafka"), FilePath("/disk2/kafka")]

    func manager(config: LogConfig = LogFixture.smallConfig) throws -> LogManager {
        try LogManager(dirs: dirs, config: config, fileSystem: fileSystem, clock: clock)
    }

    @Test func placesNewPartitionsInTheLeastLoadedDir() throws {
        let manager = try manager()
        for partition in 0..<5 { _ = try manager.getOrCreateLog(TopicPartition("t", Int32(partition))) }
        let placement = (0..<5).map { manager.directory(of: TopicPartition("t", Int32($0))) }
        #expect(placement == [dirs[0], dirs[1], dirs[0], dirs[1], dirs[0]])
        #expect(fileSystem.isDirectory(dirs[1].appending("t-1")))
        let again = try manager.getOrCreateLog(TopicPartition("t", 1))
        #expect(again === manager.log(for: TopicPartition("t", 1)))
    }

    @Test func checkpointsUseKafkasTextFormat() throws {
        let manager = try manager()
        let log = try manager.getOrCreateLog(TopicPartition("orders", 3))
        try log.append(records: TestBatches.make(count: 4), leaderEpoch: LeaderEpoch(1))
        log.updateHighWatermark(Offset(4))
        try log.flush()
        try manager.checkpoint()
        let text = { (name: String) in String(decoding: self.fileSystem.contents(of: self.dirs[0].appending(name)) ?? [], as: UTF8.self) }
        #expect(text("recovery-point-offset-checkpoint") == "0\n1\norders 3 4\n")
        #expect(text("replication-offset-checkpoint") == "0\n1\norders 3 4\n")
        #expect(text("log-start-offset-checkpoint") == "0\n1\norders 3 0\n")
        #expect(text("orders-3/leader-epoch-checkpoint") == "0\n1\n1 0\n")
        #expect(String(decoding: fileSystem.contents(of: dirs[1].appending("replication-offset-checkpoint")) ?? [], as: UTF8.self) == "0\n0\n")
    }

    @Test func cleanShutdownSkipsRecoveryAndRestoresOffsets() throws {
        let first = try manager()
        let log = try first.getOrCreateLog(TopicPartition("a", 0))
        for index in 0..<20 { try log.append(records: TestBatches.make(count: 3, tag: index), leaderEpoch: LeaderEpoch(2)) }
        log.updateHighWatermark(Offset(50))
        try first.shutdown()
        #expect(fileSystem.exists(dirs[0].appending(".kafka_cleanshutdown")))
        fileSystem.crash()
        let second = try manager()
        #expect(!fileSystem.exists(dirs[0].appending(".kafka_cleanshutdown")))
        let reopened = try #require(second.log(for: TopicPartition("a", 0)))
        #expect(reopened.recoveryReport.cleanShutdown)
        #expect(reopened.recoveryReport.recoveredSegments.isEmpty)
        #expect(reopened.logEndOffset == Offset(60))
        #expect(reopened.highWatermark == Offset(50))
    }

    @Test func uncleanStartRecoversFromTheCheckpointedRecoveryPoint() throws {
        let first = try manager()
        let log = try first.getOrCreateLog(TopicPartition("a", 0))
        for index in 0..<40 { try log.append(records: TestBatches.make(count: 3, tag: index, valueSize: 40), leaderEpoch: .zeroEpoch) }
        try first.checkpoint()
        let recoveryPoint = log.recoveryPoint
        #expect(recoveryPoint > .zero)
        fileSystem.crash()
        let second = try manager()
        let reopened = try #require(second.log(for: TopicPartition("a", 0)))
        #expect(!reopened.recoveryReport.cleanShutdown)
        #expect(reopened.recoveryReport.recoveredSegments == reopened.segmentBaseOffsets.filter { $0 >= recoveryPoint })
        #expect(reopened.logEndOffset == Offset(120))
        #expect(reopened.recoveryPoint == Offset(120))
    }

    @Test func deleteRemovesTheDirectoryAndClosesTheLog() throws {
        let manager = try manager()
        let partition = TopicPartition("gone", 0)
        let log = try manager.getOrCreateLog(partition)
        try log.append(records: TestBatches.make(count: 2), leaderEpoch: .zeroEpoch)
        let slice = try log.read(from: .zero, maxBytes: 1000)
        try manager.deleteLog(partition)
        #expect(manager.log(for: partition) == nil)
        #expect(!fileSystem.exists(dirs[0].appending("gone-0")))
        #expect(try fileSystem.contentsOfDirectory(dirs[0]).allSatisfy { !$0.hasPrefix("gone-0") })
        #expect(throws: LogError.closed) { try log.append(records: TestBatches.make(count: 1), leaderEpoch: .zeroEpoch) }
        // A read handed out before the deletion still has its bytes (in-memory files keep them too).
        #expect(try slice.readBytes().readableBytes > 0)
    }

    @Test func samePartitionInTwoDirsIsRejected() throws {
        try fileSystem.createDirectory(dirs[0].appending("dup-0"))
        try fileSystem.createDirectory(dirs[1].appending("dup-0"))
        #expect(throws: LogError.self) { try manager() }
    }

    @Test func leftoverDeleteDirectoriesAreRemovedOnStart() throws {
        try fileSystem.createDirectory(dirs[0].appending("old-0.123-delete"))
        _ = try manager()
        #expect(!fileSystem.exists(dirs[0].appending("old-0.123-delete")))
    }

    @Test func retentionAcrossAllLogs() throws {
        var config = LogFixture.smallConfig
        config.retentionBytes = 0
        let manager = try manager(config: config)
        let log = try manager.getOrCreateLog(TopicPartition("r", 0))
        for index in 0..<20 { try log.append(records: TestBatches.make(count: 4, tag: index, valueSize: 100), leaderEpoch: .zeroEpoch) }
        log.updateHighWatermark(log.logEndOffset)
        let results = try manager.applyRetention()
        #expect(results[TopicPartition("r", 0)]?.deletedSegments ?? 0 > 0)
    }
}
