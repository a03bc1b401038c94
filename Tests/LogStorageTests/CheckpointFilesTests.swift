import BrokerCore
import BrokerTestSupport
import SystemPackage
import Testing

@testable import LogStorage

@Suite struct CheckpointFilesTests {
    let fileSystem = FaultInjectingFileSystem()

    @Test func offsetCheckpointRoundTripsInKafkasFormat() throws {
        try fileSystem.createDirectory(FilePath("/d"))
        let file = OffsetCheckpointFile(path: FilePath("/d/recovery-point-offset-checkpoint"), fileSystem: fileSystem)
        #expect(try file.read().isEmpty)
        try file.write([TopicPartition("b", 1): Offset(7), TopicPartition("a", 0): Offset(42)])
        #expect(String(decoding: fileSystem.contents(of: file.path)!, as: UTF8.self) == "0\n2\na 0 42\nb 1 7\n")
        #expect(try file.read() == [TopicPartition("b", 1): Offset(7), TopicPartition("a", 0): Offset(42)])
        #expect(!fileSystem.exists(FilePath("/d/recovery-point-offset-checkpoint.tmp")))
    }

    @Test func malformedCheckpointsAreErrors() throws {
        try fileSystem.createDirectory(FilePath("/d"))
        let path = FilePath("/d/cp")
        for text in ["1\n0\n", "0\n2\na 0 1\n", "0\n1\na x 1\n", ""] {
            fileSystem.setContents(of: path, to: Array(text.utf8))
            #expect(throws: LogError.self) { try OffsetCheckpointFile(path: path, fileSystem: fileSystem).read() }
        }
    }

    @Test func leaderEpochCheckpointRoundTrips() throws {
        try fileSystem.createDirectory(FilePath("/d"))
        let file = LeaderEpochCheckpointFile(path: FilePath("/d/leader-epoch-checkpoint"), fileSystem: fileSystem)
        let entries = [EpochEntry(epoch: LeaderEpoch(0), startOffset: Offset(0)), EpochEntry(epoch: LeaderEpoch(2), startOffset: Offset(99))]
        try file.write(entries)
        #expect(String(decoding: fileSystem.contents(of: file.path)!, as: UTF8.self) == "0\n2\n0 0\n2 99\n")
        #expect(try file.read() == entries)
    }

    @Test func fileNames() {
        #expect(LogFileNames.baseOffset(ofFileNamed: "00000000000000000042.log", suffix: "log") == Offset(42))
        #expect(LogFileNames.baseOffset(ofFileNamed: "42.log", suffix: "log") == nil)
        #expect(LogFileNames.baseOffset(ofFileNamed: "00000000000000000042.index", suffix: "log") == nil)
        #expect(LogFileNames.topicPartition(fromDirectoryName: "my-topic-12") == TopicPartition("my-topic", 12))
        #expect(LogFileNames.topicPartition(fromDirectoryName: "nodash") == nil)
    }
}
