import BrokerCore
import KafkaClient
import KafkaProtocol
import Logging
import NIOCore
import Replication

/// Pulls every partition this broker follows from one leader broker (Kafka's
/// `ReplicaFetcherThread`, one per leader as with `num.replica.fetchers` = 1).
///
/// A loop of Fetch v12 requests over one connection: each carries every partition not backed
/// off, with its fetch offset, current leader epoch and last fetched epoch. For each partition of
/// the answer the replica manager appends the records (or truncates on a `divergingEpoch`, or
/// re-positions after OFFSET_OUT_OF_RANGE using the leader's log start and end from ListOffsets),
/// and the answer's position is the next fetch offset. Per-partition errors back the partition
/// off for `replica.fetch.backoff.ms` (NOT_LEADER_OR_FOLLOWER, UNKNOWN_LEADER_EPOCH, ...);
/// FENCED_LEADER_EPOCH stops it until LeaderAndIsr adds it again. A lost connection backs off
/// every partition, then reconnects (the endpoint is resolved again each time).
///
/// ## Threading
/// Everything (partition states, the connection, the single request in flight) is owned by
/// ``eventLoop``; the public methods hop there, in call order.
final class LeaderFetcher: @unchecked Sendable {
    let leader: BrokerID
    let eventLoop: any EventLoop
    private let group: any EventLoopGroup
    private let config: ReplicaFetcherConfig
    private let replicaManager: ReplicaManager
    private let resolveEndpoint: @Sendable (BrokerID) -> BrokerEndpoint?
    private let logger: Logger

    // Loop-confined state.
    private var state = FetcherState()
    private var connection: KafkaBrokerConnection?
    /// A connect or a fetch (with its processing) is under way.
    private var busy = false
    private var wakeTask: Scheduled<Void>?
    private var stopped = false

    init(
        leader: BrokerID, eventLoop: any EventLoop, group: any EventLoopGroup, config: ReplicaFetcherConfig,
        replicaManager: ReplicaManager, resolveEndpoint: @escaping @Sendable (BrokerID) -> BrokerEndpoint?,
        logger: Logger
    ) {
        self.leader = leader
        self.eventLoop = eventLoop
        self.group = group
        self.config = config
        self.replicaManager = replicaManager
        self.resolveEndpoint = resolveEndpoint
        var logger = logger
        logger[metadataKey: "leader"] = "\(leader)"
        self.logger = logger
    }

    // MARK: Control (any thread)

    func add(_ positions: [FollowerFetchPosition]) {
        eventLoop.execute {
            guard !self.stopped else { return }
            for position in positions { self.state.add(position) }
            self.maybeFetch()
        }
    }

    func remove(_ partitions: [TopicPartition]) {
        eventLoop.execute {
            for partition in partitions { self.state.remove(partition) }
            if self.state.isEmpty { self.closeConnection() }
        }
    }

    /// Stops fetching and closes the connection; answers in flight are ignored.
    func shutdown() -> EventLoopFuture<Void> {
        eventLoop.submit {
            self.stopped = true
            self.wakeTask?.cancel()
            self.wakeTask = nil
            self.closeConnection()
        }
    }

    /// The partitions and their positions (for tests and diagnostics).
    func positions() -> EventLoopFuture<[TopicPartition: FollowerFetchPosition]> {
        eventLoop.submit { self.state.partitions.mapValues(\.position) }
    }

    // MARK: The fetch loop (on the loop)

    private func now() -> NIODeadline { .now() }

    private func backoffDeadline() -> NIODeadline { now() + .milliseconds(config.fetchBackoffMs) }

    /// Sends the next fetch if nothing is in flight and some partition is ready; otherwise
    /// schedules a wake-up for the earliest backed-off partition.
    private func maybeFetch() {
        eventLoop.assertInEventLoop()
        guard !stopped, !busy else { return }
        wakeTask?.cancel()
        wakeTask = nil
        let (ready, nextReady) = state.plan(now: now())
        guard !ready.isEmpty else {
            if let nextReady {
                wakeTask = eventLoop.scheduleTask(deadline: nextReady) { self.maybeFetch() }
            }
            return
        }
        busy = true
        guard let connection, connection.isActive else {
            connect()
            return
        }
        fetch(ready, over: connection)
    }

