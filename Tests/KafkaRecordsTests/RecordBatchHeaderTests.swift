import BrokerCore
import NIOCore
import Testing

@testable import KafkaRecords

@Suite struct RecordBatchHeaderTests {
    @Test func parsesEveryFieldAtKafkasOffsets() throws {
        var builder = RecordBatchBuilder(
            baseOffset: Offset(100), partitionLeaderEpoch: LeaderEpoch(7), isTransactional: true,
            producerID: ProducerID(555), producerEpoch: ProducerEpoch(3), baseSequence: 42)
        builder.append(key: nil, value: [1, 2, 3], timestamp: 5_000)
        builder.append(key: [9], value: nil, timestamp: 5_010)
        let batch = builder.build()
        let header = try #require(RecordBatchHeader(parsing: batch, at: 0))
        #expect(header.baseOffset == Offset(100))
        #expect(header.totalSize == batch.readableBytes)
        #expect(header.partitionLeaderEpoch == LeaderEpoch(7))
        #expect(header.magic == 2)
        #expect(header.attributes.isTransactional)
        #expect(!header.attributes.isControl)
        #expect(header.attributes.compression == CompressionCodec.none)
        #expect(header.attributes.timestampType == .createTime)
        #expect(header.lastOffsetDelta == 1)
        #expect(header.lastOffset == Offset(101))
        #expect(header.nextOffset == Offset(102))
        #expect(header.baseTimestamp == 5_000)
        #expect(header.maxTimestamp == 5_010)
        #expect(header.producerID == ProducerID(555))
        #expect(header.producerEpoch == ProducerEpoch(3))
        #expect(header.baseSequence == 42)
        #expect(header.recordsCount == 2)
        // Raw positions as in DefaultRecordBatch.
        #expect(batch.getInteger(at: 57, as: Int32.self) == 2)
        #expect(batch.getInteger(at: 43, as: Int64.self) == 555)
        #expect(batch.getInteger(at: 8, as: Int32.self) == Int32(batch.readableBytes - 12))
    }

    @Test func parsingAtAnOffsetDoesNotMoveIndices() throws {
        var buffer = ByteBuffer(bytes: [1, 2, 3])
        var batch = Batches.make(count: 1)
        buffer.writeBuffer(&batch)
        buffer.moveReaderIndex(forwardBy: 3)
        let header = try #require(RecordBatchHeader(parsing: buffer, at: 3))
        #expect(header.recordsCount == 1)
        #expect(buffer.readerIndex == 3)
        #expect(RecordBatchHeader(parsing: buffer, at: 2) == nil)
    }

    @Test func tooShortBufferYieldsNil() {
        let batch = Batches.make(count: 1)
        #expect(RecordBatchHeader(parsing: batch.getSlice(at: 0, length: 60)!, at: 0) == nil)
    }

    @Test func writeRoundTrips() throws {
        var batch = Batches.make(count: 3)
        var header = try #require(RecordBatchHeader(parsing: batch, at: 0))
        header.producerID = ProducerID(9)
        header.baseSequence = 77
        header.write(into: &batch, at: 0)
        #expect(RecordBatchHeader(parsing: batch, at: 0) == header)
    }

    @Test func attributesBits() {
        let attributes = RecordBatchAttributes(compression: .zstd, timestampType: .logAppendTime, isTransactional: true, isControl: true)
        #expect(attributes.rawValue == 4 | 8 | 16 | 32)
        #expect(RecordBatchAttributes(rawValue: 5).compression == nil)
        #expect(RecordBatchAttributes(rawValue: 0x40).hasDeleteHorizon)
    }
}
