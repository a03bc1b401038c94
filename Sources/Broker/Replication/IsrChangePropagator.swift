import BrokerCore
import Controller
import Logging

/// Announces committed ISR changes to the controller as `/isr_change_notification/isr_change_<seq>`
/// znodes, batched as Kafka's `ReplicaManager.maybePropagateIsrChanges` does: checked every
/// `checkIntervalMs` (2.5 s), a batch goes out once no change arrived for `lingerMs` (5 s) or
/// the last announcement is `maxDelayMs` (60 s) old. The controller then re-reads the named
/// partitions' states and sends UpdateMetadata to every broker.
///
/// Thread-safety: an actor. ``run()`` is the periodic loop (cancel its task to stop).
actor IsrChangePropagator {
    struct Timing: Sendable {
        var checkIntervalMs: Int64 = 2_500
        var lingerMs: Int64 = 5_000
        var maxDelayMs: Int64 = 60_000
    }

    private let zk: KafkaZooKeeperClient
    private let clock: any TimeSource
    private let timing: Timing
    private let logger: Logger
    private var pending: Set<TopicPartition> = []
    private var lastChangeMs: Int64 = 0
    private var lastPropagationMs: Int64

    init(zk: KafkaZooKeeperClient, clock: any TimeSource = SystemTimeSource(), timing: Timing = Timing(), logger: Logger) {
        self.zk = zk
        self.clock = clock
        self.timing = timing
        self.logger = logger
        self.lastPropagationMs = clock.nowMilliseconds
    }

    /// A committed ISR change of `partition`.
    func record(_ partition: TopicPartition) {
        pending.insert(partition)
        lastChangeMs = clock.nowMilliseconds
    }

    /// Writes the pending changes if they are due (Kafka's rule); returns whether it wrote.
    @discardableResult
    func propagateIfDue() async -> Bool {
        let now = clock.nowMilliseconds
        guard !pending.isEmpty,
            lastChangeMs + timing.lingerMs < now || lastPropagationMs + timing.maxDelayMs < now
        else { return false }
        let batch = pending
        pending.removeAll()
        do {
            try await zk.createIsrChangeNotification(batch)
            lastPropagationMs = now
            return true
        } catch {
            logger.warning("cannot announce ISR changes; will retry", metadata: ["error": "\(error)"])
            pending.formUnion(batch)
            return false
        }
    }

    /// Checks every `checkIntervalMs` until cancelled.
    func run() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(timing.checkIntervalMs))
            await propagateIfDue()
        }
    }
}
