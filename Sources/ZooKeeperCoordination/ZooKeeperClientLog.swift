import CZooKeeper
import Logging

/// Where the C client's log lines go: swift-log, label `martlet.zookeeper.client`.
/// `ZOO_ERROR` → warning (the C client reports every failed connection attempt as an error),
/// `ZOO_WARN` → info, everything else → debug.
let zooKeeperClientLogger = Logger(label: "martlet.zookeeper.client")

/// `log_callback_fn`: called on the C client's threads; only forwards to swift-log.
func zooKeeperClientLog(_ message: UnsafePointer<CChar>?) {
    guard let message else { return }
    let line = String(cString: message)
    let level: Logger.Level
    if line.contains(":ZOO_ERROR@") {
        level = .warning
    } else if line.contains(":ZOO_WARN@") {
        level = .info
    } else {
        level = .debug
    }
    zooKeeperClientLogger.log(level: level, "\(line)")
}
