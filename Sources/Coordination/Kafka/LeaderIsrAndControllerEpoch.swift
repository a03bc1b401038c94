import BrokerCore

/// Whether a partition's leader has recovered its log (Kafka's `LeaderRecoveryState`).
public enum LeaderRecoveryState: Int8, Hashable, Sendable {
    case recovered = 0
    case recovering = 1
}

/// A partition's leadership at `/brokers/topics/<topic>/partitions/<p>/state` (persistent):
/// Kafka's `TopicPartitionStateZNode`, JSON v1.
///
/// ```json
/// {"version":1,"leader":1,"leader_epoch":5,"controller_epoch":3,"isr":[1,2]}
/// ```
/// `leader_recovery_state` is written only when not `.recovered`. The znode's version (not in the
/// JSON) is the partition epoch that conditional ISR updates check.
public struct LeaderIsrAndControllerEpoch: Hashable, Sendable {
    /// The leader, or `BrokerID.none` (-1) when the partition is offline.
    public var leader: BrokerID
    public var leaderEpoch: LeaderEpoch
    public var isr: [BrokerID]
    public var leaderRecoveryState: LeaderRecoveryState
    /// The epoch of the controller that wrote this state.
    public var controllerEpoch: ControllerEpoch

    public init(
        leader: BrokerID, leaderEpoch: LeaderEpoch, isr: [BrokerID],
        leaderRecoveryState: LeaderRecoveryState = .recovered, controllerEpoch: ControllerEpoch
    ) {
        self.leader = leader
        self.leaderEpoch = leaderEpoch
        self.isr = isr
        self.leaderRecoveryState = leaderRecoveryState
        self.controllerEpoch = controllerEpoch
    }

    public var json: KafkaJSON.Value {
        var members: [(String, KafkaJSON.Value)] = [
            ("version", .int(1)),
            ("leader", KafkaJSON.int(leader.rawValue)),
            ("leader_epoch", KafkaJSON.int(leaderEpoch.rawValue)),
            ("controller_epoch", KafkaJSON.int(controllerEpoch.rawValue)),
            ("isr", .array(isr.map { KafkaJSON.int($0.rawValue) })),
        ]
        if leaderRecoveryState != .recovered {
            members.append(("leader_recovery_state", KafkaJSON.int(leaderRecoveryState.rawValue)))
        }
        return .object(members)
    }

    public func encoded() -> [UInt8] { json.bytes }

    public init(decoding data: [UInt8]) throws {
        let wire = try KafkaJSON.decode(Wire.self, from: data, znode: "partition state")
        let recovery = wire.leader_recovery_state.map { LeaderRecoveryState(rawValue: $0) } ?? .recovered
        guard let recovery else {
            throw KafkaZNodeDecodingError(znode: "partition state", reason: "unknown leader_recovery_state", data: data)
        }
        self.leader = BrokerID(wire.leader)
        self.leaderEpoch = LeaderEpoch(wire.leader_epoch)
        self.isr = wire.isr.map { BrokerID($0) }
        self.leaderRecoveryState = recovery
        self.controllerEpoch = ControllerEpoch(wire.controller_epoch)
    }

    private struct Wire: Decodable {
        var leader: Int32
        var leader_epoch: Int32
        var isr: [Int32]
        var controller_epoch: Int32
        var leader_recovery_state: Int8?
    }
}
