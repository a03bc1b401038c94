import BrokerCore
import LogStorage

/// The outcome of DeleteRecords for one partition.
public struct DeleteRecordsOutcome: Sendable, Hashable {
    public var errorCode: ErrorCode
    /// The partition's log start offset after the deletion; -1 on error.
    public var lowWatermark: Offset

    public init(errorCode: ErrorCode, lowWatermark: Offset = .unknown) {
        self.errorCode = errorCode
        self.lowWatermark = lowWatermark
    }
}

extension Partition {
    /// Kafka's `Partition.deleteRecordsOnLeader`: raises the log start offset to `offset` (-1 =
    /// the high watermark). Reads below it then answer OFFSET_OUT_OF_RANGE and ListOffsets
    /// earliest returns it; whole segments below it go at the next retention pass.
    ///
    /// Errors: NOT_LEADER_OR_FOLLOWER when not leader; OFFSET_OUT_OF_RANGE for an offset above
    /// the high watermark or negative (other than -1). An offset at or below the current log
    /// start offset changes nothing and answers the current one. Runs on the partition's loop.
    func deleteRecords(before offset: Offset) -> DeleteRecordsOutcome {
        eventLoop.assertInEventLoop()
        guard state.isLeader, let log else { return DeleteRecordsOutcome(errorCode: .notLeaderOrFollower) }
        let highWatermark = state.highWatermark
        let target = offset == .unknown ? highWatermark : offset
        guard target >= .zero, target <= highWatermark else {
            return DeleteRecordsOutcome(errorCode: .offsetOutOfRange)
        }
        do {
            if target > log.logStartOffset { try log.advanceLogStartOffset(to: target) }
            return DeleteRecordsOutcome(errorCode: .none, lowWatermark: log.logStartOffset)
        } catch {
            return DeleteRecordsOutcome(errorCode: error.errorCode)
        }
    }
}
