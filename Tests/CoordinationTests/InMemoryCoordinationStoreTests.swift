import BrokerTestSupport
import Coordination
import Testing

/// The in-memory store's bookkeeping: zxids, stats and times, like ZooKeeper's `DataTree`.
@Suite struct InMemoryCoordinationStoreTests {
    @Test func startsWithTheRootAndTheZooKeeperNodes() async throws {
        let server = InMemoryCoordinationServer()
        #expect(await server.allPaths == ["/", "/zookeeper", "/zookeeper/config", "/zookeeper/quota"])
        let store = await server.connect()
        #expect(try await store.children("/") == ["zookeeper"])
    }

    @Test func everyWriteGetsTheNextZxidAndATransactionSharesOne() async throws {
        let store = await InMemoryCoordinationServer().connect()
        let a = try await store.create("/a", data: [], mode: .persistent)
        let b = try await store.create("/b", data: [], mode: .persistent)
        #expect(b.stat.czxid == a.stat.czxid + 1)
        let set = try await store.setData("/a", data: [1], expectedVersion: .any)
        #expect(set.mzxid == b.stat.czxid + 1)
        #expect(set.czxid == a.stat.czxid)
        try await store.multi([
            .create(path: "/c", data: [], mode: .persistent),
            .create(path: "/d", data: [], mode: .persistent),
        ])
        let c = try #require(try await store.exists("/c"))
        let d = try #require(try await store.exists("/d"))
        #expect(c.czxid == set.mzxid + 1)
        #expect(d.czxid == c.czxid)
    }

    @Test func statTracksTimesLengthsAndChildren() async throws {
        let clock = ManualTimeSource(startMilliseconds: 1_000)
        let store = await InMemoryCoordinationServer(timeSource: clock).connect()
        let parent = try await store.create("/p", data: [1, 2, 3], mode: .persistent)
        #expect(parent.stat.ctime == 1_000)
        #expect(parent.stat.dataLength == 3)
        clock.advance(milliseconds: 500)
        let child = try await store.create("/p/c", data: [], mode: .persistent)
        let afterCreate = try #require(try await store.exists("/p"))
        #expect(afterCreate.numChildren == 1)
        #expect(afterCreate.cversion == 1)
        #expect(afterCreate.pzxid == child.stat.czxid)
        #expect(afterCreate.mtime == 1_000)  // children do not change the parent's data
        clock.advance(milliseconds: 500)
        let written = try await store.setData("/p", data: [9], expectedVersion: .exactly(0))
        #expect(written.mtime == 2_000)
        #expect(written.ctime == 1_000)
        #expect(written.dataLength == 1)
        try await store.delete("/p/c")
        let afterDelete = try #require(try await store.exists("/p"))
        #expect(afterDelete.numChildren == 0)
        #expect(afterDelete.cversion == 1)
        #expect(afterDelete.pzxid > child.stat.czxid)
    }

    @Test func rootCannotBeDeletedOrCreated() async throws {
        let store = await InMemoryCoordinationServer().connect()
        await #expect(throws: CoordinationError.invalidPath("/")) { try await store.delete("/") }
        await #expect(throws: CoordinationError.nodeExists("/")) { try await store.create("/") }
    }

    @Test func failedTransactionFiresNoWatches() async throws {
        let store = await InMemoryCoordinationServer().connect()
        try await store.create("/n")
        let (_, watch) = try await store.getDataAndWatch("/n")
        await #expect(throws: CoordinationError.transactionFailed(operationIndex: 1, error: .noNode("/missing"))) {
            try await store.multi([
                .setData(path: "/n", data: [1], expectedVersion: .any),
                .check(path: "/missing", expectedVersion: .any),
            ])
        }
        #expect(watch.firedEvent == nil)
        #expect(try await store.getData("/n").stat.version == 0)
    }

    @Test func sessionsAreDistinctPerClient() async throws {
        let server = InMemoryCoordinationServer()
        let a = await server.connect()
        let b = await server.connect()
        let sessionA = try #require(await a.sessionID)
        #expect(sessionA != (await b.sessionID))
        await server.expire(sessionA)
        #expect(await a.sessionID != sessionA)
    }
}
