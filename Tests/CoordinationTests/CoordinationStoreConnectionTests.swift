import Coordination
import Testing

/// `waitUntilConnected` and `retryingOnConnectionLoss`, exercised through the in-memory store.
@Suite struct CoordinationStoreConnectionTests {
    @Test func waitUntilConnectedReturnsAtOnceWhenConnected() async throws {
        let store = await InMemoryCoordinationServer().connect()
        try await store.waitUntilConnected()
    }

    @Test func waitUntilConnectedWaitsForTheReconnection() async throws {
        let store = await InMemoryCoordinationServer().connect()
        await store.disconnect()
        let waiting = Task { try await store.waitUntilConnected() }
        await store.reconnect()
        try await waiting.value
        #expect(await store.sessionState.isConnected)
    }

    @Test func waitUntilConnectedFailsOnceClosed() async throws {
        let store = await InMemoryCoordinationServer().connect()
        await store.disconnect()
        let waiting = Task { try await store.waitUntilConnected() }
        await store.close()
        await #expect(throws: CoordinationError.closed) { try await waiting.value }
    }

    @Test func retryingOnConnectionLossRunsTheOperationAgain() async throws {
        let store = await InMemoryCoordinationServer().connect()
        await store.failNextOperation(with: .connectionLoss)
        let created = try await store.retryingOnConnectionLoss {
            try await store.create("/retried", data: [], mode: .persistent)
        }
        #expect(created.path == "/retried")
    }

    @Test func retryingOnConnectionLossPassesOtherErrorsThrough() async throws {
        let store = await InMemoryCoordinationServer().connect()
        await #expect(throws: CoordinationError.noNode("/none")) {
            try await store.retryingOnConnectionLoss { try await store.getData("/none") }
        }
    }
}
