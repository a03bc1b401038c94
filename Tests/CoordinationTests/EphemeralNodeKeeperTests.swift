import Coordination
import Testing

/// In-memory specifics of `EphemeralNodeKeeper` (re-creation after expiry is in the shared
/// conformance suite of ZooKeeperCoordinationTests).
@Suite struct EphemeralNodeKeeperTests {
    @Test func createWhoseAnswerWasLostSucceedsWhenRepeated() async throws {
        let store = await InMemoryCoordinationServer().connect()
        let keeper = EphemeralNodeKeeper(store: store)
        await store.failNextOperation(with: .connectionLoss, afterApplying: true)
        await #expect(throws: CoordinationError.connectionLoss) { try await keeper.create("/b", data: [1]) }
        let created = try await keeper.create("/b", data: [1])
        #expect(created.stat.ephemeralOwner == (await store.sessionID))
        #expect(await keeper.keptPaths == ["/b"])
    }

    @Test func updatedDataIsWhatIsRecreated() async throws {
        let store = await InMemoryCoordinationServer().connect()
        let keeper = EphemeralNodeKeeper(store: store)
        let running = Task { await keeper.run() }
        var events = keeper.events().makeAsyncIterator()
        try await keeper.create("/b", data: [1])
        try await keeper.update("/b", data: [2])
        await store.expireSession()
        guard case .recreated(let node) = await events.next() else {
            Issue.record("expected a re-creation")
            return
        }
        #expect(node.path == "/b")
        #expect(try await store.getData("/b").data == [2])
        running.cancel()
    }

    @Test func removedNodesAreDeletedAndNotRecreated() async throws {
        let store = await InMemoryCoordinationServer().connect()
        let keeper = EphemeralNodeKeeper(store: store)
        let running = Task { await keeper.run() }
        var events = keeper.events().makeAsyncIterator()
        try await keeper.create("/gone", data: [])
        try await keeper.create("/kept", data: [])
        try await keeper.remove("/gone")
        try await keeper.remove("/never-existed")
        #expect(try await store.exists("/gone") == nil)
        await store.expireSession()
        guard case .recreated(let node) = await events.next() else {
            Issue.record("expected a re-creation")
            return
        }
        #expect(node.path == "/kept")
        #expect(try await store.exists("/gone") == nil)
        running.cancel()
    }

    @Test func recreationFailureIsReported() async throws {
        let server = InMemoryCoordinationServer()
        let store = await server.connect()
        let other = await server.connect()
        let keeper = EphemeralNodeKeeper(store: store)
        let running = Task { await keeper.run() }
        var events = keeper.events().makeAsyncIterator()
        try await keeper.create("/id", data: [])
        await store.disconnect()
        await store.expireSession()
        try await other.create("/id", data: [], mode: .ephemeral)  // someone else took it meanwhile
        await store.reconnect()
        #expect(await events.next() == .recreationFailed(path: "/id", error: .nodeExists("/id")))
        running.cancel()
    }

    @Test func runEndsWhenTheStoreCloses() async throws {
        let store = await InMemoryCoordinationServer().connect()
        let keeper = EphemeralNodeKeeper(store: store)
        let running = Task { await keeper.run() }
        var events = keeper.events().makeAsyncIterator()
        await store.close()
        await running.value
        #expect(await events.next() == nil)
    }
}