    private func finishRound() {
        busy = false
        maybeFetch()
    }

    private func connect() {
        closeConnection()
        guard let endpoint = resolveEndpoint(leader) else {
            logger.info("leader endpoint unknown; backing off")
            state.delayAll(until: backoffDeadline())
            finishRound()
            return
        }
        let group = self.group
        let clientID = "broker-\(config.localBrokerID.rawValue)-fetcher-0"
        eventLoop.makeFutureWithTask {
            try await KafkaBrokerConnection.connect(
                host: endpoint.host, port: endpoint.port, clientID: clientID, group: group)
        }.whenComplete { result in
            self.eventLoop.assertInEventLoop()
            switch result {
            case .success(let connection):
                if self.stopped {
                    Task { await connection.close() }
                    return
                }
                self.connection = connection
                self.logger.info("connected to leader", metadata: ["endpoint": "\(endpoint.host):\(endpoint.port)"])
            case .failure(let error):
                self.logger.info(
                    "cannot connect to leader; backing off",
                    metadata: ["endpoint": "\(endpoint.host):\(endpoint.port)", "error": "\(error)"])
                self.state.delayAll(until: self.backoffDeadline())
            }
            self.finishRound()
        }
    }

    private func closeConnection() {
        if let connection {
            self.connection = nil
            Task { await connection.close() }
        }
    }

    private func fetch(_ planned: [PlannedPartition], over connection: KafkaBrokerConnection) {
        let request = ReplicaFetchRequests.fetch(planned, config: config)
        let timeout = TimeAmount.milliseconds(Int64(config.fetchWaitMaxMs) + config.socketTimeoutMs)
        connection.sendFuture(request, version: ReplicaFetchRequests.fetchVersion, timeout: timeout)
            .hop(to: eventLoop)
            .whenComplete { result in
                guard !self.stopped else { return }
                switch result {
                case .success(let response):
                    self.process(response, planned: planned, over: connection)
                case .failure(let error):
                    self.logger.info("fetch failed; reconnecting after back-off", metadata: ["error": "\(error)"])
                    if self.connection === connection { self.closeConnection() }
                    self.state.delayAll(until: self.backoffDeadline())
                    self.finishRound()
                }
            }
    }

    /// Handles every partition of a response, then starts the next round.
    private func process(_ response: FetchResponse, planned: [PlannedPartition], over connection: KafkaBrokerConnection) {
        let code = ErrorCode(rawValue: response.errorCode) ?? .unknownServerError
        guard code == .none else {
            logger.info("fetch answered with an error; backing off", metadata: ["error": "\(code)"])
            state.delayAll(until: backoffDeadline())
            finishRound()
            return
        }
        let answers = ReplicaFetchRequests.partitions(of: response)
        let steps = planned.map { partition -> EventLoopFuture<Void> in
            guard state.isCurrent(partition), let data = answers[partition.position.topicPartition] else {
                return eventLoop.makeSucceededVoidFuture()
            }
            return handle(data, for: partition, over: connection)
        }
        EventLoopFuture.andAllComplete(steps, on: eventLoop).whenComplete { _ in self.finishRound() }
    }

