import BrokerCore
import BrokerTestSupport
import Testing

@Suite struct IdentifiersTests {
    @Test func offsetArithmeticAndOrder() {
        let a = Offset(10)
        #expect(a + 5 == Offset(15))
        #expect(Offset(15) - a == 5)
        #expect(a < Offset(11))
        #expect(Offset.unknown.rawValue == -1)
    }

    @Test func topicPartitionDirectoryName() {
        #expect(TopicPartition("orders", 3).description == "orders-3")
        #expect(TopicPartition("a", 1) < TopicPartition("a", 2))
        #expect(TopicPartition("a", 9) < TopicPartition("b", 0))
    }

    @Test func manualTimeSourceMovesOnlyWhenAdvanced() {
        let clock = ManualTimeSource(startMilliseconds: 1000)
        #expect(clock.nowMilliseconds == 1000)
        clock.advance(milliseconds: 250)
        #expect(clock.nowMilliseconds == 1250)
        #expect(clock.monotonicNanoseconds == 250_000_000)
    }
}
