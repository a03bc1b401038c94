import Coordination
import Testing

/// Znode semantics every `CoordinationStore` must share, run against the in-memory store and a
/// real ZooKeeper server.
extension ZooKeeperIntegrationTests {
    @Suite struct CoordinationStoreConformanceTests {
        @Test(arguments: CoordinationBackend.allCases)
        func createThenReadReturnsDataAndFreshStat(backend: CoordinationBackend) async throws {
            try await StoreCluster.run(backend) { cluster in
                let store = try await cluster.connect()
                let created = try await store.create("/node", data: Array("hello".utf8), mode: .persistent)
                #expect(created.path == "/node")
                #expect(created.stat.version == 0)
                #expect(created.stat.dataLength == 5)
                #expect(created.stat.czxid > 0)
                #expect(created.stat.czxid == created.stat.mzxid)
                #expect(!created.stat.isEphemeral)

                let read = try await store.getData("/node")
                #expect(read.data == Array("hello".utf8))
                #expect(read.stat == created.stat)
                #expect(try await store.exists("/node") == created.stat)
                #expect(try await store.exists("/missing") == nil)
            }
        }

        @Test(arguments: CoordinationBackend.allCases)
        func childrenAreSortedAndCounted(backend: CoordinationBackend) async throws {
            try await StoreCluster.run(backend) { cluster in
                let store = try await cluster.connect()
                try await store.create("/parent")
                for name in ["b", "c", "a"] { try await store.create("/parent/\(name)") }
                #expect(try await store.children("/parent") == ["a", "b", "c"])
                let parent = try #require(try await store.exists("/parent"))
                #expect(parent.numChildren == 3)
                #expect(parent.cversion == 3)
                await #expect(throws: CoordinationError.noNode("/none")) { try await store.children("/none") }
            }
        }

        @Test(arguments: CoordinationBackend.allCases)
        func createReportsExistingMissingParentAndEphemeralParent(backend: CoordinationBackend) async throws {
            try await StoreCluster.run(backend) { cluster in
                let store = try await cluster.connect()
                try await store.create("/a")
                await #expect(throws: CoordinationError.nodeExists("/a")) { try await store.create("/a") }
                await #expect(throws: CoordinationError.noNode("/x/y")) { try await store.create("/x/y") }
                try await store.create("/e", data: [], mode: .ephemeral)
                await #expect(throws: CoordinationError.noChildrenForEphemerals("/e/child")) {
                    try await store.create("/e/child")
                }
                await #expect(throws: CoordinationError.invalidPath("a//b")) { try await store.create("a//b") }
                await #expect(throws: CoordinationError.invalidPath("/a/")) { try await store.create("/a/") }
            }
        }

