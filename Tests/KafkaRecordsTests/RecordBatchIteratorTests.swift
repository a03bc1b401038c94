import BrokerCore
import NIOCore
import Testing

@testable import KafkaRecords

@Suite struct RecordBatchIteratorTests {
    @Test func iteratesConcatenatedBatchesWithoutCopying() throws {
        var buffer = ByteBuffer()
        for count in [1, 5, 2] {
            var batch = Batches.make(count: count)
            buffer.writeBuffer(&batch)
        }
        var iterator = RecordBatchIterator(buffer)
        let batches = try iterator.collect()
        #expect(batches.map(\.header.recordsCount) == [1, 5, 2])
        #expect(batches[0].index == 0)
        #expect(batches[1].index == batches[0].size)
        #expect(batches.reduce(0) { $0 + $1.size } == buffer.readableBytes)
    }

    @Test func emptyBufferHasNoBatches() throws {
        var iterator = RecordBatchIterator(ByteBuffer())
        #expect(try iterator.next() == nil)
    }

    @Test func partialTrailingBatchIsAnError() throws {
        var buffer = Batches.make(count: 2)
        var second = Batches.make(count: 2)
        buffer.writeBuffer(&second)
        buffer.moveWriterIndex(to: buffer.writerIndex - 5)
        var iterator = RecordBatchIterator(buffer)
        #expect(try iterator.next() != nil)
        #expect(throws: RecordBatchError.self) { try iterator.next() }
    }

    @Test func startsAtTheReaderIndex() throws {
        var buffer = ByteBuffer(bytes: [1, 2, 3, 4])
        var batch = Batches.make(count: 1)
        buffer.writeBuffer(&batch)
        buffer.moveReaderIndex(forwardBy: 4)
        var iterator = RecordBatchIterator(buffer)
        #expect(try iterator.next()?.index == 4)
        #expect(try iterator.next() == nil)
    }
}
