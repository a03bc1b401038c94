import BrokerAPI
import BrokerCore
import BrokerTestSupport
import Foundation
import KafkaProtocol
import KafkaRecords
import LogStorage
import NIOCore
import NIOEmbedded
import Replication

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The data path of one broker (broker 1) in process: a real ``ReplicaManager`` over real
/// partition logs (in memory, or segment files in a temp dir), one embedded event loop, a manual
/// clock, and a registry with the Produce, Fetch, ListOffsets and OffsetForLeaderEpoch handlers.
/// Requests go through ``HandlerRegistry/dispatch(body:context:)`` exactly as the server sends
/// them. Nothing runs until the test runs the loop (``settle()``) or moves time (``advance(ms:)``).
final class DataPathFixture {
    enum Storage {
        /// `FaultInjectingFileSystem`: files without descriptors, so fetches answer with bytes.
        case inMemory
        /// `PosixFileSystem` in a temp dir: fetches answer with file regions (zero copy).
        case files
    }

    static let local = BrokerID(1)
    let loop = EmbeddedEventLoop()
    let clock = ManualTimeSource()
    let logManager: LogManager
    let replicaManager: ReplicaManager
    let metadata: MetadataCache
    let registry: HandlerRegistry
    private let temporaryDirectory: URL?

    init(storage: Storage = .inMemory, minInSyncReplicas: Int = 1, config: LogConfig = LogConfig(retentionMs: -1, segmentIndexBytes: 64 * 1024))
        throws
    {
        switch storage {
        case .inMemory:
            logManager = try InMemoryLogManager.make(fileSystem: FaultInjectingFileSystem(), clock: clock, config: config)
            temporaryDirectory = nil
        case .files:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("martlet-datapath-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            temporaryDirectory = directory
            logManager = try LogManager(dirs: [.init(directory.path)], config: config, clock: clock)
        }
        replicaManager = ReplicaManager(
            config: ReplicaManagerConfig(localBrokerID: Self.local), logManager: logManager, eventLoops: [loop], clock: clock)
        metadata = MetadataCache(ClusterMetadataImage(clusterID: "test-cluster", controllerID: Self.local, brokers: [:]))
        let minIsr = minInSyncReplicas
        registry = HandlerRegistry(handlers: [
            ProduceHandler(replicaManager: replicaManager, metadataCache: metadata, minInSyncReplicas: { _ in minIsr }),
            FetchHandler(replicaManager: replicaManager, metadataCache: metadata),
            ListOffsetsHandler(replicaManager: replicaManager, metadataCache: metadata),
            OffsetForLeaderEpochHandler(replicaManager: replicaManager, metadataCache: metadata),
        ])
    }

    deinit {
        try? logManager.shutdown()
        if let temporaryDirectory { try? FileManager.default.removeItem(at: temporaryDirectory) }
    }

    // MARK: Partitions

    /// Makes this broker leader of `partition` (LeaderAndIsr).
    func lead(_ partition: TopicPartition, replicas: [Int32] = [1], isr: [Int32]? = nil, epoch: Int32 = 0) throws {
        let state = LeaderAndIsrState(
            topicPartition: partition, leader: Self.local, leaderEpoch: LeaderEpoch(epoch),
            isr: (isr ?? replicas).map { BrokerID($0) }, partitionEpoch: epoch, replicas: replicas.map { BrokerID($0) })
        let outcome = try value(replicaManager.makeLeaders([state]))
        guard outcome[partition]?.errorCode == ErrorCode.none else { throw TestFailure("makeLeaders: \(outcome)") }
    }

    /// Makes broker `leader` leader of `partition`; this broker follows.
    func follow(_ partition: TopicPartition, leader: Int32 = 2, epoch: Int32 = 0) throws {
        let state = LeaderAndIsrState(
            topicPartition: partition, leader: BrokerID(leader), leaderEpoch: LeaderEpoch(epoch),
            isr: [BrokerID(leader), Self.local], partitionEpoch: epoch, replicas: [BrokerID(leader), Self.local])
        let outcome = try value(replicaManager.makeFollowers([state]))
        guard outcome[partition]?.errorCode == ErrorCode.none else { throw TestFailure("makeFollowers: \(outcome)") }
    }

    /// Lists `partition` in the cluster metadata (hosted here or not).
    func addToClusterMetadata(_ partition: TopicPartition, leader: Int32 = 2) {
        metadata.update { image in
            var topic = image.topics[partition.topic] ?? TopicImage(name: partition.topic, partitions: [])
            topic.partitions.append(
                PartitionImage(
                    index: partition.partition, leader: BrokerID(leader), leaderEpoch: LeaderEpoch(0),
                    replicas: [BrokerID(leader)], isr: [BrokerID(leader)]))
            image.topics[partition.topic] = topic
        }
    }

    // MARK: Requests

    /// Dispatches `request` as the server would, on the fixture's loop.
    func dispatch<R: KafkaRequest>(_ request: R, version: Int16, clientID: String? = "test-client") -> DispatchOutcome {
        var writer = MessageWriter()
        request.encode(to: &writer, version: version)
        var body = writer.finishAsByteBuffer() ?? ByteBuffer()
        let context = RequestContext(
            apiKey: R.apiKey, apiVersion: version, correlationID: 42, clientID: clientID, clientAddress: "127.0.0.1:1",
            listenerName: "PLAINTEXT", eventLoop: loop)
        return registry.dispatch(body: &body, context: context)
    }

    /// Dispatches `request` and returns its decoded response, running the loop until it is ready.
    func call<R: KafkaRequest>(_ request: R, version: Int16, clientID: String? = "test-client") throws -> R.Response {
        try response(to: dispatch(request, version: version, clientID: clientID), as: R.Response.self, version: version).response
    }

    /// The response an outcome carries (running the loop for `.later`), and whether its records
    /// came as file regions. Throws if there is none (yet).
    func response<Response: KafkaResponse>(to outcome: DispatchOutcome, as type: Response.Type, version: Int16) throws
        -> DecodedDataResponse<Response>
    {
        switch outcome {
        case .response(let encoded):
            return try decodeDataFrame(encoded, as: type, version: version)
        case .later(let future):
            guard let result = peek(future) else { throw TestFailure("the response is still pending") }
            return try decodeDataFrame(result.get(), as: type, version: version)
        default:
            throw TestFailure("expected a response, got \(outcome)")
        }
    }

    /// Produces `records` to one partition (v9, acks=1 unless told) and returns its answer.
    @discardableResult
    func produce(_ partition: TopicPartition, _ records: ByteBuffer, acks: Int16 = 1, version: Int16 = 9) throws
        -> ProduceResponse.PartitionProduceResponse
    {
        let response = try call(produceRequest(partition, records, acks: acks), version: version)
        guard let answer = response.responses.first?.partitionResponses.first else { throw TestFailure("no partition answer") }
        return answer
    }

    // MARK: Running the loop

    /// Runs every task queued on the loop until none is left.
    func settle() {
        for _ in 0..<10 { loop.run() }
    }

    /// Moves the clock and the loop's timers forward.
    func advance(ms: Int64) {
        clock.advance(milliseconds: ms)
        loop.advanceTime(by: .milliseconds(ms))
        settle()
    }

    /// The future's result after running the loop, or nil while it is pending.
    func peek<T: Sendable>(_ future: EventLoopFuture<T>) -> Result<T, any Error>? {
        settle()
        let box = ResultBox<T>()
        future.whenComplete { box.result = $0 }
        settle()
        return box.result
    }

    /// The future's value after running the loop; throws if it failed or is pending.
    func value<T: Sendable>(_ future: EventLoopFuture<T>) throws -> T {
        guard let result = peek(future) else { throw TestFailure("future has not completed") }
        return try result.get()
    }
}

/// Holds a future's result (set on the embedded loop, which runs on the test's thread).
final class ResultBox<T: Sendable>: @unchecked Sendable {
    var result: Result<T, any Error>?
}

/// A decoded response and how its records travelled.
struct DecodedDataResponse<Response: KafkaResponse> {
    var response: Response
    /// How many segments of the frame were file regions (zero-copy record data).
    var fileRegionCount: Int
}

/// Decodes a response frame whose segments may include file regions (read back with `pread`),
/// closing their handles as the server does after writing.
func decodeDataFrame<Response: KafkaResponse>(_ encoded: EncodedResponse, as: Response.Type, version: Int16) throws
    -> DecodedDataResponse<Response>
{
    defer { encoded.release() }
    var frame = ByteBuffer()
    var fileRegions = 0
    for segment in encoded.segments {
        switch segment {
        case .bytes(let bytes): frame.writeImmutableBuffer(bytes)
        case .file(let region):
            fileRegions += 1
            frame.writeBytes(try readRegion(region))
        }
    }
    guard let size = frame.readInteger(as: Int32.self), Int(size) == frame.readableBytes else {
        throw TestFailure("size field does not match the frame")
    }
    guard let apiKey = ApiKey(rawValue: Response.apiKey) else { throw TestFailure("unknown API key") }
    let header = try ResponseHeader(from: &frame, version: apiKey.responseHeaderVersion(version))
    guard header.correlationId == 42 else { throw TestFailure("correlation id \(header.correlationId)") }
    let response = try Response(from: &frame, version: version)
    guard frame.readableBytes == 0 else { throw TestFailure("\(frame.readableBytes) trailing bytes") }
    return DecodedDataResponse(response: response, fileRegionCount: fileRegions)
}

/// The bytes a file region covers.
private func readRegion(_ region: FileRegion) throws -> [UInt8] {
    let count = region.readableBytes
    var bytes = [UInt8](repeating: 0, count: count)
    let read = try region.fileHandle.withUnsafeFileDescriptor { descriptor in
        bytes.withUnsafeMutableBytes { pointer -> Int in
            var done = 0
            while done < count {
                let n = pread(descriptor, pointer.baseAddress! + done, count - done, off_t(region.readerIndex + done))
                if n <= 0 { break }
                done += n
            }
            return done
        }
    }
    guard read == count else { throw TestFailure("file region: read \(read) of \(count) bytes") }
    return bytes
}

// MARK: Requests and batches

/// A Produce request for one partition.
func produceRequest(
    _ partition: TopicPartition, _ records: ByteBuffer?, acks: Int16 = 1, transactionalId: String? = nil, timeoutMs: Int32 = 30_000
) -> ProduceRequest {
    ProduceRequest(
        transactionalId: transactionalId, acks: acks, timeoutMs: timeoutMs,
        topicData: [
            ProduceRequest.TopicProduceData(
                name: partition.topic,
                partitionData: [ProduceRequest.PartitionProduceData(index: partition.partition, records: records.map { .bytes($0) })])
        ])
}

/// A consumer Fetch request for one partition (full, sessionless).
func fetchRequest(
    _ partition: TopicPartition, offset: Int64, maxWaitMs: Int32 = 0, minBytes: Int32 = 1, maxBytes: Int32 = 1 << 20,
    partitionMaxBytes: Int32 = 1 << 20, currentLeaderEpoch: Int32 = -1, isolation: Int8 = 0, replicaId: Int32 = -1
) -> FetchRequest {
    FetchRequest(
        replicaId: replicaId, maxWaitMs: maxWaitMs, minBytes: minBytes, maxBytes: maxBytes, isolationLevel: isolation,
        sessionId: 0, sessionEpoch: -1,
        topics: [
            FetchRequest.FetchTopic(
                topic: partition.topic,
                partitions: [
                    FetchRequest.FetchPartition(
                        partition: partition.partition, currentLeaderEpoch: currentLeaderEpoch, fetchOffset: offset,
                        logStartOffset: -1, partitionMaxBytes: partitionMaxBytes)
                ])
        ])
}

enum TestBatches {
    static let baseTimestamp: Int64 = 1_700_000_000_000

