import Coordination
import Testing

/// Deterministic faults of the in-memory store: disconnection, expiry, injected failures.
@Suite struct InMemoryFaultInjectionTests {
    @Test func disconnectedClientFailsOperationsWithConnectionLoss() async throws {
        let store = await InMemoryCoordinationServer().connect()
        let session = try #require(await store.sessionID)
        var events = store.sessionEvents().makeAsyncIterator()
        await store.disconnect()
        #expect(await events.next() == .disconnected(session))
        #expect(await store.sessionState == .disconnected(session))
        await #expect(throws: CoordinationError.connectionLoss) { try await store.exists("/") }
        await store.reconnect()
        #expect(await events.next() == .reconnected(session))
        #expect(try await store.exists("/") != nil)
    }

    @Test func watchEventsWaitUntilTheClientReconnects() async throws {
        let server = InMemoryCoordinationServer()
        let watcher = await server.connect()
        let writer = await server.connect()
        try await writer.create("/n")
        let (_, watch) = try await watcher.getDataAndWatch("/n")
        await watcher.disconnect()
        try await writer.setData("/n", data: [1])
        #expect(watch.firedEvent == nil)
        await watcher.reconnect()
        #expect(watch.firedEvent == WatchEvent(type: .nodeDataChanged, path: "/n"))
    }

    @Test func ephemeralsOfASessionExpiredWhileDisconnectedVanishAtOnce() async throws {
        let server = InMemoryCoordinationServer()
        let owner = await server.connect()
        let observer = await server.connect()
        let oldSession = try #require(await owner.sessionID)
        try await owner.create("/e", data: [], mode: .ephemeral)
        try await owner.create("/p")
        let (_, ownWatch) = try await owner.getDataAndWatch("/p")
        var events = owner.sessionEvents().makeAsyncIterator()

        await owner.disconnect()
        #expect(await events.next() == .disconnected(oldSession))
        await owner.expireSession()
        #expect(try await observer.exists("/e") == nil)
        try await observer.setData("/p", data: [1])
        #expect(ownWatch.firedEvent == nil)  // the client does not know yet

        await owner.reconnect()
        #expect(await events.next() == .sessionExpired(oldSession))
        let started = await events.next()
        guard case .sessionStarted(let newSession) = started else {
            Issue.record("expected a new session, got \(String(describing: started))")
            return
        }
        #expect(newSession != oldSession)
        #expect(ownWatch.firedEvent == WatchEvent(type: .watchLost, path: "/p"))
        #expect(await owner.sessionState == .connected(newSession))
    }

    @Test func injectedFailureHappensOnceWithoutApplying() async throws {
        let store = await InMemoryCoordinationServer().connect()
        await store.failNextOperation(with: .operationTimeout)
        await #expect(throws: CoordinationError.operationTimeout) { try await store.create("/a") }
        #expect(try await store.exists("/a") == nil)
        try await store.create("/a")
    }

    @Test func injectedFailureAfterApplyingLosesOnlyTheAnswer() async throws {
        let store = await InMemoryCoordinationServer().connect()
        await store.failNextOperation(with: .connectionLoss, afterApplying: true)
        await #expect(throws: CoordinationError.connectionLoss) {
            try await store.multi([.create(path: "/a", data: [], mode: .persistent)])
        }
        #expect(try await store.exists("/a") != nil)
    }

    @Test func closedClientRejectsOperationsAndEndsItsEvents() async throws {
        let store = await InMemoryCoordinationServer().connect()
        await store.close()
        await #expect(throws: CoordinationError.closed) { try await store.exists("/") }
        var late = store.sessionEvents().makeAsyncIterator()
        #expect(await late.next() == nil)
        #expect(await store.sessionState == .closed)
    }
}