    /// One partition of a response (Kafka's `processFetchResponse` cases). Completes on the loop
    /// after the state was updated.
    private func handle(
        _ data: FetchResponse.PartitionData, for partition: PlannedPartition, over connection: KafkaBrokerConnection
    ) -> EventLoopFuture<Void> {
        let position = partition.position
        let tp = position.topicPartition
        let code = ErrorCode(rawValue: data.errorCode) ?? .unknownServerError
        switch code {
        case .none:
            if let diverging = ReplicaFetchRequests.divergingEpoch(data) {
                return apply(
                    replicaManager.truncateOnDivergence(
                        tp, leaderEpoch: position.leaderEpoch, divergingEpoch: diverging.epoch, endOffset: diverging.endOffset),
                    to: partition, gotData: false)
            }
            let records = ReplicaFetchRequests.records(data)
            let fetched = FollowerFetchedData(
                topicPartition: tp, leaderEpoch: position.leaderEpoch, fetchOffset: position.fetchOffset, records: records,
                leaderHighWatermark: Offset(data.highWatermark), leaderLogStartOffset: Offset(data.logStartOffset))
            return apply(replicaManager.appendFetchedRecords(fetched), to: partition, gotData: records.readableBytes > 0)
        case .offsetOutOfRange:
            return handleOutOfRange(partition, over: connection)
        case .fencedLeaderEpoch:
            logger.info(
                "leader epoch fenced; waiting for LeaderAndIsr",
                metadata: ["partition": "\(tp)", "leaderEpoch": "\(position.leaderEpoch)"])
            state.markFailed(partition)
            return eventLoop.makeSucceededVoidFuture()
        default:
            logger.debug("partition fetch error; backing off", metadata: ["partition": "\(tp)", "error": "\(code)"])
            state.delay(partition, until: backoffDeadline())
            return eventLoop.makeSucceededVoidFuture()
        }
    }

    /// Applies the replica manager's answer for a partition to its fetch state (on the loop).
    private func apply(
        _ outcome: EventLoopFuture<FollowerFetchOutcome>, to partition: PlannedPartition, gotData: Bool
    ) -> EventLoopFuture<Void> {
        outcome.hop(to: eventLoop).map { outcome in
            switch outcome {
            case .fetch(let position):
                self.state.advance(partition, to: position, moveToEnd: gotData)
            case .notFollower:
                self.state.drop(partition)
            case .failed(let code, let position):
                self.logger.warning(
                    "follower could not apply fetched data; backing off",
                    metadata: ["partition": "\(partition.position.topicPartition)", "error": "\(code)"])
                self.state.delay(partition, until: self.backoffDeadline(), position: position)
            }
        }.recover { error in
            self.state.delay(partition, until: self.backoffDeadline())
        }
    }

    /// OFFSET_OUT_OF_RANGE (Kafka `handleOutOfRangeError` → `fetchOffsetAndTruncate`): asks the
    /// leader for its log start and end as a replica, then lets the replica manager re-position.
    private func handleOutOfRange(_ partition: PlannedPartition, over connection: KafkaBrokerConnection) -> EventLoopFuture<Void> {
        let position = partition.position
        let tp = position.topicPartition
        let timeout = TimeAmount.milliseconds(config.socketTimeoutMs)
        let version = ReplicaFetchRequests.listOffsetsVersion
        let end = connection.sendFuture(
            ReplicaFetchRequests.listOffset(position, timestamp: -1, config: config), version: version, timeout: timeout)
        let start = connection.sendFuture(
            ReplicaFetchRequests.listOffset(position, timestamp: -2, config: config), version: version, timeout: timeout)
        return end.and(start).hop(to: eventLoop).flatMap { (endResponse, startResponse) -> EventLoopFuture<Void> in
            let leaderEnd = ReplicaFetchRequests.offset(of: endResponse, for: tp)
            let leaderStart = ReplicaFetchRequests.offset(of: startResponse, for: tp)
            switch (leaderStart, leaderEnd) {
            case (.offset(let startOffset), .offset(let endOffset)):
                self.logger.info(
                    "fetch offset out of range; re-positioning",
                    metadata: [
                        "partition": "\(tp)", "fetchOffset": "\(position.fetchOffset)",
                        "leaderStartOffset": "\(startOffset)", "leaderEndOffset": "\(endOffset)",
                    ])
                return self.apply(
                    self.replicaManager.resetAfterOutOfRange(
                        tp, leaderEpoch: position.leaderEpoch, leaderLogStartOffset: startOffset, leaderLogEndOffset: endOffset),
                    to: partition, gotData: false)
            case (.error(.fencedLeaderEpoch), _), (_, .error(.fencedLeaderEpoch)):
                self.state.markFailed(partition)
            default:
                self.state.delay(partition, until: self.backoffDeadline())
            }
            return self.eventLoop.makeSucceededVoidFuture()
        }.recover { _ in
            self.state.delay(partition, until: self.backoffDeadline())
        }
    }
}
