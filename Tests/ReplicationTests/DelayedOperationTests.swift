import BrokerCore
import NIOCore
import NIOEmbedded
import Testing

@testable import Replication

/// A test operation that completes when `ready` is set; counts its callbacks.
final class CountingOperation: DelayedOperation, @unchecked Sendable {
    var ready = false
    var completions = 0
    var expirations = 0

    override func tryComplete() -> Bool { ready ? forceComplete() : false }
    override func onComplete() { completions += 1 }
    override func onExpiration() { expirations += 1 }
}

@Suite struct DelayedOperationTests {
    let key = TopicPartition("t", 0)

    @Test func completesExactlyOnceWhenConditionHoldsThenTimerFires() {
        let loop = EmbeddedEventLoop()
        let purgatory = DelayedOperationPurgatory(name: "test", eventLoop: loop)
        let operation = CountingOperation(eventLoop: loop)
        operation.startTimer(milliseconds: 100)
        purgatory.watch(operation, key: key)
        #expect(purgatory.checkAndComplete(key) == 1)
        #expect(operation.completions == 0)
        operation.ready = true
        purgatory.checkAndComplete(key)
        #expect(operation.completions == 1)
        #expect(purgatory.watcherCount(key) == 0)
        loop.advanceTime(by: .milliseconds(200))
        #expect(operation.completions == 1)
        #expect(operation.expirations == 0)
        #expect(!operation.forceComplete())
    }

    @Test func expiresOnceOnTimeoutWithoutPolling() {
        let loop = EmbeddedEventLoop()
        let purgatory = DelayedOperationPurgatory(name: "test", eventLoop: loop)
        let operation = CountingOperation(eventLoop: loop)
        operation.startTimer(milliseconds: 100)
        purgatory.watch(operation, key: key)
        loop.advanceTime(by: .milliseconds(99))
        #expect(!operation.isCompleted)
        loop.advanceTime(by: .milliseconds(1))
        #expect(operation.isCompleted)
        #expect(operation.completions == 1)
        #expect(operation.expirations == 1)
        operation.ready = true
        purgatory.checkAndComplete(key)
        #expect(operation.completions == 1)
    }

    @Test func purgeDropsCompletedOperations() {
        let loop = EmbeddedEventLoop()
        let purgatory = DelayedOperationPurgatory(name: "test", eventLoop: loop)
        let done = CountingOperation(eventLoop: loop)
        let waiting = CountingOperation(eventLoop: loop)
        purgatory.watch(done, key: key)
        purgatory.watch(waiting, key: key)
        done.forceComplete()
        purgatory.purgeCompleted()
        #expect(purgatory.watcherCount(key) == 1)
        purgatory.watch(done, key: key)  // completed operations are never added
        #expect(purgatory.watcherCount(key) == 1)
    }
}
