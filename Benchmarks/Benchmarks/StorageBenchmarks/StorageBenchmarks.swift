// Storage engine benchmarks (release mode). See docs/performance.md for how to run and the
// figures measured on the project machine.
import Benchmark
import BrokerCore
import KafkaRecords
import LogStorage
import Logging
import NIOCore
import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// Shared state built by each benchmark's setup hook (benchmarks run one at a time).
nonisolated(unsafe) var fixtures: [String: BenchFixture] = [:]

/// A partition log in a fresh temporary directory on the real disk.
final class BenchFixture {
    let root: FilePath
    var log: PartitionLog
    var batch = ByteBuffer()
    var offsets: [Offset] = []
    var timestamps: [Int64] = []
    var cursor = 0

    init(config: LogConfig) throws {
        var template = Array("/tmp/martlet-bench-XXXXXX".utf8CString)
        let path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
        root = FilePath(path)
        log = try PartitionLog.open(
            topicPartition: TopicPartition("bench", 0), directory: root.appending("bench-0"), config: config,
            fileSystem: PosixFileSystem(), clock: SystemTimeSource(), logger: quietLogger, cleanShutdown: true)
    }

    func remove() { try? PosixFileSystem().remove(root) }
}

let quietLogger: Logger = {
    var logger = Logger(label: "martlet.bench")
    logger.logLevel = .error
    return logger
}()

/// An uncompressed batch of about `bytes` bytes made of 1 KiB records (smaller for small batches).
func makeBatch(bytes: Int, timestamp: Int64) -> ByteBuffer {
    let recordSize = min(1024, bytes / 16)
    var builder = RecordBatchBuilder()
    let value = [UInt8](repeating: 0x5A, count: recordSize - 16)
    for index in 0..<max(1, bytes / recordSize) {
        builder.append(key: nil as [UInt8]?, value: value, timestamp: timestamp + Int64(index))
    }
    return builder.build()
}

/// Appends `count` batches of `bytes` bytes, `perAppend` batches per append call.
func fill(_ log: PartitionLog, bytes: Int, count: Int, perAppend: Int = 1, timestamp: Int64 = 1_700_000_000_000) throws {
    var written = 0
    while written < count {
        var group = ByteBuffer()
        for index in 0..<min(perAppend, count - written) {
            var batch = makeBatch(bytes: bytes, timestamp: timestamp + Int64((written + index) * 1000))
            group.writeBuffer(&batch)
        }
        written += perAppend
        try log.append(records: group, leaderEpoch: LeaderEpoch(0))
    }
}

func appendBenchmark(_ name: String, batchBytes: Int, maxIterations: Int) {
    Benchmark(
        name,
        configuration: .init(metrics: [.wallClock, .throughput], warmupIterations: 5, maxDuration: .seconds(10), maxIterations: maxIterations),
        closure: { benchmark in
            let fixture = fixtures[name]!
            for _ in benchmark.scaledIterations {
                blackHole(try fixture.log.append(records: fixture.batch, leaderEpoch: LeaderEpoch(0)))
            }
        },
        setup: {
            let fixture = try BenchFixture(config: LogConfig(segmentBytes: 1 << 30, retentionMs: -1))
            fixture.batch = makeBatch(bytes: batchBytes, timestamp: 1_700_000_000_000)
            fixtures[name] = fixture
        },
        teardown: {
            fixtures.removeValue(forKey: name)?.remove()
        })
}

