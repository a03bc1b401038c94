import NIOCore

/// Deterministic pseudo-random numbers for reproducible tests.
struct SplitMix64: RandomNumberGenerator {
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

enum ByteBufferFixture {
    static func make(_ bytes: [UInt8]) -> ByteBuffer { ByteBuffer(bytes: bytes) }
}

import BrokerCore
@testable import KafkaRecords

enum Batches {
    /// An uncompressed batch of `count` records "k<i>"/"value-<i>" with timestamps from `timestamp`.
    static func make(
        count: Int, baseOffset: Offset = .zero, timestamp: Int64 = 1_000, producerID: ProducerID = .none,
        baseSequence: Int32 = -1, valueSize: Int = 0
    ) -> ByteBuffer {
        var builder = RecordBatchBuilder(baseOffset: baseOffset, producerID: producerID, producerEpoch: ProducerEpoch(producerID == .none ? -1 : 0), baseSequence: baseSequence)
        for index in 0..<count {
            let value = valueSize > 0 ? [UInt8](repeating: UInt8(index & 0xFF), count: valueSize) : Array("value-\(index)".utf8)
            builder.append(key: Array("k\(index)".utf8), value: value, timestamp: timestamp + Int64(index))
        }
        return builder.build()
    }
}
