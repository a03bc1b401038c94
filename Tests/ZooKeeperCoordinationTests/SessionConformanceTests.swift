import Coordination
import Testing

/// Sessions, ephemerals and expiry shared by both implementations. On ZooKeeper, expiry is forced
/// by attaching a second client to the session and closing it.
extension ZooKeeperIntegrationTests {
    @Suite struct SessionConformanceTests {
        @Test(arguments: CoordinationBackend.allCases)
        func ephemeralsBelongToTheSessionAndVanishWhenItCloses(backend: CoordinationBackend) async throws {
            try await StoreCluster.run(backend) { cluster in
                let owner = try await cluster.connect()
                let observer = try await cluster.connect()
                let ownerSession = try #require(await owner.sessionID)
                #expect(await owner.sessionState == .connected(ownerSession))
                #expect(ownerSession != (await observer.sessionID))

                let created = try await owner.create("/broker", data: [1], mode: .ephemeral)
                #expect(created.stat.ephemeralOwner == ownerSession)
                let (_, watch) = try await observer.existsAndWatch("/broker")

                var events = owner.sessionEvents().makeAsyncIterator()
                await owner.close()
                #expect(await nextElement(&events) == .closed)
                #expect(await nextElement(&events) == nil)
                #expect(await owner.sessionState == .closed)
                await #expect(throws: CoordinationError.closed) { try await owner.exists("/broker") }

                #expect(try await watch.event() == WatchEvent(type: .nodeDeleted, path: "/broker"))
                #expect(try await observer.exists("/broker") == nil)
            }
        }

        @Test(arguments: CoordinationBackend.allCases)
        func expiredSessionIsReplacedAndItsEphemeralsAndWatchesAreGone(backend: CoordinationBackend) async throws {
            try await StoreCluster.run(backend) { cluster in
                let store = try await cluster.connect()
                let observer = try await cluster.connect()
                let oldSession = try #require(await store.sessionID)
                try await store.create("/mine", data: [], mode: .ephemeral)
                try await store.create("/persistent")
                let (_, ownWatch) = try await store.getDataAndWatch("/persistent")
                let (_, observerWatch) = try await observer.existsAndWatch("/mine")
                var events = store.sessionEvents().makeAsyncIterator()

                try await cluster.expireSession(of: store)

                #expect(await nextElement(&events) { $0 == .sessionExpired(oldSession) } != nil)
                let started = await nextElement(&events) { if case .sessionStarted = $0 { true } else { false } }
                guard case .sessionStarted(let newSession) = started else {
                    Issue.record("no new session: \(String(describing: started))")
                    return
                }
                #expect(newSession != oldSession)
                #expect(try await ownWatch.event() == WatchEvent(type: .watchLost, path: "/persistent"))
                #expect(try await observerWatch.event() == WatchEvent(type: .nodeDeleted, path: "/mine"))
                #expect(try await observer.exists("/mine") == nil)

                try await store.waitUntilConnected()
                #expect(await store.sessionID == newSession)
                let again = try await store.create("/mine", data: [], mode: .ephemeral)
                #expect(again.stat.ephemeralOwner == newSession)
            }
        }

        @Test(arguments: CoordinationBackend.allCases)
        func keeperRecreatesEphemeralsInTheNewSession(backend: CoordinationBackend) async throws {
            try await StoreCluster.run(backend) { cluster in
                let store = try await cluster.connect()
                try await store.ensurePersistentPath("/brokers/ids")
                let keeper = EphemeralNodeKeeper(store: store)
                let running = Task { await keeper.run() }
                var keeperEvents = keeper.events().makeAsyncIterator()

                let first = try await keeper.create("/brokers/ids/1", data: Array("broker-1".utf8))
                #expect(first.stat.ephemeralOwner == (await store.sessionID))
                try await cluster.expireSession(of: store)

                let event = await nextElement(&keeperEvents)
                guard case .recreated(let second) = event else {
                    Issue.record("expected re-creation, got \(String(describing: event))")
                    running.cancel()
                    return
                }
                #expect(second.path == "/brokers/ids/1")
                #expect(second.stat.czxid > first.stat.czxid)  // Kafka's broker epoch moves on
                #expect(second.stat.ephemeralOwner == (await store.sessionID))
                #expect(try await store.getData("/brokers/ids/1").data == Array("broker-1".utf8))
                #expect(await keeper.keptPaths == ["/brokers/ids/1"])
                running.cancel()
                await running.value
            }
        }

        @Test(arguments: CoordinationBackend.allCases)
        func keeperRefusesANodeOwnedByAnotherSession(backend: CoordinationBackend) async throws {
            try await StoreCluster.run(backend) { cluster in
                let first = try await cluster.connect()
                let second = try await cluster.connect()
                try await first.ensurePersistentPath("/brokers/ids")
                try await EphemeralNodeKeeper(store: first).create("/brokers/ids/7", data: [1])
                let duplicate = EphemeralNodeKeeper(store: second)
                await #expect(throws: CoordinationError.nodeExists("/brokers/ids/7")) {
                    try await duplicate.create("/brokers/ids/7", data: [2])
                }
                #expect(await duplicate.keptPaths.isEmpty)
            }
        }
    }
}
