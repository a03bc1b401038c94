import BrokerCore
import KafkaProtocol
import NIOCore
import Replication

/// StopReplica (key 5), versions 0-4: the controller tells this broker to stop serving
/// partitions, deleting their logs when the topic is deleted. Inter-broker only.
///
/// Controller and broker epochs are checked as for LeaderAndIsr; per-partition errors come from
/// the ``ReplicaManager``. Each ``PartitionLeadershipListener`` hears of every partition stopped
/// with NONE, before the response is sent.
public struct StopReplicaHandler: KafkaAPIHandler {
    public typealias Request = StopReplicaRequest
    public static let supportedVersions: ClosedRange<Int16> = 0...4
    public static let isAdvertised = false

    let replicaManager: ReplicaManager
    let fence: ControllerRequestFence
    let listeners: [any PartitionLeadershipListener]

    public init(
        replicaManager: ReplicaManager, fence: ControllerRequestFence, listeners: [any PartitionLeadershipListener] = []
    ) {
        self.replicaManager = replicaManager
        self.fence = fence
        self.listeners = listeners
    }

    public func handle(_ request: StopReplicaRequest, context: RequestContext) -> APIOutcome<StopReplicaResponse> {
        let version = context.apiVersion
        if let error = fence.check(
            requestBrokerEpoch: version >= 1 ? request.brokerEpoch : nil, controllerEpoch: request.controllerEpoch)
        {
            return .respond(StopReplicaResponse(errorCode: error.rawValue))
        }
        var toDelete: [TopicPartition] = []
        var toStop: [TopicPartition] = []
        switch version {
        case 0:
            let tps = request.ungroupedPartitions.map { TopicPartition($0.topicName, $0.partitionIndex) }
            if request.deletePartitions { toDelete = tps } else { toStop = tps }
        case 1...2:
            let tps = request.topics.flatMap { topic in topic.partitionIndexes.map { TopicPartition(topic.name, $0) } }
            if request.deletePartitions { toDelete = tps } else { toStop = tps }
        default:
            for topic in request.topicStates {
                for state in topic.partitionStates {
                    let tp = TopicPartition(topic.topicName, state.partitionIndex)
                    if state.deletePartition { toDelete.append(tp) } else { toStop.append(tp) }
                }
            }
        }
        let (stopping, deleting) = (toStop, toDelete)
        let stopped = replicaManager.stopReplicas(stopping, delete: false)
        let deleted = replicaManager.stopReplicas(deleting, delete: true)
        let listeners = self.listeners
        let future = stopped.and(deleted).map { stopErrors, deleteErrors in
            let all = stopErrors.merging(deleteErrors) { first, _ in first }
            for tp in stopping + deleting where (all[tp] ?? ErrorCode.none) == ErrorCode.none {
                for listener in listeners { listener.stopped(tp) }
            }
            return StopReplicaResponse(
                errorCode: ErrorCode.none.rawValue,
                partitionErrors: (stopping + deleting).map { tp in
                    .init(topicName: tp.topic, partitionIndex: tp.partition, errorCode: (all[tp] ?? ErrorCode.none).rawValue)
                })
        }
        return .later(future)
    }
}
