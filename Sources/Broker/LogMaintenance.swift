import Logging
import LogStorage
import NIOCore
import NIOPosix
import Synchronization

/// The periodic storage jobs Kafka's LogManager schedules: offset checkpoints (recovery point,
/// log start, high watermark), retention, and time-based flushes.
///
/// The jobs do blocking file I/O, so they run on a one-thread `NIOThreadPool`, never on an event
/// loop; an event loop only times them.
final class LogMaintenance: Sendable {
    private let logManager: LogManager
    private let loop: any EventLoop
    private let pool: NIOThreadPool
    private let logger: Logger
    private let tasks = Mutex<[RepeatedTask]>([])

    init(logManager: LogManager, group: any EventLoopGroup, logger: Logger) {
        self.logManager = logManager
        self.loop = group.next()
        self.pool = NIOThreadPool(numberOfThreads: 1)
        self.logger = logger
    }

    /// Starts the jobs: checkpoints every `checkpointInterval` (Kafka: 60 s), retention every
    /// `retentionInterval` (Kafka's log.retention.check.interval.ms, 5 min), flushes every second.
    func start(checkpointInterval: TimeAmount = .seconds(60), retentionInterval: TimeAmount = .minutes(5)) {
        pool.start()
        let jobs: [(TimeAmount, String, @Sendable (LogManager) throws -> Void)] = [
            (checkpointInterval, "checkpoint", { try $0.checkpoint() }),
            (retentionInterval, "retention", { _ = try $0.applyRetention() }),
            (.seconds(1), "flush", { try $0.flushDirtyLogs() }),
        ]
        let scheduled = jobs.map { interval, name, job in
            loop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { [pool, logManager, logger] _ in
                pool.submit { state in
                    guard state == .active else { return }
                    do { try job(logManager) } catch { logger.error("log \(name) failed", metadata: ["error": "\(error)"]) }
                }
            }
        }
        tasks.withLock { $0 = scheduled }
    }

    func stop() {
        for task in tasks.withLock({ $0 }) { task.cancel() }
        try? pool.syncShutdownGracefully()
    }
}
