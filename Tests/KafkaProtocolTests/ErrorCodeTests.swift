import BrokerCore
import Testing

@Suite("ErrorCode (generated from error-codes.tsv)")
struct ErrorCodeTests {
    @Test("codes, Kafka names and messages")
    func table() {
        #expect(ErrorCode.none.rawValue == 0)
        #expect(ErrorCode.none.defaultMessage == nil)
        #expect(ErrorCode.unknownServerError.rawValue == -1)
        #expect(ErrorCode.notLeaderOrFollower.rawValue == 6)
        #expect(ErrorCode.notLeaderOrFollower.kafkaName == "NOT_LEADER_OR_FOLLOWER")
        #expect(ErrorCode.unsupportedVersion.rawValue == 35)
        #expect(ErrorCode.memberIdRequired.rawValue == 79)
        #expect(ErrorCode(rawValue: 6) == .notLeaderOrFollower)
        #expect(ErrorCode(rawValue: 30_000) == nil)
        #expect(ErrorCode.offsetOutOfRange.defaultMessage?.hasPrefix("The requested offset is not within the range") == true)
        #expect(ErrorCode.allCases.count == 128)
        #expect(Set(ErrorCode.allCases.map(\.kafkaName)).count == ErrorCode.allCases.count)
    }
}
