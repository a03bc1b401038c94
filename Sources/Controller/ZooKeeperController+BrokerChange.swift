import BrokerCore
import Coordination

/// Brokers joining and leaving (Kafka's `processBrokerChange`, `onBrokerStartup`,
/// `onBrokerFailure`).
extension ZooKeeperController {
    /// Re-reads `/brokers/ids` (re-arming its watch) and handles the difference: lost brokers,
    /// bounced brokers (same id, new epoch: handled as lost, then as new), new brokers.
    func processBrokerChange() async throws {
        var current: [BrokerID: BrokerInfo] = [:]
        for name in try await armChildWatch(KafkaZNodePaths.brokerIDs, .brokers) {
            guard let id = KafkaZNodePaths.brokerID(fromChildName: name), let broker = try await readLiveBroker(id) else {
                continue
            }
            current[id] = broker
        }
        let previous = context.liveBrokers
        let dead = Set(previous.keys).subtracting(current.keys)
        let added = Set(current.keys).subtracting(previous.keys)
        let bounced = Set(current.keys).intersection(previous.keys).filter { previous[$0]?.epoch != current[$0]?.epoch }
        guard !dead.isEmpty || !added.isEmpty || !bounced.isEmpty else { return }
        logger.info(
            "broker change",
            metadata: ["new": "\(added.sorted())", "dead": "\(dead.sorted())", "bounced": "\(bounced.sorted())"])

        let gone = dead.union(bounced)
        if !gone.isEmpty {
            for id in gone {
                context.liveBrokers[id] = nil
                context.shuttingDownBrokers.remove(id)
                queues.stop(id)
            }
            try await onBrokerFailure(gone)
        }
        let joined = added.union(bounced)
        if !joined.isEmpty {
            for id in joined.sorted() {
                guard let broker = current[id] else { continue }
                context.liveBrokers[id] = broker
                startQueue(for: broker)
            }
            try await onBrokerStartup(joined)
        }
    }

    /// Partitions led by a lost broker get an offline election; lost brokers leave the ISRs they
    /// were in (the last member stays; a leader nobody replaces becomes -1). One conditional,
    /// fenced write per partition; LeaderAndIsr to the affected live replicas, UpdateMetadata to
    /// every live broker (also when no partition changed, so they drop the lost brokers).
    func onBrokerFailure(_ dead: Set<BrokerID>) async throws {
        let epoch = context.fence.epoch
        let candidates = context.leaderCandidates
        let live = context.liveBrokerIDs
        var uncleanByTopic: [String: Bool] = [:]
        var changed: [TopicPartition] = []
        for partition in context.allPartitions {
            guard let current = context.partitionStates[partition]?.state,
                dead.contains(current.leader) || !dead.isDisjoint(with: current.isr)
            else { continue }
            let replicas = context.replicas(of: partition)
            var unclean = false
            if dead.contains(current.leader),
                PartitionStateTransitions.needsUncleanElection(current, replicas: replicas, candidates: candidates)
            {
                unclean = try await uncleanElectionAllowed(partition.topic, cache: &uncleanByTopic)
            }
            let written = try await writeTransition(partition) {
                PartitionStateTransitions.afterBrokerFailure(
                    $0, replicas: replicas, dead: dead, candidates: candidates, live: live, unclean: unclean,
                    controllerEpoch: epoch)
            }
            if written { changed.append(partition) }
        }
        sendLeaderAndIsr(changed)
        sendUpdateMetadata(changed)
    }

    /// New brokers get UpdateMetadata for every partition and LeaderAndIsr for the partitions
    /// they replicate (as followers where another broker leads); offline partitions and
    /// partitions still without state get leaders where the new brokers make it possible; the
    /// other brokers learn about the new brokers and the changed partitions.
    func onBrokerStartup(_ joined: Set<BrokerID>) async throws {
        let all = context.allPartitions
        let (initialized, elected) = try await initializeAndElect(all)
        let changed = initialized.union(elected).sorted()
        let existing = context.liveBrokerIDs.subtracting(joined)
        sendUpdateMetadata(all, to: joined.sorted())
        sendUpdateMetadata(changed, to: existing.sorted())
        sendLeaderAndIsr(all, newPartitions: initialized, onlyTo: joined)
        sendLeaderAndIsr(changed, newPartitions: initialized, onlyTo: existing)
    }
}
