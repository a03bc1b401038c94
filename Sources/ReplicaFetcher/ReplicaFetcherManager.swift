import BrokerCore
import Logging
import NIOCore
import Replication
import Synchronization

/// The replica fetchers of this broker (Kafka's `ReplicaFetcherManager` with
/// `num.replica.fetchers` = 1): one ``LeaderFetcher`` per leader broker, created when the first
/// partition led by that broker is added and shut down when its last partition goes.
///
/// Implements ``Replication/FollowerFetchControl``: the replica manager calls it from partitions'
/// event loops on role changes. The assignment (partition → leader) and the fetcher registry are
/// guarded by one `Mutex`, held only to update them; each fetcher applies the calls on its own
/// loop in call order. Appends go through the ``Replication/ReplicaManager`` (on each
/// partition's loop).
public final class ReplicaFetcherManager: FollowerFetchControl, Sendable {
    private struct Registry {
        var fetchers: [BrokerID: LeaderFetcher] = [:]
        var assignment: [TopicPartition: BrokerID] = [:]
        var nextLoop = 0
        var isShutdown = false
    }

    public let config: ReplicaFetcherConfig
    private let replicaManager: ReplicaManager
    private let group: any EventLoopGroup
    private let eventLoops: [any EventLoop]
    private let resolveEndpoint: @Sendable (BrokerID) -> BrokerEndpoint?
    private let logger: Logger
    private let registry = Mutex(Registry())

    /// - Parameters:
    ///   - replicaManager: applies fetched data; the manager registers itself with it
    ///     (``Replication/ReplicaManager/setFollowerFetchControl(_:)``).
    ///   - group: fetchers run on its loops (round-robin) and connect through it.
    ///   - resolveEndpoint: a broker's inter-broker endpoint (from the metadata cache), asked at
    ///     every (re)connect; nil while unknown (the fetcher backs off and asks again).
    public init(
        config: ReplicaFetcherConfig, replicaManager: ReplicaManager, group: any EventLoopGroup,
        resolveEndpoint: @escaping @Sendable (BrokerID) -> BrokerEndpoint?,
        logger: Logger = Logger(label: "martlet.replica-fetcher")
    ) {
        self.config = config
        self.replicaManager = replicaManager
        self.group = group
        self.eventLoops = Array(group.makeIterator())
        self.resolveEndpoint = resolveEndpoint
        self.logger = logger
        replicaManager.setFollowerFetchControl(self)
    }

    public func addPartitions(_ positions: [FollowerFetchPosition]) {
        var removals: [(LeaderFetcher, [TopicPartition])] = []
        var additions: [(LeaderFetcher, [FollowerFetchPosition])] = []
        var idle: [LeaderFetcher] = []
        registry.withLock { registry in
            guard !registry.isShutdown else { return }
            var byLeader: [BrokerID: [FollowerFetchPosition]] = [:]
            for position in positions {
                let partition = position.topicPartition
                if let previous = registry.assignment[partition], previous != position.leader,
                    let fetcher = registry.fetchers[previous]
                {
                    removals.append((fetcher, [partition]))
                }
                registry.assignment[partition] = position.leader
                byLeader[position.leader, default: []].append(position)
            }
            for (leader, leaderPositions) in byLeader.sorted(by: { $0.key < $1.key }) {
                let fetcher = fetcher(for: leader, in: &registry)
                additions.append((fetcher, leaderPositions))
            }
            idle = removeIdleFetchers(&registry)
        }
        for (fetcher, partitions) in removals { fetcher.remove(partitions) }
        for (fetcher, leaderPositions) in additions {
            logger.info(
                "fetching partitions",
                metadata: [
                    "leader": "\(fetcher.leader)",
                    "partitions": "\(leaderPositions.map { "\($0.topicPartition)@\($0.fetchOffset)" })",
                ])
            fetcher.add(leaderPositions)
        }
        for fetcher in idle { _ = fetcher.shutdown() }
    }

    public func removePartitions(_ partitions: [TopicPartition]) {
        var removals: [(LeaderFetcher, [TopicPartition])] = []
        var idle: [LeaderFetcher] = []
        registry.withLock { registry in
            var byLeader: [BrokerID: [TopicPartition]] = [:]
            for partition in partitions {
                guard let leader = registry.assignment.removeValue(forKey: partition) else { continue }
                byLeader[leader, default: []].append(partition)
            }
            for (leader, leaderPartitions) in byLeader {
                if let fetcher = registry.fetchers[leader] { removals.append((fetcher, leaderPartitions)) }
            }
            idle = removeIdleFetchers(&registry)
        }
        for (fetcher, leaderPartitions) in removals { fetcher.remove(leaderPartitions) }
        for fetcher in idle { _ = fetcher.shutdown() }
    }

    /// The leader each followed partition is fetched from.
    public var assignment: [TopicPartition: BrokerID] { registry.withLock { $0.assignment } }

    /// The current fetch positions of every followed partition (diagnostics, tests).
    public func fetchPositions() -> EventLoopFuture<[TopicPartition: FollowerFetchPosition]> {
        let fetchers = registry.withLock { Array($0.fetchers.values) }
        let loop = eventLoops[0]
        let all = fetchers.map { $0.positions() }
        return EventLoopFuture.whenAllSucceed(all, on: loop).map { maps in
            maps.reduce(into: [:]) { result, map in result.merge(map) { $1 } }
        }
    }

    /// Stops every fetcher (Kafka `shutdown` at broker shutdown, before the replica manager's).
    public func shutdown() -> EventLoopFuture<Void> {
        let fetchers = registry.withLock { registry -> [LeaderFetcher] in
            registry.isShutdown = true
            registry.assignment.removeAll()
            defer { registry.fetchers.removeAll() }
            return Array(registry.fetchers.values)
        }
        return EventLoopFuture.andAllSucceed(fetchers.map { $0.shutdown() }, on: eventLoops[0])
    }

    private func fetcher(for leader: BrokerID, in registry: inout Registry) -> LeaderFetcher {
        if let existing = registry.fetchers[leader] { return existing }
        let loop = eventLoops[registry.nextLoop % eventLoops.count]
        registry.nextLoop += 1
        let created = LeaderFetcher(
            leader: leader, eventLoop: loop, group: group, config: config, replicaManager: replicaManager,
            resolveEndpoint: resolveEndpoint, logger: logger)
        registry.fetchers[leader] = created
        return created
    }

    /// Kafka's `shutdownIdleFetcherThreads`: fetchers no partition is assigned to.
    private func removeIdleFetchers(_ registry: inout Registry) -> [LeaderFetcher] {
        let busy = Set(registry.assignment.values)
        let idle = registry.fetchers.filter { !busy.contains($0.key) }
        for leader in idle.keys { registry.fetchers.removeValue(forKey: leader) }
        return Array(idle.values)
    }
}
