import BrokerCore
import Logging
import Synchronization

/// Creates `__consumer_offsets` on first use, as Kafka's `AutoTopicCreationManager` does for the
/// group metadata topic: when FindCoordinator (or Metadata with auto-creation) finds it missing.
///
/// At most one creation is in flight at a time; later requests while it runs are no-ops (the
/// caller keeps answering "not available yet" until the metadata shows the topic). Creation is
/// refused, not scaled down, while fewer live brokers than `offsets.topic.replication.factor`
/// exist (Kafka 3.9: "Internal topic creation will fail until the cluster size meets this
/// replication factor requirement"); the check is made against the caller's metadata and again
/// against the registered brokers before writing.
///
/// Thread-safety: `requestCreation` may be called from any thread (event loops); it never blocks.
public final class OffsetsTopicCreator: Sendable {
    /// What ``requestCreation(liveBrokers:)`` did.
    public enum Outcome: Sendable {
        /// A creation task started.
        case started(Task<Void, Never>)
        /// A creation is already under way.
        case alreadyInFlight
        /// Not enough live brokers for the replication factor: nothing was attempted.
        case notEnoughLiveBrokers
    }

    public let settings: OffsetsTopicSettings
    private let admin: any TopicAdmin
    /// (partitions, replication factor, live brokers) → replicas of each partition.
    private let assign: @Sendable (Int32, Int16, [BrokerID]) throws -> [Int32: [BrokerID]]
    private let logger: Logger
    private let inFlight = Mutex(false)

    /// - Parameters:
    ///   - admin: writes the topic (any broker may, in ZooKeeper mode) and lists live brokers.
    ///   - assign: the replica assignment (Kafka's rack-unaware `assignReplicasToBrokers`).
    public init(
        settings: OffsetsTopicSettings, admin: any TopicAdmin,
        assign: @escaping @Sendable (Int32, Int16, [BrokerID]) throws -> [Int32: [BrokerID]], logger: Logger
    ) {
        self.settings = settings
        self.admin = admin
        self.assign = assign
        self.logger = logger
    }

    /// Starts creating the topic unless `liveBrokers` (as the caller's metadata knows them) is
    /// below the replication factor or a creation is already running. Returns at once.
    @discardableResult
    public func requestCreation(liveBrokers: Int) -> Outcome {
        guard settings.canCreate(liveBrokers: liveBrokers) else {
            logger.debug(
                "not creating \(TopicName.consumerOffsets): fewer live brokers than offsets.topic.replication.factor",
                metadata: ["live": "\(liveBrokers)", "replicationFactor": "\(settings.replicationFactor)"])
            return .notEnoughLiveBrokers
        }
        let claimed = inFlight.withLock { busy in
            if busy { return false }
            busy = true
            return true
        }
        guard claimed else { return .alreadyInFlight }
        return .started(
            Task {
                await create()
                inFlight.withLock { $0 = false }
            })
    }

    private func create() async {
        let name = TopicName.consumerOffsets
        do {
            let brokers = try await admin.liveBrokers()
            guard settings.canCreate(liveBrokers: brokers.count) else {
                logger.warning(
                    "not creating \(name): replication factor larger than the live brokers",
                    metadata: ["live": "\(brokers.count)", "replicationFactor": "\(settings.replicationFactor)"])
                return
            }
            let assignment = try assign(settings.partitionCount, settings.replicationFactor, brokers)
            try await admin.createTopic(name: name, assignment: assignment, configs: settings.topicConfigs)
            logger.info(
                "created \(name)",
                metadata: ["partitions": "\(settings.partitionCount)", "replicationFactor": "\(settings.replicationFactor)"])
        } catch let error as TopicAdminError where error.code == .topicAlreadyExists {
            return
        } catch {
            logger.warning("creating \(name) failed", metadata: ["error": "\(error)"])
        }
    }
}
