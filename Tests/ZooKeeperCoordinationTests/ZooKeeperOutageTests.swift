import Coordination
import Testing
import ZooKeeperCoordination

/// The ZooKeeper server goes away and comes back: the client reports it, fails operations with
/// `.connectionLoss` meanwhile, and resumes without being restarted.
extension ZooKeeperIntegrationTests {
    @Suite struct ZooKeeperOutageTests {
        @Test func operationsFailWhileTheServerIsDownAndResumeWhenItIsBack() async throws {
            let server = try await ZooKeeperTestServer.start()  // its own server: this test stops it
            do {
                try await checkOutage(server)
            } catch {
                try? await server.stop()
                throw error
            }
            try await server.stop()
        }

        private func checkOutage(_ server: ZooKeeperTestServer) async throws {
            var connectString = server.connectString
            connectString.chroot = "/outage"
            let store = try await ZooKeeperCoordinationStore.connect(
                ZooKeeperConfiguration(connectString: connectString, sessionTimeout: .seconds(30)))
            let writer = try await ZooKeeperCoordinationStore.connect(
                ZooKeeperConfiguration(connectString: connectString, sessionTimeout: .seconds(30)))
            let keeper = EphemeralNodeKeeper(store: store)
            let keeping = Task { await keeper.run() }
            var keeperEvents = keeper.events().makeAsyncIterator()
            try await store.create("/data", data: [1])
            try await keeper.create("/alive", data: [])
            let (_, watch) = try await store.getDataAndWatch("/data")
            let session = try #require(await store.sessionID)
            var events = store.sessionEvents().makeAsyncIterator()

            try await server.stop(keepingData: true)
            #expect(await nextElement(&events) == .disconnected(session))
            #expect(await store.sessionState == .disconnected(session))
            await #expect(throws: CoordinationError.connectionLoss) { try await store.getData("/data") }
            await #expect(throws: CoordinationError.connectionLoss) {
                try await store.create("/x", data: [], mode: .persistent)
            }

            try await server.restart()
            let back = await nextElement(&events) { event in
                switch event {
                case .reconnected, .sessionStarted: true
                default: false
                }
            }
            try await store.waitUntilConnected()
            try await writer.waitUntilConnected()
            #expect(try await store.getData("/data").data == [1])
            switch back {
            case .reconnected(let same):
                // The session survived the outage: its ephemeral and its watch are still there.
                #expect(same == session)
                let alive = try #require(try await writer.exists("/alive"))
                #expect(alive.ephemeralOwner == session)
                try await writer.setData("/data", data: [2])
                #expect(try await watch.event() == WatchEvent(type: .nodeDataChanged, path: "/data"))
            case .sessionStarted(let newSession):
                // The session expired meanwhile: the keeper re-created the ephemeral.
                #expect(try await watch.event().type == .watchLost)
                let recreated = await nextElement(&keeperEvents)
                guard case .recreated(let node) = recreated else {
                    Issue.record("expected re-creation, got \(String(describing: recreated))")
                    break
                }
                #expect(node.stat.ephemeralOwner == newSession)
            default:
                Issue.record("the client did not come back: \(String(describing: back))")
            }
            keeping.cancel()
            await store.close()
            await writer.close()
        }
    }
}