    /// An uncompressed v2 batch of `count` records with keys "k<i>" and values "<tag>-<i>".
    static func make(
        count: Int = 1, tag: String = "v", timestamp: Int64 = baseTimestamp, isTransactional: Bool = false,
        producerID: Int64 = -1, sequence: Int32 = -1
    ) -> ByteBuffer {
        var builder = RecordBatchBuilder(
            isTransactional: isTransactional, producerID: ProducerID(producerID),
            producerEpoch: producerID < 0 ? .none : ProducerEpoch(0), baseSequence: sequence)
        for index in 0..<count {
            builder.append(key: Array("k\(index)".utf8), value: Array("\(tag)-\(index)".utf8), timestamp: timestamp + Int64(index))
        }
        return builder.build()
    }

    /// `batch` as the log stores it: base offset and partition leader epoch stamped by the leader
    /// (both outside the CRC), every other byte as sent.
    static func stored(_ batch: ByteBuffer, baseOffset: Int64, leaderEpoch: Int32) -> ByteBuffer {
        var copy = batch
        copy.setInteger(baseOffset, at: copy.readerIndex + RecordBatchHeader.FieldOffset.baseOffset)
        copy.setInteger(leaderEpoch, at: copy.readerIndex + RecordBatchHeader.FieldOffset.partitionLeaderEpoch)
        return copy
    }

    /// Sets attribute bits (compression codec etc.) without fixing the CRC.
    static func withAttributes(_ batch: ByteBuffer, _ attributes: Int16) -> ByteBuffer {
        var copy = batch
        copy.setInteger(attributes, at: copy.readerIndex + RecordBatchHeader.FieldOffset.attributes)
        return copy
    }

    /// The same batch with another magic byte.
    static func withMagic(_ batch: ByteBuffer, _ magic: Int8) -> ByteBuffer {
        var copy = batch
        copy.setInteger(magic, at: copy.readerIndex + RecordBatchHeader.FieldOffset.magic)
        return copy
    }
}

/// The bytes of a records payload (in-memory responses).
func recordBytes(_ payload: RecordsPayload?) -> ByteBuffer? {
    guard case .bytes(let bytes) = payload else { return nil }
    return bytes
}
