import BrokerCore
import Coordination
import Testing

@Suite struct LeaderIsrAndControllerEpochTests {
    @Test func roundTripsKafkasPartitionState() throws {
        let kafka = #"{"version":1,"leader":1,"leader_epoch":5,"controller_epoch":3,"isr":[1,2]}"#
        let state = try LeaderIsrAndControllerEpoch(decoding: Array(kafka.utf8))
        #expect(
            state
                == LeaderIsrAndControllerEpoch(
                    leader: BrokerID(1), leaderEpoch: LeaderEpoch(5), isr: [BrokerID(1), BrokerID(2)],
                    controllerEpoch: ControllerEpoch(3)))
        #expect(state.leaderRecoveryState == .recovered)
        #expect(String(decoding: state.encoded(), as: UTF8.self) == kafka)
    }

    @Test func offlinePartitionAndRecoveringLeader() throws {
        let state = LeaderIsrAndControllerEpoch(
            leader: .none, leaderEpoch: LeaderEpoch(7), isr: [BrokerID(3)], leaderRecoveryState: .recovering,
            controllerEpoch: ControllerEpoch(2))
        let json =
            #"{"version":1,"leader":-1,"leader_epoch":7,"controller_epoch":2,"isr":[3],"leader_recovery_state":1}"#
        #expect(String(decoding: state.encoded(), as: UTF8.self) == json)
        #expect(try LeaderIsrAndControllerEpoch(decoding: Array(json.utf8)) == state)
    }

    @Test func rejectsIncompleteOrUnknownStates() {
        #expect(throws: KafkaZNodeDecodingError.self) {
            try LeaderIsrAndControllerEpoch(decoding: Array(#"{"version":1,"leader":1}"#.utf8))
        }
        #expect(throws: KafkaZNodeDecodingError.self) {
            try LeaderIsrAndControllerEpoch(
                decoding: Array(
                    #"{"version":1,"leader":1,"leader_epoch":0,"controller_epoch":1,"isr":[1],"leader_recovery_state":9}"#
                        .utf8))
        }
    }
}
