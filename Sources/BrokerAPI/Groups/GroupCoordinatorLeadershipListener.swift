import BrokerCore
import GroupCoordination

/// Tells the group coordinator which `__consumer_offsets` partitions this broker leads (Kafka's
/// `RequestHandlerHelper.onLeadershipChange` + the StopReplica hook in `KafkaApis`): leader →
/// ``GroupCoordinatorService/onElection(partition:leaderEpoch:)``, follower or stopped →
/// ``GroupCoordinatorService/onResignation(partition:leaderEpoch:)`` (unconditional when stopped).
/// Other topics are ignored.
public struct GroupCoordinatorLeadershipListener: PartitionLeadershipListener {
    let coordinator: any GroupCoordinatorService

    public init(coordinator: any GroupCoordinatorService) {
        self.coordinator = coordinator
    }

    public func becameLeader(_ partition: TopicPartition, leaderEpoch: LeaderEpoch) {
        guard partition.topic == TopicName.consumerOffsets else { return }
        coordinator.onElection(partition: partition.partition, leaderEpoch: leaderEpoch)
    }

    public func becameFollower(_ partition: TopicPartition, leaderEpoch: LeaderEpoch) {
        guard partition.topic == TopicName.consumerOffsets else { return }
        coordinator.onResignation(partition: partition.partition, leaderEpoch: leaderEpoch)
    }

    public func stopped(_ partition: TopicPartition) {
        guard partition.topic == TopicName.consumerOffsets else { return }
        coordinator.onResignation(partition: partition.partition, leaderEpoch: nil)
    }
}
