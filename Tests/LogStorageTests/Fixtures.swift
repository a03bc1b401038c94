import BrokerCore
import BrokerTestSupport
import KafkaRecords
import NIOCore
import SystemPackage

@testable import LogStorage

/// Deterministic pseudo-random numbers (SplitMix64) for reproducible tests.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A partition log on the fault-injecting in-memory file system, with a manual clock.
struct LogFixture {
    let fileSystem = FaultInjectingFileSystem()
    let clock = ManualTimeSource(startMilliseconds: 1_700_000_000_000)
    let partition = TopicPartition("events", 0)
    let directory = FilePath("/data/events-0")
    var config: LogConfig

    init(config: LogConfig = LogFixture.smallConfig) { self.config = config }

    /// Small segments and indexes so tests exercise rolls and index lookups cheaply.
    static let smallConfig = LogConfig(
        segmentBytes: 4096, retentionMs: -1, indexIntervalBytes: 256, segmentIndexBytes: 4096)

    func open(
        clean: Bool = true, recoveryPoint: Offset? = nil, logStartOffset: Offset? = nil,
        segmentSyncer: (any SegmentSyncScheduler)? = nil
    ) throws -> PartitionLog {
        try PartitionLog.open(
            topicPartition: partition, directory: directory, config: config, fileSystem: fileSystem, clock: clock,
            cleanShutdown: clean, recoveryPoint: recoveryPoint, logStartOffset: logStartOffset,
            segmentSyncer: segmentSyncer)
    }

    func segmentPath(_ base: Int64, _ suffix: String = "log") -> FilePath {
        LogFileNames.segmentFile(in: directory, base: Offset(base), suffix: suffix)
    }
}

enum TestBatches {
    /// An uncompressed batch of `count` records with values "v<tag>-<i>" (or `valueSize` bytes).
    static func make(
        count: Int, tag: Int = 0, timestamp: Int64 = 1_700_000_000_000, valueSize: Int? = nil,
        producerID: ProducerID = .none, baseSequence: Int32 = -1
    ) -> ByteBuffer {
        var builder = RecordBatchBuilder(
            producerID: producerID, producerEpoch: producerID == .none ? .none : ProducerEpoch(0), baseSequence: baseSequence)
        for index in 0..<count {
            let value: [UInt8] = valueSize.map { [UInt8](repeating: UInt8(truncatingIfNeeded: tag &+ index), count: $0) }
                ?? Array("v\(tag)-\(index)".utf8)
            builder.append(key: Array("k\(index)".utf8), value: value, timestamp: timestamp + Int64(index))
        }
        return builder.build()
    }

    /// A batch marked compressed whose payload is opaque bytes (storage must not look inside).
    static func compressed(count: Int, timestamp: Int64 = 1_700_000_000_000, payload: [UInt8] = [0xCA, 0xFE, 0xBA, 0xBE]) -> ByteBuffer {
        RecordBatchBuilder.assemble(
            baseOffset: .zero, partitionLeaderEpoch: .unknown, attributes: RecordBatchAttributes(compression: .zstd),
            lastOffsetDelta: Int32(count - 1), baseTimestamp: timestamp, maxTimestamp: timestamp + Int64(count - 1),
            recordsCount: Int32(count), payload: ByteBuffer(bytes: payload))
    }

    static func concat(_ batches: [ByteBuffer]) -> ByteBuffer {
        var all = ByteBuffer()
        for var batch in batches { all.writeBuffer(&batch) }
        return all
    }
}

extension PartitionLog {
    /// Every record from the log start to the log end as (offset, value) pairs, reading through
    /// the public read API (which also CRC-checks unverified data).
    func allRecords() throws -> [(Offset, [UInt8])] {
        var result: [(Offset, [UInt8])] = []
        var offset = logStartOffset
        while offset < logEndOffset {
            let read = try read(from: offset, maxBytes: 1 << 20)
            guard let next = read.nextFetchOffset else { break }
            let bytes = try read.readBytes()
            var iterator = RecordBatchIterator(bytes)
            while let batch = try iterator.next() {
                var decoder = try RecordDecoder(batchIn: bytes, at: batch.index)
                while let record = try decoder.next() {
                    let recordOffset = record.offset(in: batch.header)
                    if recordOffset >= offset {
                        result.append((recordOffset, record.value.map { Array($0.readableBytesView) } ?? []))
                    }
                }
            }
            offset = next
        }
        return result
    }

    /// All batch headers from the start.
    func headers() throws -> [RecordBatchHeader] {
        var headers: [RecordBatchHeader] = []
        try forEachBatch(from: logStartOffset) { headers.append($0); return true }
        return headers
    }
}
