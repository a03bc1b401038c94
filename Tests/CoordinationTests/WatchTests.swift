import Coordination
import Testing

/// `Watch` is one-shot, shared by any number of waiters, and cancellable per waiter.
@Suite struct WatchTests {
    private func armedWatch() async throws -> (InMemoryCoordinationStore, Watch) {
        let store = await InMemoryCoordinationServer().connect()
        try await store.create("/w")
        let (_, watch) = try await store.getDataAndWatch("/w")
        return (store, watch)
    }

    @Test func everyWaiterGetsTheSameSingleEvent() async throws {
        let (store, watch) = try await armedWatch()
        async let first = watch.event()
        async let second = watch.event()
        try await store.setData("/w", data: [1])
        try await store.setData("/w", data: [2])
        let expected = WatchEvent(type: .nodeDataChanged, path: "/w")
        #expect(try await first == expected)
        #expect(try await second == expected)
        #expect(try await watch.event() == expected)
        #expect(watch.path == "/w")
    }

    @Test func cancellingAWaiterLeavesTheWatchArmed() async throws {
        let (store, watch) = try await armedWatch()
        let waiter = Task { try await watch.event() }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(watch.firedEvent == nil)
        try await store.delete("/w")
        #expect(try await watch.event() == WatchEvent(type: .nodeDeleted, path: "/w"))
    }

    @Test func asAnAsyncSequenceItYieldsOneEvent() async throws {
        let (store, watch) = try await armedWatch()
        try await store.setData("/w", data: [1])
        var collected: [WatchEvent] = []
        for try await event in watch { collected.append(event) }
        #expect(collected == [WatchEvent(type: .nodeDataChanged, path: "/w")])
    }
}
