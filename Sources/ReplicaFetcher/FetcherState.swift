import BrokerCore
import NIOCore
import Replication

/// One partition a fetcher pulls (Kafka's `PartitionFetchState`).
struct PartitionFetchState: Sendable, Hashable {
    var position: FollowerFetchPosition
    /// Not fetched before this time (back-off after an error or a lost connection).
    var delayedUntil: NIODeadline?
    /// Fenced by the leader (FENCED_LEADER_EPOCH): not fetched until LeaderAndIsr re-adds it
    /// (Kafka's failed partitions).
    var isFailed = false
    /// Identifies this add of the partition: answers to a fetch sent for an earlier add are
    /// ignored.
    var generation: UInt64
}

/// A partition as sent in one fetch request.
struct PlannedPartition: Sendable, Hashable {
    var position: FollowerFetchPosition
    var generation: UInt64
}

/// The partitions of one leader's fetcher and their positions, as a plain value (the fetcher
/// owns it on its event loop; Kafka's `PartitionStates` of an `AbstractFetcherThread`).
///
/// Order matters for fairness: a response has a size bound, so partitions that just got data
/// move to the end (Kafka's `updateAndMoveToEnd`).
struct FetcherState: Sendable {
    private(set) var partitions: [TopicPartition: PartitionFetchState] = [:]
    private(set) var order: [TopicPartition] = []
    private var nextGeneration: UInt64 = 1

    var isEmpty: Bool { partitions.isEmpty }

    /// Starts fetching `position`'s partition. A partition already fetched in the same leader
    /// epoch keeps its state (Kafka's `partitionFetchState`), unless it failed.
    mutating func add(_ position: FollowerFetchPosition) {
        let partition = position.topicPartition
        if let existing = partitions[partition], !existing.isFailed, existing.position.leader == position.leader,
            existing.position.leaderEpoch == position.leaderEpoch
        {
            return
        }
        if partitions[partition] == nil { order.append(partition) }
        partitions[partition] = PartitionFetchState(position: position, generation: nextGeneration)
        nextGeneration += 1
    }

    mutating func remove(_ partition: TopicPartition) {
        guard partitions.removeValue(forKey: partition) != nil else { return }
        order.removeAll { $0 == partition }
    }

    /// The partitions to fetch now, in order, and the earliest time a delayed one becomes ready.
    func plan(now: NIODeadline) -> (ready: [PlannedPartition], nextReady: NIODeadline?) {
        var ready: [PlannedPartition] = []
        var nextReady: NIODeadline?
        for partition in order {
            guard let state = partitions[partition], !state.isFailed else { continue }
            if let until = state.delayedUntil, until > now {
                nextReady = min(nextReady ?? until, until)
                continue
            }
            ready.append(PlannedPartition(position: state.position, generation: state.generation))
        }
        return (ready, nextReady)
    }

    /// Whether `planned` still describes the partition's current add.
    func isCurrent(_ planned: PlannedPartition) -> Bool {
        partitions[planned.position.topicPartition]?.generation == planned.generation
    }

    /// Continues from `position` (after an append or truncation); clears any delay. With
    /// `moveToEnd`, the partition goes to the end of the order (it got data).
    mutating func advance(_ planned: PlannedPartition, to position: FollowerFetchPosition, moveToEnd: Bool) {
        guard isCurrent(planned) else { return }
        let partition = planned.position.topicPartition
        partitions[partition]?.position = position
        partitions[partition]?.delayedUntil = nil
        if moveToEnd, let index = order.firstIndex(of: partition) {
            order.remove(at: index)
            order.append(partition)
        }
    }

    /// Backs off the partition until `until` (optionally from a new position).
    mutating func delay(_ planned: PlannedPartition, until: NIODeadline, position: FollowerFetchPosition? = nil) {
        guard isCurrent(planned) else { return }
        let partition = planned.position.topicPartition
        if let position { partitions[partition]?.position = position }
        partitions[partition]?.delayedUntil = until
    }

    /// Stops fetching the partition until it is added again (fenced).
    mutating func markFailed(_ planned: PlannedPartition) {
        guard isCurrent(planned) else { return }
        partitions[planned.position.topicPartition]?.isFailed = true
    }

    /// Drops the partition if `planned` is its current add (it is not a follower any more).
    mutating func drop(_ planned: PlannedPartition) {
        guard isCurrent(planned) else { return }
        remove(planned.position.topicPartition)
    }

    /// Backs off every partition that is not failed (connection lost or unusable).
    mutating func delayAll(until: NIODeadline) {
        for partition in order where partitions[partition]?.isFailed == false {
            partitions[partition]?.delayedUntil = until
        }
    }
}
