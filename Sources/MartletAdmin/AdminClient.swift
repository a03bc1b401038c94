import BrokerCore
import KafkaClient
import KafkaProtocol
import NIOCore
import NIOPosix

/// A small Kafka admin client over ``KafkaClient/KafkaBrokerConnection``: Metadata from any
/// bootstrap server, requests routed to partition leaders (ListOffsets), to the group coordinator
/// (FindCoordinator, then DescribeGroups / OffsetFetch / DeleteGroups), to every broker
/// (ListGroups) and to the controller (CreateTopics / DeleteTopics).
///
/// Retriable broker errors (NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS, NOT_CONTROLLER,
/// LEADER_NOT_AVAILABLE, ...) and lost connections are retried with backoff after refreshing
/// metadata / the coordinator, until ``Options/operationTimeout``; then the operation throws
/// ``AdminError/timedOut(operation:lastError:)``. Other failures throw ``AdminError`` at once.
///
/// Thread-safety: an actor. Calls may be made concurrently; each connection is opened once per
/// broker and reused (one request per call; requests on a connection pipeline).
/// Call ``close()`` when done.
public actor AdminClient {
    public struct Options: Sendable {
        public var clientID: String
        /// Per request (and per connection attempt).
        public var requestTimeout: Duration
        /// Total time an operation keeps retrying retriable errors.
        public var operationTimeout: Duration
        /// First pause between retries; doubles up to one second.
        public var retryBackoff: Duration

        public init(
            clientID: String = "martlet-admin", requestTimeout: Duration = .seconds(30),
            operationTimeout: Duration = .seconds(60), retryBackoff: Duration = .milliseconds(100)
        ) {
            self.clientID = clientID
            self.requestTimeout = requestTimeout
            self.operationTimeout = operationTimeout
            self.retryBackoff = retryBackoff
        }
    }

    /// A failure worth retrying after refreshing metadata and coordinators.
    struct Retriable: Error, CustomStringConvertible {
        var description: String
    }

    let bootstrap: [BrokerAddress]
    let options: Options
    /// ``Options/requestTimeout`` as NIO wants it.
    let requestTimeout: TimeAmount
    let group: any EventLoopGroup

    private var bootstrapSession: BrokerSession?
    private var sessions: [BrokerID: BrokerSession] = [:]
    /// Brokers from the latest Metadata (and FindCoordinator) responses.
    private var brokers: [BrokerID: BrokerInfo] = [:]
    private var coordinators: [String: BrokerInfo] = [:]

    public init(
        bootstrap: [BrokerAddress], options: Options = Options(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.bootstrap = bootstrap
        self.options = options
        self.requestTimeout = TimeAmount(options.requestTimeout)
        self.group = group
    }

    /// Closes every connection.
    public func close() async {
        let all = Array(sessions.values) + (bootstrapSession.map { [$0] } ?? [])
        sessions = [:]
        bootstrapSession = nil
        for session in all { await session.connection.close() }
    }

    // MARK: Connections

    /// A session with any broker: the first bootstrap server that answers, else any known broker.
    func anySession() async throws -> BrokerSession {
        if let session = bootstrapSession, session.connection.isActive { return session }
        bootstrapSession = nil
        var tried: [String] = []
        let known = brokers.values.sorted { $0.id < $1.id }.map(\.address)
        for address in bootstrap + known.filter({ !bootstrap.contains($0) }) {
            do {
                let session = try await BrokerSession.open(
                    address, clientID: options.clientID, group: group, timeout: requestTimeout)
                bootstrapSession = session
                return session
            } catch let error as AdminError {
                throw error
            } catch {
                tried.append("\(address): \(error)")
            }
        }
        throw AdminError.noBrokerReachable(tried)
    }

    /// A session with broker `id` (its address from the latest Metadata).
    func session(for broker: BrokerInfo) async throws -> BrokerSession {
        if let session = sessions[broker.id], session.connection.isActive, session.address == broker.address {
            return session
        }
        if let stale = sessions.removeValue(forKey: broker.id) { await stale.connection.close() }
        do {
            let session = try await BrokerSession.open(
                broker.address, clientID: options.clientID, group: group, timeout: requestTimeout)
            sessions[broker.id] = session
            return session
        } catch let error as AdminError {
            throw error
        } catch {
            throw Retriable(description: "cannot connect to broker \(broker.id) at \(broker.address): \(error)")
        }
    }

    func broker(_ id: BrokerID) async throws -> BrokerInfo {
        if let known = brokers[id] { return known }
        _ = try await metadata(topics: [])
        guard let known = brokers[id] else { throw Retriable(description: "broker \(id) is not in the metadata") }
        return known
    }

    func forgetCoordinator(_ group: String) { coordinators[group] = nil }

    func rememberCoordinator(_ group: String, _ broker: BrokerInfo) {
        coordinators[group] = broker
        brokers[broker.id] = broker
    }

    func knownCoordinator(_ group: String) -> BrokerInfo? { coordinators[group] }

    /// Runs `attempt` until it succeeds, throws a non-retriable error, or the operation timeout
    /// passes. Lost connections and ``Retriable`` failures are retried after dropping dead
    /// connections and cached coordinators.
    func withRetries<T: Sendable>(
        _ operation: String, _ attempt: () async throws -> T
    ) async throws -> T {
        let deadline = ContinuousClock.now + options.operationTimeout
        var backoff = options.retryBackoff
        while true {
            let failure: String
            do {
                return try await attempt()
            } catch let error as AdminError {
                throw error
            } catch let error as Retriable {
                failure = error.description
            } catch let error as KafkaClientError {
                if case .malformedResponse = error { throw error }
                failure = "\(error)"
            } catch {
                failure = "\(error)"
            }
            dropInactiveSessions()
            coordinators = [:]
            if ContinuousClock.now + backoff > deadline {
                throw AdminError.timedOut(operation: operation, lastError: failure)
            }
            try await Task.sleep(for: backoff)
            backoff = min(backoff * 2, .seconds(1))
        }
    }

    private func dropInactiveSessions() {
        sessions = sessions.filter { $0.value.connection.isActive }
        if let session = bootstrapSession, !session.connection.isActive { bootstrapSession = nil }
    }

    // MARK: Metadata

    /// One Metadata request (`topics` nil = every topic) to any broker; never auto-creates topics.
    /// Updates the known brokers.
    public func metadata(topics: [String]? = nil) async throws -> ClusterDescription {
        try await withRetries("Metadata") {
            let session = try await anySession()
            let request = MetadataRequest(
                topics: topics.map { $0.map { MetadataRequest.MetadataRequestTopic(name: $0) } },
                allowAutoTopicCreation: false)
            let (response, _) = try await session.send(
                request, client: AdminProtocolVersions.metadata, timeout: requestTimeout)
            let cluster = ClusterDescription(response)
            for broker in cluster.brokers { brokers[broker.id] = broker }
            return cluster
        }
    }
}

extension TimeAmount {
    /// The same span (sub-nanosecond parts dropped; saturating).
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let (nanos, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        self = .nanoseconds(overflow ? .max : nanos.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue)
    }
}
