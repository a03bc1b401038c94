import Coordination
import Testing
import ZooKeeperCoordination

/// Behaviour specific to the ZooKeeper implementation: chroots, connection set-up, closing.
extension ZooKeeperIntegrationTests {
    @Suite struct ZooKeeperCoordinationStoreTests {
        private func server() throws -> ZooKeeperTestServer {
            try #require(ZooKeeperTestServer.shared, "needs the .sharedZooKeeperServer trait")
        }

        @Test func chrootIsCreatedAndPathsAreRelativeToIt() async throws {
            let server = try server()
            var chrooted = server.connectString
            chrooted.chroot = "/chroot-\(UInt32.random(in: 0...UInt32.max))/kafka"
            let store = try await ZooKeeperCoordinationStore.connect(ZooKeeperConfiguration(connectString: chrooted))
            let root = try await ZooKeeperCoordinationStore.connect(
                ZooKeeperConfiguration(connectString: server.connectString))
            let chroot = try #require(chrooted.chroot)

            try await store.create("/brokers")
            let (_, watch) = try await store.childrenAndWatch("/brokers")
            let results = try await store.multi([.create(path: "/brokers/seq-", data: [], mode: .persistentSequential)])
            #expect(results == [.created(path: "/brokers/seq-0000000000")])
            #expect(try await watch.event() == WatchEvent(type: .nodeChildrenChanged, path: "/brokers"))
            let created = try await store.create("/brokers/id", data: [5], mode: .ephemeral)
            #expect(created.path == "/brokers/id")
            #expect(try await root.getData(chroot + "/brokers/id").data == [5])
            #expect(try await store.children("/") == ["brokers"])

            await store.close()
            try await root.deleteRecursive(CoordinationPath.ancestors(of: chroot + "/x").first ?? chroot)
            await root.close()
        }

        @Test func negotiatedSessionTimeoutIsTheRequestedOne() async throws {
            let store = try await ZooKeeperCoordinationStore.connect(
                ZooKeeperConfiguration(connectString: try server().connectString, sessionTimeout: .seconds(7)))
            #expect(await store.negotiatedSessionTimeout == .seconds(7))
            let credentials = try #require(await store.sessionCredentials)
            #expect(credentials.sessionID == (await store.sessionID))
            #expect(credentials.password.count == 16)
            await store.close()
            #expect(await store.sessionCredentials == nil)
        }

        @Test func connectingToNoServerFailsWithConnectionLoss() async throws {
            let port = ZooKeeperTestServer.freeLoopbackPort()
            let configuration = try ZooKeeperConfiguration(
                connectString: "127.0.0.1:\(port)", sessionTimeout: .seconds(4), connectionTimeout: .milliseconds(300),
                createChrootIfMissing: false)
            await #expect(throws: CoordinationError.connectionLoss) {
                try await ZooKeeperCoordinationStore.connect(configuration)
            }
        }

        /// Closing while hundreds of requests are in flight: every request ends (answered, or failed
        /// with `.closed`/`.connectionLoss`), every watch fires, nothing crashes. Several rounds,
        /// because the C client's close races with its own completion thread.
        @Test func closeWithRequestsInFlightCompletesEveryRequest() async throws {
            for round in 0..<5 {
                try await closeUnderLoad(round: round)
            }
        }

        private func closeUnderLoad(round: Int) async throws {
            let store = try await ZooKeeperCoordinationStore.connect(
                ZooKeeperConfiguration(connectString: try server().connectString))
            let path = "/busy-\(round)-\(UInt32.random(in: 0...UInt32.max))"
            try await store.create(path, data: [1], mode: .persistent)
            let (_, watch) = try await store.getDataAndWatch(path)
            let unexpected = await withTaskGroup(of: String?.self) { group in
                for index in 0..<300 {
                    group.addTask {
                        do {
                            switch index % 4 {
                            case 0: _ = try await store.getData(path)
                            case 1: _ = try await store.existsAndWatch(path)
                            case 2: _ = try await store.setData(path, data: [UInt8(index % 256)], expectedVersion: .any)
                            default:
                                _ = try await store.multi([
                                    .check(path: path, expectedVersion: .any),
                                    .create(path: path + "/seq-", data: [], mode: .ephemeralSequential),
                                ])
                            }
                        } catch CoordinationError.closed, CoordinationError.connectionLoss {
                            return nil
                        } catch {
                            return "\(error)"
                        }
                        return nil
                    }
                    if index == 150 {
                        group.addTask {
                            await store.close()
                            return nil
                        }
                    }
                }
                return await group.reduce(into: [String]()) { if let error = $1 { $0.append(error) } }
            }
            #expect(unexpected.isEmpty)
            let event = try await watch.event()
            #expect(event.type == .watchLost || event == WatchEvent(type: .nodeDataChanged, path: path))
            await store.close()  // idempotent
            await #expect(throws: CoordinationError.closed) { try await store.getData(path) }
            #expect(await store.sessionState == .closed)
            let cleaner = try await ZooKeeperCoordinationStore.connect(
                ZooKeeperConfiguration(connectString: try server().connectString))
            try await cleaner.deleteRecursive(path)
            await cleaner.close()
        }

        @Test func droppingAStoreWithoutClosingEndsItsSession() async throws {
            let server = try server()
            let observer = try await ZooKeeperCoordinationStore.connect(
                ZooKeeperConfiguration(connectString: server.connectString))
            let path = "/dropped-\(UInt32.random(in: 0...UInt32.max))"
            var dropped: ZooKeeperCoordinationStore? = try await ZooKeeperCoordinationStore.connect(
                ZooKeeperConfiguration(connectString: server.connectString))
            try await dropped?.create(path, data: [], mode: .ephemeral)
            let (stat, watch) = try await observer.existsAndWatch(path)
            #expect(stat != nil)
            dropped = nil
            #expect(try await watch.event() == WatchEvent(type: .nodeDeleted, path: path))
            await observer.close()
        }
    }
}
