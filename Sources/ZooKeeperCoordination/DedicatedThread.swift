import Foundation

/// Runs blocking C calls (`zookeeper_init` resolves host names, `zookeeper_close` waits for the
/// server and joins the client's threads) on a fresh thread of their own, so that no Swift
/// concurrency or NIO thread ever blocks on them.
enum DedicatedThread {
    static func run<T: Sendable>(name: String, _ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: body())
            }
            thread.name = name
            thread.start()
        }
    }
}
