import BrokerCore
import Controller
import Coordination
import Synchronization
import Testing

/// One simulated broker: its coordination session, its registration keeper and its controller.
struct SimulatedBroker: Sendable {
    let id: BrokerID
    let store: any CoordinationStore
    let keeper: EphemeralNodeKeeper
    let controller: ZooKeeperController
    let epoch: BrokerEpoch
    let tasks: [Task<Void, Never>]

    var zk: KafkaZooKeeperClient { KafkaZooKeeperClient(store: store) }
}

/// Brokers with controllers over one coordination namespace and one recording channel; stops
/// everything at the end of `run`.
final class ControllerHarness: Sendable {
    let channel = RecordingControllerChannel()
    private let connect: @Sendable () async throws -> any CoordinationStore
    private let started = Mutex<[SimulatedBroker]>([])
    private let adminStores = Mutex<[any CoordinationStore]>([])

    init(connect: @escaping @Sendable () async throws -> any CoordinationStore) {
        self.connect = connect
    }

    /// An in-memory cluster.
    static func inMemory() -> (ControllerHarness, InMemoryCoordinationServer) {
        let server = InMemoryCoordinationServer()
        return (ControllerHarness { await server.connect() }, server)
    }

    /// A client of the namespace that is not a broker (admin tools, test assertions).
    func adminClient() async throws -> KafkaZooKeeperClient {
        let store = try await connect()
        adminStores.withLock { $0.append(store) }
        return KafkaZooKeeperClient(store: store)
    }

    /// Starts broker `id`: registers it, then (optionally) runs its controller.
    @discardableResult
    func startBroker(
        _ id: Int32, runController: Bool = true, uncleanLeaderElection: Bool = false
    ) async throws -> SimulatedBroker {
        let store = try await connect()
        let zk = KafkaZooKeeperClient(store: store)
        try await zk.ensurePersistentPaths()
        let keeper = EphemeralNodeKeeper(store: store)
        let keeperTask = Task { await keeper.run() }
        let registration = BrokerRegistration(
            brokerID: BrokerID(id),
            endpoints: [BrokerEndpoint(listenerName: "PLAINTEXT", host: "127.0.0.1", port: 9000 + id, securityProtocol: "PLAINTEXT")],
            timestamp: 1_700_000_000_000)
        let epoch = try await zk.registerBroker(registration, keeper: keeper)
        let controller = ZooKeeperController(
            configuration: ControllerConfiguration(brokerID: BrokerID(id), uncleanLeaderElectionEnable: uncleanLeaderElection),
            store: store, channel: channel)
        var tasks = [keeperTask]
        if runController { tasks.append(Task { await controller.run() }) }
        let broker = SimulatedBroker(
            id: BrokerID(id), store: store, keeper: keeper, controller: controller, epoch: epoch, tasks: tasks)
        started.withLock { $0.append(broker) }
        return broker
    }

    /// Kills a broker: its session ends (ephemerals vanish), its controller stops.
    func kill(_ broker: SimulatedBroker) async {
        await broker.store.close()
        for task in broker.tasks { await task.value }
    }

    func stopAll() async {
        let brokers = started.withLock { $0 }
        for broker in brokers {
            broker.controller.shutdown()
            await broker.store.close()
            for task in broker.tasks { await task.value }
        }
        for store in adminStores.withLock({ $0 }) { await store.close() }
    }

    /// Runs `body` with a harness, stopping everything afterwards.
    static func run(
        _ harness: ControllerHarness, _ body: (ControllerHarness) async throws -> Void
    ) async throws {
        do {
            try await body(harness)
        } catch {
            await harness.stopAll()
            throw error
        }
        await harness.stopAll()
    }
}

/// Waits until `controller`'s status satisfies `predicate` and returns it.
@discardableResult
func waitForStatus(
    _ controller: ZooKeeperController, _ predicate: @Sendable (ControllerStatus) -> Bool
) async throws -> ControllerStatus {
    let updates = controller.statusUpdates()
    let current = await controller.status
    if predicate(current) { return current }
    for await status in updates where predicate(status) { return status }
    throw StatusStreamEnded()
}

struct StatusStreamEnded: Error {}

/// Waits until `controller` is the active controller.
@discardableResult
func waitUntilActive(_ controller: ZooKeeperController) async throws -> ControllerStatus {
    try await waitForStatus(controller) { $0.isActive }
}

/// Waits until a watch on `path` reports its deletion (arms an exists watch; returns at once if
/// the node is already gone).
func waitUntilDeleted(_ path: String, in store: any CoordinationStore) async throws {
    while true {
        let (stat, watch) = try await store.existsAndWatch(path)
        if stat == nil { return }
        _ = try await watch.event()
    }
}