        @Test(arguments: CoordinationBackend.allCases)
        func setDataChecksTheExpectedVersion(backend: CoordinationBackend) async throws {
            try await StoreCluster.run(backend) { cluster in
                let store = try await cluster.connect()
                try await store.create("/v", data: [1])
                let first = try await store.setData("/v", data: [2], expectedVersion: .exactly(0))
                #expect(first.version == 1)
                await #expect(throws: CoordinationError.badVersion("/v")) {
                    try await store.setData("/v", data: [3], expectedVersion: .exactly(0))
                }
                let second = try await store.setData("/v", data: [4], expectedVersion: .any)
                #expect(second.version == 2)
                #expect(second.mzxid > first.mzxid)
                #expect(try await store.getData("/v").data == [4])
                await #expect(throws: CoordinationError.noNode("/none")) {
                    try await store.setData("/none", data: [], expectedVersion: .any)
                }
            }
        }

        @Test(arguments: CoordinationBackend.allCases)
        func deleteChecksVersionAndChildren(backend: CoordinationBackend) async throws {
            try await StoreCluster.run(backend) { cluster in
                let store = try await cluster.connect()
                try await store.create("/d")
                try await store.create("/d/child")
                await #expect(throws: CoordinationError.notEmpty("/d")) { try await store.delete("/d") }
                await #expect(throws: CoordinationError.badVersion("/d/child")) {
                    try await store.delete("/d/child", expectedVersion: .exactly(7))
                }
                try await store.delete("/d/child", expectedVersion: .exactly(0))
                try await store.delete("/d")
                #expect(try await store.exists("/d") == nil)
                await #expect(throws: CoordinationError.noNode("/d")) { try await store.delete("/d") }
            }
        }

        @Test(arguments: CoordinationBackend.allCases)
        /// The suffix is the parent's cversion, which ZooKeeper 3.8 bumps on child creation only.
        func sequentialNodesGetIncreasingTenDigitSuffixes(backend: CoordinationBackend) async throws {
            try await StoreCluster.run(backend) { cluster in
                let store = try await cluster.connect()
                try await store.create("/queue")
                let a = try await store.create("/queue/item-", data: [], mode: .persistentSequential)
                let b = try await store.create("/queue/item-", data: [], mode: .ephemeralSequential)
                try await store.delete(a.path)
                let c = try await store.create("/queue/item-", data: [], mode: .persistentSequential)
                #expect(a.path == "/queue/item-0000000000")
                #expect(b.path == "/queue/item-0000000001")
                #expect(c.path == "/queue/item-0000000002")
                #expect(b.stat.isEphemeral)
                #expect(try await store.children("/queue") == ["item-0000000001", "item-0000000002"])
            }
        }

        @Test(arguments: CoordinationBackend.allCases)
        func transactionAppliesAllOperations(backend: CoordinationBackend) async throws {
            try await StoreCluster.run(backend) { cluster in
                let store = try await cluster.connect()
                try await store.create("/epoch", data: Array("0".utf8))
                try await store.create("/old")
                let results = try await store.multi([
                    .check(path: "/epoch", expectedVersion: .exactly(0)),
                    .create(path: "/new", data: [9], mode: .persistent),
                    .create(path: "/new/seq-", data: [], mode: .persistentSequential),
                    .setData(path: "/epoch", data: Array("1".utf8), expectedVersion: .exactly(0)),
                    .delete(path: "/old", expectedVersion: .any),
                ])
                #expect(results.count == 5)
                #expect(results[0] == .checked)
                #expect(results[1] == .created(path: "/new"))
                #expect(results[2] == .created(path: "/new/seq-0000000000"))
                guard case .dataSet(let stat) = results[3] else {
                    Issue.record("expected dataSet, got \(results[3])")
                    return
                }
                #expect(stat.version == 1)
                #expect(results[4] == .deleted)
                #expect(try await store.getData("/epoch").data == Array("1".utf8))
                #expect(try await store.exists("/old") == nil)
                #expect(try await store.multi([]) == [])
            }
        }

        @Test(arguments: CoordinationBackend.allCases)
        func failedTransactionAppliesNothingAndNamesTheFailingOperation(backend: CoordinationBackend) async throws {
            try await StoreCluster.run(backend) { cluster in
                let store = try await cluster.connect()
                try await store.create("/epoch", data: Array("3".utf8))
                await #expect(
                    throws: CoordinationError.transactionFailed(operationIndex: 1, error: .badVersion("/epoch"))
                ) {
                    try await store.multi([
                        .create(path: "/made", data: [], mode: .persistent),
                        .check(path: "/epoch", expectedVersion: .exactly(5)),
                        .setData(path: "/epoch", data: [], expectedVersion: .any),
                    ])
                }
                #expect(try await store.exists("/made") == nil)
                #expect(try await store.getData("/epoch").data == Array("3".utf8))
                await #expect(
                    throws: CoordinationError.transactionFailed(operationIndex: 0, error: .noNode("/gone"))
                ) {
                    try await store.multi([.delete(path: "/gone", expectedVersion: .any)])
                }
            }
        }

        /// Kafka's controller election: create ephemeral `/controller` and bump `/controller_epoch`
        /// at its expected version in one transaction; a second contender loses on the create.
        @Test(arguments: CoordinationBackend.allCases)
        func controllerElectionTransactionHasOneWinner(backend: CoordinationBackend) async throws {
            try await StoreCluster.run(backend) { cluster in
                let first = try await cluster.connect()
                let second = try await cluster.connect()
                try await first.create("/controller_epoch", data: Array("0".utf8))
                let election: [TransactionOperation] = [
                    .create(path: "/controller", data: [1], mode: .ephemeral),
                    .setData(path: "/controller_epoch", data: Array("1".utf8), expectedVersion: .exactly(0)),
                ]
                _ = try await first.multi(election)
                await #expect(
                    throws: CoordinationError.transactionFailed(operationIndex: 0, error: .nodeExists("/controller"))
                ) {
                    try await second.multi(election)
                }
                let controller = try #require(try await second.exists("/controller"))
                #expect(controller.ephemeralOwner == (await first.sessionID))
            }
        }

        @Test(arguments: CoordinationBackend.allCases)
        func recursiveHelpersCreateAndDeleteWholeSubtrees(backend: CoordinationBackend) async throws {
            try await StoreCluster.run(backend) { cluster in
                let store = try await cluster.connect()
                try await store.createRecursive("/a/b/c", data: [7])
                #expect(try await store.getData("/a/b/c").data == [7])
                try await store.ensurePersistentPath("/a/b/d/e")
                try await store.ensurePersistentPath("/a/b/d/e")
                #expect(try await store.children("/a/b") == ["c", "d"])
                try await store.deleteRecursive("/a")
                #expect(try await store.exists("/a") == nil)
                try await store.deleteRecursive("/a")
            }
        }
    }
}
