import BrokerCore
import BrokerTestSupport
import KafkaRecords
import NIOCore
import SystemPackage
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import LogStorage

/// The same engine on the real disk (a temporary directory, removed afterwards).
@Suite struct PosixFileSystemTests {
    func withTemporaryDirectory(_ body: (FilePath) throws -> Void) throws {
        var template = Array("/tmp/martlet-storage-XXXXXX".utf8CString)
        let path = template.withUnsafeMutableBufferPointer { buffer in String(cString: mkdtemp(buffer.baseAddress!)) }
        defer { try? PosixFileSystem().remove(FilePath(path)) }
        try body(FilePath(path))
    }

    @Test func appendReadShutdownAndReopen() throws {
        try withTemporaryDirectory { root in
            let clock = ManualTimeSource()
            let config = LogConfig(segmentBytes: 4096, retentionMs: -1, indexIntervalBytes: 512, segmentIndexBytes: 8192)
            let dirs = [root.appending("a"), root.appending("b")]
            let manager = try LogManager(dirs: dirs, config: config, clock: clock)
            let log = try manager.getOrCreateLog(TopicPartition("disk", 0))
            for index in 0..<50 { try log.append(records: TestBatches.make(count: 4, tag: index, valueSize: 50), leaderEpoch: LeaderEpoch(1)) }
            #expect(log.segmentCount > 2)
            // The active index is preallocated; sealed ones are trimmed.
            let active = LogFileNames.segmentFile(in: log.directory, base: log.segmentBaseOffsets.last!, suffix: "index")
            var info = stat()
            #expect(stat(active.string, &info) == 0 && info.st_size == 8192)
            let result = try log.read(from: Offset(17), maxBytes: 1)
            #expect(result.records?.file.descriptor != nil)
            let region = try #require(try result.records?.makeFileRegion())
            #expect(region.readableBytes == result.sizeInBytes)
            try region.fileHandle.close()
            let records = try log.allRecords()
            #expect(records.count == 200)
            try manager.shutdown()
            #expect(stat(active.string, &info) == 0 && info.st_size < 8192 && info.st_size % 8 == 0)

            let again = try LogManager(dirs: dirs, config: config, clock: clock)
            let reopened = try #require(again.log(for: TopicPartition("disk", 0)))
            #expect(reopened.recoveryReport.cleanShutdown)
            #expect(try reopened.allRecords().map(\.1) == records.map(\.1))
            try reopened.append(records: TestBatches.make(count: 1), leaderEpoch: LeaderEpoch(2))
            #expect(reopened.logEndOffset == Offset(201))
        }
    }

    @Test func uncleanRestartTruncatesAGarbageTailOnDisk() throws {
        try withTemporaryDirectory { root in
            let config = LogConfig(segmentBytes: 1 << 20, retentionMs: -1)
            let manager = try LogManager(dirs: [root], config: config)
            let log = try manager.getOrCreateLog(TopicPartition("crash", 0))
            for index in 0..<10 { try log.append(records: TestBatches.make(count: 2, tag: index), leaderEpoch: .zeroEpoch) }
            let file = LogFileNames.segmentFile(in: log.directory, base: .zero, suffix: "log")
            // Half a batch and then zeros, as a crash with a preallocating file system leaves it.
            let partial = TestBatches.make(count: 2, tag: 99)
            let handle = try PosixFileSystem().openFile(file, create: false)
            try partial.withUnsafeReadableBytes { try handle.append(UnsafeRawBufferPointer(rebasing: $0[..<40])) }
            try [UInt8](repeating: 0, count: 4096).withUnsafeBytes { try handle.append($0) }
            // No shutdown: the marker is absent, so the next start recovers.
            let again = try LogManager(dirs: [root], config: config)
            let reopened = try #require(again.log(for: TopicPartition("crash", 0)))
            #expect(reopened.recoveryReport.truncation?.bytesDropped == 4136)
            #expect(reopened.logEndOffset == Offset(20))
            #expect(try reopened.allRecords().count == 20)
        }
    }

    @Test func aSliceSurvivesRetentionDeletingItsSegment() throws {
        try withTemporaryDirectory { root in
            let config = LogConfig(segmentBytes: 4096, retentionMs: -1, retentionBytes: 0)
            let manager = try LogManager(dirs: [root], config: config)
            let log = try manager.getOrCreateLog(TopicPartition("ret", 0))
            for index in 0..<30 { try log.append(records: TestBatches.make(count: 4, tag: index, valueSize: 100), leaderEpoch: .zeroEpoch) }
            let slice = try #require(try log.read(from: .zero, maxBytes: 1 << 20).records)
            let expected = try slice.readBytes()
            log.updateHighWatermark(log.logEndOffset)
            #expect(try log.applyRetention().deletedSegments > 0)
            #expect(!PosixFileSystem().exists(LogFileNames.segmentFile(in: log.directory, base: .zero, suffix: "log")))
            #expect(try slice.readBytes() == expected)
        }
    }
}
