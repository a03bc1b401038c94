import BrokerCore
import KafkaProtocol
import NIOCore
import Testing

@testable import MartletAdmin

@Suite struct ConsumerAssignmentDecoderTests {
    @Test(arguments: [Int16(0), 1, 3])
    func decodesWhatAConsumerSendsAtEachVersionSorted(_ version: Int16) {
        let partitions = [TopicPartition("b", 1), TopicPartition("a", 2), TopicPartition("a", 0)]
        let bytes = ConsumerAssignmentDecoder.encode(partitions, version: version)
        #expect(ConsumerAssignmentDecoder.partitions(from: bytes) == partitions.sorted())
    }

    @Test func readsANewerVersionAtTheNewestKnownOne() {
        var bytes = ConsumerAssignmentDecoder.encode([TopicPartition("t", 5)], version: 3)
        bytes.setInteger(Int16(7), at: bytes.readerIndex)
        #expect(ConsumerAssignmentDecoder.partitions(from: bytes) == [TopicPartition("t", 5)])
    }

    @Test func handCraftedBytesMatchKafkasLayout() {
        // version 0, one topic "t" with partitions [0, 2], null user data.
        var buffer = ByteBuffer()
        buffer.writeInteger(Int16(0))
        buffer.writeInteger(Int32(1))
        buffer.writeInteger(Int16(1))
        buffer.writeString("t")
        buffer.writeInteger(Int32(2))
        buffer.writeInteger(Int32(0))
        buffer.writeInteger(Int32(2))
        buffer.writeInteger(Int32(-1))
        #expect(ConsumerAssignmentDecoder.partitions(from: buffer) == [TopicPartition("t", 0), TopicPartition("t", 2)])
    }

    @Test func emptyTruncatedOrNegativeVersionBytesGiveNil() {
        #expect(ConsumerAssignmentDecoder.partitions(from: ByteBuffer()) == nil)
        var truncated = ConsumerAssignmentDecoder.encode([TopicPartition("topic", 1)])
        truncated.moveWriterIndex(to: truncated.writerIndex - 6)
        #expect(ConsumerAssignmentDecoder.partitions(from: truncated) == nil)
        var negative = ByteBuffer()
        negative.writeInteger(Int16(-1))
        #expect(ConsumerAssignmentDecoder.partitions(from: negative) == nil)
    }
}
