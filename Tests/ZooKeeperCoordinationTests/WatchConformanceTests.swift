import Coordination
import Testing

/// One-shot watch semantics shared by both implementations.
extension ZooKeeperIntegrationTests {
    @Suite struct WatchConformanceTests {
        @Test(arguments: CoordinationBackend.allCases)
        func dataWatchFiresOnceOnTheFirstChange(backend: CoordinationBackend) async throws {
            try await StoreCluster.run(backend) { cluster in
                let watcher = try await cluster.connect()
                let writer = try await cluster.connect()
                try await writer.create("/w", data: [0])
                let (node, watch) = try await watcher.getDataAndWatch("/w")
                #expect(node.data == [0])
                #expect(watch.firedEvent == nil)
                try await writer.setData("/w", data: [1])
                try await writer.setData("/w", data: [2])
                #expect(try await watch.event() == WatchEvent(type: .nodeDataChanged, path: "/w"))
                #expect(watch.firedEvent == WatchEvent(type: .nodeDataChanged, path: "/w"))
                // One element, then the sequence ends: the watch is one-shot.
                var events: [WatchEvent] = []
                for try await event in watch { events.append(event) }
                #expect(events == [WatchEvent(type: .nodeDataChanged, path: "/w")])

                let (again, rearmed) = try await watcher.getDataAndWatch("/w")
                #expect(again.data == [2])
                try await writer.delete("/w")
                #expect(try await rearmed.event() == WatchEvent(type: .nodeDeleted, path: "/w"))
            }
        }

        @Test(arguments: CoordinationBackend.allCases)
        func existsWatchOnMissingNodeFiresOnCreation(backend: CoordinationBackend) async throws {
            try await StoreCluster.run(backend) { cluster in
                let watcher = try await cluster.connect()
                let writer = try await cluster.connect()
                let (stat, watch) = try await watcher.existsAndWatch("/later")
                #expect(stat == nil)
                try await writer.create("/later", data: [], mode: .ephemeral)
                #expect(try await watch.event() == WatchEvent(type: .nodeCreated, path: "/later"))

                let (existing, changeWatch) = try await watcher.existsAndWatch("/later")
                #expect(existing?.ephemeralOwner == (await writer.sessionID))
                try await writer.setData("/later", data: [1])
                #expect(try await changeWatch.event() == WatchEvent(type: .nodeDataChanged, path: "/later"))
            }
        }

        @Test(arguments: CoordinationBackend.allCases)
        func childrenWatchFiresOnChildChangesAndOnDeletion(backend: CoordinationBackend) async throws {
            try await StoreCluster.run(backend) { cluster in
                let watcher = try await cluster.connect()
                let writer = try await cluster.connect()
                try await writer.create("/ids")
                let (children, watch) = try await watcher.childrenAndWatch("/ids")
                #expect(children.isEmpty)
                try await writer.setData("/ids", data: [1])  // data changes do not fire children watches
                try await writer.create("/ids/1", data: [], mode: .ephemeral)
                #expect(try await watch.event() == WatchEvent(type: .nodeChildrenChanged, path: "/ids"))

                let (now, deletionWatch) = try await watcher.childrenAndWatch("/ids")
                #expect(now == ["1"])
                try await writer.delete("/ids/1")
                #expect(try await deletionWatch.event() == WatchEvent(type: .nodeChildrenChanged, path: "/ids"))

                let (_, nodeWatch) = try await watcher.childrenAndWatch("/ids")
                try await writer.delete("/ids")
                #expect(try await nodeWatch.event() == WatchEvent(type: .nodeDeleted, path: "/ids"))
            }
        }

        @Test(arguments: CoordinationBackend.allCases)
        func readsOfMissingNodesArmNoWatch(backend: CoordinationBackend) async throws {
            try await StoreCluster.run(backend) { cluster in
                let store = try await cluster.connect()
                await #expect(throws: CoordinationError.noNode("/none")) { try await store.getDataAndWatch("/none") }
                await #expect(throws: CoordinationError.noNode("/none")) { try await store.childrenAndWatch("/none") }
            }
        }

        @Test(arguments: CoordinationBackend.allCases)
        func closingFiresArmedWatchesAsLost(backend: CoordinationBackend) async throws {
            try await StoreCluster.run(backend) { cluster in
                let store = try await cluster.connect()
                try await store.create("/c")
                let (_, dataWatch) = try await store.getDataAndWatch("/c")
                let (_, existsWatch) = try await store.existsAndWatch("/absent")
                await store.close()
                #expect(try await dataWatch.event() == WatchEvent(type: .watchLost, path: "/c"))
                #expect(try await existsWatch.event() == WatchEvent(type: .watchLost, path: "/absent"))
            }
        }
    }
}
