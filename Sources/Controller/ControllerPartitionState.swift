import BrokerCore
import Coordination

/// One partition's leadership as the controller sends it to brokers, in LeaderAndIsr and
/// UpdateMetadata (domain form; the broker-side channel maps it to the wire).
public struct ControllerPartitionState: Hashable, Sendable {
    public var topicPartition: TopicPartition
    /// Kafka's topic id (22-character base64url text), if the topic has one.
    public var topicID: String?
    /// The leader; `BrokerID.none` (-1) when offline, `ControllerPartitionState.leaderDuringDelete`
    /// (-2) in the UpdateMetadata announcing a topic deletion.
    public var leader: BrokerID
    public var leaderEpoch: LeaderEpoch
    public var isr: [BrokerID]
    /// The state znode's version (Kafka's partition epoch / `zkVersion`).
    public var partitionEpoch: Int32
    /// The epoch of the controller that wrote this state (from the state znode).
    public var controllerEpoch: ControllerEpoch
    /// All replicas in assignment order.
    public var replicas: [BrokerID]
    public var addingReplicas: [BrokerID]
    public var removingReplicas: [BrokerID]
    /// Replicas on brokers that are not live (UpdateMetadata's `offlineReplicas`).
    public var offlineReplicas: [BrokerID]
    /// True in the first LeaderAndIsr for a newly created partition.
    public var isNew: Bool
    public var leaderRecoveryState: LeaderRecoveryState

    public init(
        topicPartition: TopicPartition, topicID: String?, leader: BrokerID, leaderEpoch: LeaderEpoch,
        isr: [BrokerID], partitionEpoch: Int32, controllerEpoch: ControllerEpoch, replicas: [BrokerID],
        addingReplicas: [BrokerID] = [], removingReplicas: [BrokerID] = [], offlineReplicas: [BrokerID] = [],
        isNew: Bool = false, leaderRecoveryState: LeaderRecoveryState = .recovered
    ) {
        self.topicPartition = topicPartition
        self.topicID = topicID
        self.leader = leader
        self.leaderEpoch = leaderEpoch
        self.isr = isr
        self.partitionEpoch = partitionEpoch
        self.controllerEpoch = controllerEpoch
        self.replicas = replicas
        self.addingReplicas = addingReplicas
        self.removingReplicas = removingReplicas
        self.offlineReplicas = offlineReplicas
        self.isNew = isNew
        self.leaderRecoveryState = leaderRecoveryState
    }

    /// Kafka's `LeaderAndIsr.LeaderDuringDelete`: UpdateMetadata with this leader tells brokers to
    /// drop the partition from their metadata cache.
    public static let leaderDuringDelete = BrokerID(-2)
}
