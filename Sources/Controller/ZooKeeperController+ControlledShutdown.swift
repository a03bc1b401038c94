import BrokerCore
import Coordination

/// Controlled shutdown (Kafka's `doControlledShutdown`).
extension ZooKeeperController {
    func processControlledShutdown(_ broker: BrokerID, _ brokerEpoch: BrokerEpoch) async throws -> Set<TopicPartition> {
        guard isActive else { throw ClusterMetadataError.notController(activeController: status.activeController) }
        guard let info = context.liveBrokers[broker] else { throw ClusterMetadataError.brokerNotAvailable(broker) }
        if brokerEpoch != .unknown && brokerEpoch < info.epoch {
            throw ClusterMetadataError.staleBrokerEpoch(broker, requested: brokerEpoch, current: info.epoch)
        }
        context.shuttingDownBrokers.insert(broker)
        logger.info("controlled shutdown", metadata: ["shuttingDown": "\(context.shuttingDownBrokers.sorted())"])

        let epoch = context.fence.epoch
        var moved: [TopicPartition] = []
        var leftIsr: [TopicPartition] = []
        for partition in context.partitions(onBroker: broker) {
            let replicas = context.replicas(of: partition)
            guard replicas.count > 1, let current = context.partitionStates[partition]?.state else { continue }
            let live = context.liveBrokerIDs
            let shuttingDown = context.shuttingDownBrokers
            if current.leader == broker {
                let written = try await writeTransition(partition) {
                    PartitionStateTransitions.controlledShutdownElection(
                        $0, replicas: replicas, live: live, shuttingDown: shuttingDown, controllerEpoch: epoch)
                }
                if written { moved.append(partition) }
            } else if current.isr.contains(broker) {
                let written = try await writeTransition(partition) { state in
                    guard state.leader != broker else { return nil }
                    return PartitionStateTransitions.removingFromIsr(state, replica: broker, controllerEpoch: epoch)
                }
                if written { leftIsr.append(partition) }
            }
        }
        sendLeaderAndIsr(moved)
        let others = context.liveBrokerIDs.subtracting([broker])
        sendLeaderAndIsr(leftIsr, onlyTo: others)
        sendStopReplica(leftIsr, delete: false, onlyTo: [broker])
        sendUpdateMetadata((moved + leftIsr).sorted())

        return Set(
            context.partitions(onBroker: broker).filter {
                context.replicas(of: $0).count > 1 && context.partitionStates[$0]?.state.leader == broker
            })
    }
}
