import BrokerCore
import Coordination

/// The znodes the controller watches.
enum WatchedZNode: Sendable {
    /// `/controller` (exists watch; armed whether active or not).
    case controller
    /// Children of `/brokers/ids`.
    case brokers
    /// Children of `/brokers/topics`.
    case topics
    /// Children of `/admin/delete_topics`.
    case topicDeletions
    /// Children of `/isr_change_notification`.
    case isrChanges
    /// Data of `/brokers/topics/T` (partition additions; Kafka's `PartitionModificationsHandler`).
    case topicPartitions(String)
}

/// Everything the controller reacts to, processed one at a time in arrival order (Kafka's
/// `ControllerEventManager` queue).
enum ControllerEvent: Sendable {
    case startup
    case session(SessionEvent)
    /// A watch fired. `generation` is the controller incarnation that armed it (child watches of
    /// an earlier incarnation are ignored); `token` identifies the waiting task.
    case watchFired(WatchedZNode, type: WatchEventType, generation: UInt64, token: UInt64)
    case controlledShutdown(
        broker: BrokerID, brokerEpoch: BrokerEpoch, reply: CheckedContinuation<Set<TopicPartition>, any Error>)
    case shutdown
}
