import BrokerCore
import Coordination
import Testing

@Suite struct ProducerIDBlockTests {
    @Test func roundTripsKafkasBlockWithStringBounds() throws {
        let kafka = #"{"version":1,"broker":2,"block_start":"1000","block_end":"1999"}"#
        let block = try ProducerIDBlock(decoding: Array(kafka.utf8))
        #expect(block == ProducerIDBlock(assignedBroker: BrokerID(2), firstProducerID: ProducerID(1000)))
        #expect(block.lastProducerID == ProducerID(1999))
        #expect(String(decoding: block.encoded(), as: UTF8.self) == kafka)
    }

    @Test func nextBlockFollowsTheLastOne() {
        let first = ProducerIDBlock(assignedBroker: BrokerID(1), firstProducerID: ProducerID(0))
        let next = first.next(for: BrokerID(3))
        #expect(next.firstProducerID == ProducerID(1000))
        #expect(next.lastProducerID == ProducerID(1999))
        #expect(next.assignedBroker == BrokerID(3))
    }

    @Test func rejectsInvertedBounds() {
        #expect(throws: KafkaZNodeDecodingError.self) {
            try ProducerIDBlock(decoding: Array(#"{"version":1,"broker":1,"block_start":"5","block_end":"4"}"#.utf8))
        }
    }
}
