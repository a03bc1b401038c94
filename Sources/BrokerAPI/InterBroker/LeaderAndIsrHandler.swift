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

    public init(replicaManager: ReplicaManager, fence: ControllerRequestFence, topicSettings: @escaping SettingsLoader) {
        self.replicaManager = replicaManager
        self.fence = fence
        self.topicSettings = topicSettings
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
        let future = applied.map { outcomes in
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
}
