import BrokerCore
import KafkaProtocol
import NIOCore
import Replication

/// LeaderAndIsr (key 4), versions 0-7: the controller tells this broker which partitions it leads
/// or follows, with leader epoch, ISR and partition epoch. Inter-broker only: never advertised.
///
/// As Kafka's `ReplicaManager.becomeLeaderOrFollower`: an older controller epoch →
/// STALE_CONTROLLER_EPOCH; a request for an older registration of this broker (v2+) →
/// STALE_BROKER_EPOCH; otherwise each partition becomes leader or follower through the
/// ``ReplicaManager`` (creating its log), with per-partition errors (e.g. a stale leader epoch).
/// Once applied, each ``PartitionLeadershipListener`` hears of every partition whose outcome is
/// NONE (leader or follower), before the response is sent.
public struct LeaderAndIsrHandler: KafkaAPIHandler {
    public typealias Request = LeaderAndIsrRequest
    public static let supportedVersions: ClosedRange<Int16> = 0...7
    public static let isAdvertised = false

    let replicaManager: ReplicaManager
    let fence: ControllerRequestFence
    /// Reads the settings of the topics in a request (may consult ZooKeeper; not on a hot path),
    /// completing on any event loop.
    public typealias SettingsLoader = @Sendable ([String], any EventLoop) -> EventLoopFuture<[String: TopicSettings]>
    let topicSettings: SettingsLoader
    let listeners: [any PartitionLeadershipListener]

    public init(
        replicaManager: ReplicaManager, fence: ControllerRequestFence, topicSettings: @escaping SettingsLoader,
        listeners: [any PartitionLeadershipListener] = []
    ) {
        self.replicaManager = replicaManager
        self.fence = fence
        self.topicSettings = topicSettings
        self.listeners = listeners
    }

    public func handle(_ request: LeaderAndIsrRequest, context: RequestContext) -> APIOutcome<LeaderAndIsrResponse> {
        let version = context.apiVersion
        if let error = fence.check(
            requestBrokerEpoch: version >= 2 ? request.brokerEpoch : nil, controllerEpoch: request.controllerEpoch)
        {
            return .respond(LeaderAndIsrResponse(errorCode: error.rawValue))
        }
        let entries: [(topic: String, topicID: KafkaUUID, state: LeaderAndIsrRequest.LeaderAndIsrPartitionState)] =
            version >= 2
            ? request.topicStates.flatMap { topic in
                topic.partitionStates.map { (topic.topicName, topic.topicId, $0) }
            }
            : request.ungroupedPartitionStates.map { ($0.topicName, KafkaUUID.zero, $0) }
        let replicaManager = self.replicaManager
        let topicSettings = self.topicSettings
        let settingsLoaded = topicSettings(Array(Set(entries.map(\.topic))), context.eventLoop)
        let applied = settingsLoaded.flatMap { settings in
            let states = entries.map { entry in
                let topic = settings[entry.topic] ?? TopicSettings()
                return LeaderAndIsrState(
                    topicPartition: TopicPartition(entry.topic, entry.state.partitionIndex),
                    leader: BrokerID(entry.state.leader), leaderEpoch: LeaderEpoch(entry.state.leaderEpoch),
                    isr: entry.state.isr.map { BrokerID($0) }, partitionEpoch: entry.state.partitionEpoch,
                    replicas: entry.state.replicas.map { BrokerID($0) },
                    minInSyncReplicas: topic.minInSyncReplicas, logConfig: topic.logConfig)
            }
            return replicaManager.becomeLeaderOrFollower(states)
        }
        let listeners = self.listeners
        let localBroker = replicaManager.config.localBrokerID
        let future = applied.map { outcomes in
            Self.notify(listeners, of: entries.map { ($0.topic, $0.state) }, outcomes: outcomes, localBroker: localBroker)
            var response = LeaderAndIsrResponse(errorCode: ErrorCode.none.rawValue)
            if version >= 5 {
                var byTopic: [String: (KafkaUUID, [LeaderAndIsrResponse.LeaderAndIsrPartitionError])] = [:]
                for entry in entries {
                    let tp = TopicPartition(entry.topic, entry.state.partitionIndex)
                    let code = outcomes[tp]?.errorCode ?? .unknownServerError
                    byTopic[entry.topic, default: (entry.topicID, [])].1.append(
                        .init(partitionIndex: tp.partition, errorCode: code.rawValue))
                }
                response.topics = byTopic.keys.sorted().map { name in
                    .init(topicId: byTopic[name]!.0, partitionErrors: byTopic[name]!.1)
                }
            } else {
                response.partitionErrors = entries.map { entry in
                    let tp = TopicPartition(entry.topic, entry.state.partitionIndex)
                    return .init(
                        topicName: entry.topic, partitionIndex: tp.partition,
                        errorCode: (outcomes[tp]?.errorCode ?? .unknownServerError).rawValue)
                }
            }
            return response
        }
        return .later(future)
    }

    private static func notify(
        _ listeners: [any PartitionLeadershipListener],
        of states: [(topic: String, state: LeaderAndIsrRequest.LeaderAndIsrPartitionState)],
        outcomes: [TopicPartition: LeaderAndIsrOutcome], localBroker: BrokerID
    ) {
        guard !listeners.isEmpty else { return }
        for (topic, state) in states {
            let partition = TopicPartition(topic, state.partitionIndex)
            guard outcomes[partition]?.errorCode == ErrorCode.none else { continue }
            let epoch = LeaderEpoch(state.leaderEpoch)
            for listener in listeners {
                if BrokerID(state.leader) == localBroker {
                    listener.becameLeader(partition, leaderEpoch: epoch)
                } else {
                    listener.becameFollower(partition, leaderEpoch: epoch)
                }
            }
        }
    }
}

/// Hears which partitions this broker leads, follows or stopped hosting, after LeaderAndIsr or
/// StopReplica applied them (e.g. the group coordinator for `__consumer_offsets`).
///
/// Called on an event loop once a request's partitions are applied, only for partitions whose
/// outcome was NONE; two requests' calls may interleave, so implementations must tolerate an
/// older epoch arriving late. They must return at once (hand work to their own task or actor).
public protocol PartitionLeadershipListener: Sendable {
    /// This broker leads `partition` at `leaderEpoch` (also when a leader's epoch moved on).
    func becameLeader(_ partition: TopicPartition, leaderEpoch: LeaderEpoch)
    /// Another broker leads `partition` at `leaderEpoch`; this one follows.
    func becameFollower(_ partition: TopicPartition, leaderEpoch: LeaderEpoch)
    /// This broker no longer hosts `partition` (StopReplica, with or without deleting it).
    func stopped(_ partition: TopicPartition)
}
