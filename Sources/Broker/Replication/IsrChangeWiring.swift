import Controller
import Coordination
import Logging
import Replication

/// The ISR-change path of a ZooKeeper-mode broker, for the composition root: the writer the
/// replica manager's leaders use (``ZooKeeperIsrUpdateWriter``) and the notification batcher
/// (``IsrChangePropagator``). Without ZooKeeper both are absent and leaders apply ISR changes at
/// once.
struct IsrChangeWiring: Sendable {
    let writer: ZooKeeperIsrUpdateWriter?
    let propagator: IsrChangePropagator?

    init(store: (any CoordinationStore)?, logger: Logger) {
        guard let store else {
            writer = nil
            propagator = nil
            return
        }
        let zk = KafkaZooKeeperClient(store: store)
        let propagator = IsrChangePropagator(zk: zk, logger: logger)
        self.propagator = propagator
        self.writer = ZooKeeperIsrUpdateWriter(zk: zk, propagator: propagator, logger: logger)
    }

    /// Starts the periodic notification check; cancel the task at shutdown.
    func start() -> Task<Void, Never> {
        let propagator = self.propagator
        return Task { await propagator?.run() }
    }
}