let benchmarks: @Sendable () -> Void = {
    appendBenchmark("Append 1 MiB batches (no fsync)", batchBytes: 1 << 20, maxIterations: 900)
    appendBenchmark("Append 16 KiB batches (no fsync)", batchBytes: 16 << 10, maxIterations: 40_000)

    let readName = "Read a whole 64 MiB segment as a file slice (zero-copy)"
    Benchmark(
        readName,
        configuration: .init(metrics: [.wallClock], warmupIterations: 3, maxDuration: .seconds(5), maxIterations: 2_000),
        closure: { benchmark in
            let fixture = fixtures[readName]!
            for _ in benchmark.scaledIterations {
                blackHole(try fixture.log.read(from: .zero, maxBytes: 64 << 20).records)
            }
        },
        setup: {
            let fixture = try BenchFixture(config: LogConfig(segmentBytes: 1 << 30, retentionMs: -1))
            try fill(fixture.log, bytes: 1 << 20, count: 64)
            fixtures[readName] = fixture
        },
        teardown: { fixtures.removeValue(forKey: readName)?.remove() })

    let readBytesName = "Read a whole 64 MiB segment into memory"
    Benchmark(
        readBytesName,
        configuration: .init(metrics: [.wallClock, .throughput], warmupIterations: 3, maxDuration: .seconds(5), maxIterations: 200),
        closure: { benchmark in
            let fixture = fixtures[readBytesName]!
            for _ in benchmark.scaledIterations {
                blackHole(try fixture.log.read(from: .zero, maxBytes: 64 << 20).readBytes())
            }
        },
        setup: {
            let fixture = try BenchFixture(config: LogConfig(segmentBytes: 1 << 30, retentionMs: -1))
            try fill(fixture.log, bytes: 1 << 20, count: 64)
            fixtures[readBytesName] = fixture
        },
        teardown: { fixtures.removeValue(forKey: readBytesName)?.remove() })

    /// 128 MiB of 1 KiB batches: 32 Ki offset-index entries in one segment.
    func lookupSetup(_ name: String) throws {
        let fixture = try BenchFixture(config: LogConfig(segmentBytes: 1 << 30, retentionMs: -1))
        try fill(fixture.log, bytes: 1024, count: 128 * 1024, perAppend: 512)
        var generator = SystemRandomNumberGenerator()
        let end = fixture.log.logEndOffset.rawValue
        fixture.offsets = (0..<4096).map { _ in Offset(Int64.random(in: 0..<end, using: &generator)) }
        fixture.timestamps = (0..<4096).map { _ in 1_700_000_000_000 + Int64.random(in: 0..<(128 * 1024 * 1000), using: &generator) }
        fixtures[name] = fixture
    }

    let offsetLookupName = "Offset index lookup"
    Benchmark(
        offsetLookupName,
        configuration: .init(metrics: [.wallClock], warmupIterations: 10, scalingFactor: .kilo, maxDuration: .seconds(3)),
        closure: { benchmark in
            let fixture = fixtures[offsetLookupName]!
            for _ in benchmark.scaledIterations {
                fixture.cursor = (fixture.cursor + 1) & 4095
                blackHole(fixture.log.indexLookup(fixture.offsets[fixture.cursor]))
            }
        },
        setup: { try lookupSetup(offsetLookupName) },
        teardown: { fixtures.removeValue(forKey: offsetLookupName)?.remove() })

    let timeLookupName = "Time index lookup"
    Benchmark(
        timeLookupName,
        configuration: .init(metrics: [.wallClock], warmupIterations: 10, scalingFactor: .kilo, maxDuration: .seconds(3)),
        closure: { benchmark in
            let fixture = fixtures[timeLookupName]!
            for _ in benchmark.scaledIterations {
                fixture.cursor = (fixture.cursor + 1) & 4095
                blackHole(fixture.log.timeIndexLookup(fixture.timestamps[fixture.cursor]))
            }
        },
        setup: { try lookupSetup(timeLookupName) },
        teardown: { fixtures.removeValue(forKey: timeLookupName)?.remove() })

    let fetchLookupName = "Fetch position of an offset (index + batch header scan)"
    Benchmark(
        fetchLookupName,
        configuration: .init(metrics: [.wallClock], warmupIterations: 10, maxDuration: .seconds(3)),
        closure: { benchmark in
            let fixture = fixtures[fetchLookupName]!
            for _ in benchmark.scaledIterations {
                fixture.cursor = (fixture.cursor + 1) & 4095
                blackHole(try fixture.log.read(from: fixture.offsets[fixture.cursor], maxBytes: 1).records)
            }
        },
        setup: { try lookupSetup(fetchLookupName) },
        teardown: { fixtures.removeValue(forKey: fetchLookupName)?.remove() })

    let timestampName = "ListOffsets by timestamp (time index + record search)"
    Benchmark(
        timestampName,
        configuration: .init(metrics: [.wallClock], warmupIterations: 10, maxDuration: .seconds(3)),
        closure: { benchmark in
            let fixture = fixtures[timestampName]!
            for _ in benchmark.scaledIterations {
                fixture.cursor = (fixture.cursor + 1) & 4095
                blackHole(try fixture.log.offset(forTimestamp: fixture.timestamps[fixture.cursor]))
            }
        },
        setup: { try lookupSetup(timestampName) },
        teardown: { fixtures.removeValue(forKey: timestampName)?.remove() })

    let recoveryName = "Recover a 1 GiB unclean log"
    Benchmark(
        recoveryName,
        configuration: .init(metrics: [.wallClock], warmupIterations: 1, maxDuration: .seconds(20), maxIterations: 5),
        closure: { benchmark in
            let fixture = fixtures[recoveryName]!
            let log = try PartitionLog.open(
                topicPartition: TopicPartition("bench", 0), directory: fixture.root.appending("bench-0"),
                config: LogConfig(segmentBytes: 1 << 30, retentionMs: -1), fileSystem: PosixFileSystem(),
                clock: SystemTimeSource(), logger: quietLogger, cleanShutdown: false, recoveryPoint: .zero)
            precondition(log.recoveryReport.recoveredSegments.count == 1 && log.logEndOffset.rawValue == 1024 * 1024)
            blackHole(log)
        },
        setup: {
            let fixture = try BenchFixture(config: LogConfig(segmentBytes: 1 << 30, retentionMs: -1))
            try fill(fixture.log, bytes: 1 << 20, count: 1024)
            precondition(fixture.log.segmentCount == 1, "expected one 1 GiB segment")
            fixtures[recoveryName] = fixture
        },
        teardown: { fixtures.removeValue(forKey: recoveryName)?.remove() })
}
