import BrokerCore
import Coordination

/// Writing partition states and the elections shared by several events.
extension ZooKeeperController {
    /// Applies `transition` to `partition`'s known state and writes the result conditionally on
    /// the known znode version, fenced. On a version conflict (a leader updated the ISR
    /// meanwhile) it adopts the fresh state and tries again, up to three times. Returns whether
    /// a new state was written. Throws `ControllerMovedError` when fenced.
    func writeTransition(
        _ partition: TopicPartition, _ transition: (LeaderIsrAndControllerEpoch) -> LeaderIsrAndControllerEpoch?
    ) async throws -> Bool {
        for _ in 0..<3 {
            guard let current = context.partitionStates[partition], let next = transition(current.state) else {
                return false
            }
            switch try await zk.updatePartitionState(
                partition, next, expectedVersion: current.zkVersion, fence: context.fence)
            {
            case .updated(let version):
                context.partitionStates[partition] = VersionedPartitionState(state: next, zkVersion: version)
                return true
            case .versionConflict(let fresh):
                context.partitionStates[partition] = fresh
                if fresh == nil { return false }
            }
        }
        logger.warning("giving up on partition state update after version conflicts", metadata: ["partition": "\(partition)"])
        return false
    }

    /// Kafka's `triggerOnlinePartitionStateChange` over `partitions`: partitions without a state
    /// get their first one (leader = first live replica, ISR = live replicas, epoch 0); partitions
    /// whose leader is not live get an offline election (unclean if the topic or broker config
    /// allows). Returns the initialised and the newly led partitions.
    func initializeAndElect(_ partitions: [TopicPartition]) async throws
        -> (initialized: Set<TopicPartition>, elected: Set<TopicPartition>)
    {
        var initialized: Set<TopicPartition> = []
        var elected: Set<TopicPartition> = []
        var uncleanByTopic: [String: Bool] = [:]
        let epoch = context.fence.epoch
        for partition in partitions {
            let replicas = context.replicas(of: partition)
            let candidates = context.leaderCandidates
            let live = context.liveBrokerIDs
            guard let current = context.partitionStates[partition] else {
                guard
                    let initial = PartitionStateTransitions.initialState(
                        replicas: replicas, live: candidates, controllerEpoch: epoch)
                else {
                    logger.warning("no live replica for new partition", metadata: ["partition": "\(partition)"])
                    continue
                }
                do {
                    let version = try await zk.createPartitionState(partition, initial, fence: context.fence)
                    context.partitionStates[partition] = VersionedPartitionState(state: initial, zkVersion: version)
                    initialized.insert(partition)
                } catch CoordinationError.nodeExists {
                    context.partitionStates[partition] = try await zk.partitionState(partition)
                }
                continue
            }
            guard context.liveBrokers[current.state.leader] == nil else { continue }
            var unclean = false
            if PartitionStateTransitions.needsUncleanElection(current.state, replicas: replicas, candidates: candidates) {
                unclean = try await uncleanElectionAllowed(partition.topic, cache: &uncleanByTopic)
            }
            let written = try await writeTransition(partition) {
                PartitionStateTransitions.offlineElection(
                    $0, replicas: replicas, candidates: candidates, live: live, unclean: unclean, controllerEpoch: epoch)
            }
            if written { elected.insert(partition) }
        }
        return (initialized, elected)
    }

    /// `unclean.leader.election.enable` of `topic` (`/config/topics/T`), else the broker's.
    func uncleanElectionAllowed(_ topic: String, cache: inout [String: Bool]) async throws -> Bool {
        if let known = cache[topic] { return known }
        let config = try await zk.topicConfig(topic)
        let allowed =
            config["unclean.leader.election.enable"].map { $0.lowercased() == "true" }
            ?? configuration.uncleanLeaderElectionEnable
        if allowed {
            logger.warning("unclean leader election allowed; data loss may occur", metadata: ["topic": "\(topic)"])
        }
        cache[topic] = allowed
        return allowed
    }

    /// Reads the assignments and existing partition states of `topics` into the context, arming
    /// a data watch on each topic znode (partition additions). A topic whose znodes cannot be
    /// decoded is logged and left out.
    func loadTopics(_ topics: [String]) async throws {
        for topic in topics {
            let assignment: TopicAssignment?
            do {
                assignment = try await watchTopicAssignment(topic)
            } catch let error as KafkaZNodeDecodingError {
                logger.error("ignoring topic with malformed assignment", metadata: ["topic": "\(topic)", "error": "\(error)"])
                continue
            }
            guard let assignment else { continue }
            context.topics[topic] = assignment
            for partition in context.partitions(of: topic) {
                do {
                    if let state = try await zk.partitionState(partition) { context.partitionStates[partition] = state }
                } catch let error as KafkaZNodeDecodingError {
                    logger.error("ignoring malformed partition state", metadata: ["partition": "\(partition)", "error": "\(error)"])
                }
            }
        }
    }

    /// The registered broker `id`, nil if absent or if its registration cannot be decoded (logged).
    func readLiveBroker(_ id: BrokerID) async throws -> BrokerInfo? {
        do {
            return try await zk.broker(id)
        } catch let error as KafkaZNodeDecodingError {
            logger.error("ignoring broker with malformed registration", metadata: ["id": "\(id)", "error": "\(error)"])
            return nil
        }
    }

    /// Drops a topic from the context.
    func forgetTopic(_ topic: String) {
        for partition in context.partitions(of: topic) { context.partitionStates[partition] = nil }
        context.topics[topic] = nil
    }
}
