import BrokerCore
import Coordination

/// Building and queueing controller → broker requests from the context (Kafka's
/// `ControllerBrokerRequestBatch`).
extension ZooKeeperController {
    /// Starts `broker`'s request queue (a live broker).
    func startQueue(for broker: BrokerInfo) {
        queues.start(broker, controllerEpoch: context.fence.epoch, channel: channel, logger: logger)
    }

    /// LeaderAndIsr for `partitions` to their live replicas (only `recipients` if given), one
    /// request per broker; partitions in `newPartitions` are flagged `isNew`.
    func sendLeaderAndIsr(
        _ partitions: [TopicPartition], newPartitions: Set<TopicPartition> = [], onlyTo recipients: Set<BrokerID>? = nil
    ) {
        var perBroker: [BrokerID: [ControllerPartitionState]] = [:]
        for partition in partitions {
            guard let state = context.outgoingState(partition, isNew: newPartitions.contains(partition)) else { continue }
            for replica in state.replicas where context.liveBrokers[replica] != nil {
                if let recipients, !recipients.contains(replica) { continue }
                perBroker[replica, default: []].append(state)
            }
        }
        for broker in perBroker.keys.sorted() {
            let states = perBroker[broker] ?? []
            let leaders = Set(states.map(\.leader)).compactMap { context.liveBrokers[$0] }.sorted { $0.id < $1.id }
            queues.enqueue(.leaderAndIsr(partitions: states, liveLeaders: leaders), to: broker)
        }
    }

    /// UpdateMetadata with the live brokers and `partitions`' states to `brokers` (default: all
    /// live brokers).
    func sendUpdateMetadata(_ partitions: [TopicPartition], to brokers: [BrokerID]? = nil) {
        sendUpdateMetadata(states: partitions.compactMap { context.outgoingState($0) }, to: brokers)
    }

    func sendUpdateMetadata(states: [ControllerPartitionState], to brokers: [BrokerID]? = nil) {
        let live = context.sortedLiveBrokers
        for broker in brokers ?? live.map(\.id) {
            queues.enqueue(.updateMetadata(partitions: states, liveBrokers: live), to: broker)
        }
    }

    /// StopReplica for `partitions` to each live replica, one request per broker.
    func sendStopReplica(_ partitions: [TopicPartition], delete: Bool, onlyTo recipients: Set<BrokerID>? = nil) {
        var perBroker: [BrokerID: [TopicPartition]] = [:]
        for partition in partitions {
            for replica in context.replicas(of: partition) where context.liveBrokers[replica] != nil {
                if let recipients, !recipients.contains(replica) { continue }
                perBroker[replica, default: []].append(partition)
            }
        }
        for broker in perBroker.keys.sorted() {
            queues.enqueue(.stopReplica(partitions: perBroker[broker] ?? [], delete: delete), to: broker)
        }
    }
}
