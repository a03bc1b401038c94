import Coordination
import Foundation
import Synchronization
import Testing
import ZooKeeperCoordination

/// The two `CoordinationStore` implementations, for running one behavioural suite against both.
enum CoordinationBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case inMemory
    case zooKeeper

    var testDescription: String { rawValue }

    /// A fresh namespace that several clients can connect to (an in-memory server, or a unique
    /// chroot on the shared ZooKeeper server).
    func makeCluster() throws -> StoreCluster {
        switch self {
        case .inMemory:
            return StoreCluster(kind: .inMemory(InMemoryCoordinationServer()))
        case .zooKeeper:
            let server = try #require(ZooKeeperTestServer.shared, "needs the .sharedZooKeeperServer trait")
            var connectString = server.connectString
            connectString.chroot = "/test-\(UUID().uuidString.prefix(8).lowercased())"
            return StoreCluster(kind: .zooKeeper(connectString))
        }
    }
}

/// Clients of one namespace; closes them all at the end of `run`.
final class StoreCluster: Sendable {
    enum Kind: Sendable {
        case inMemory(InMemoryCoordinationServer)
        case zooKeeper(ZooKeeperConnectString)
    }

    let kind: Kind
    private let opened = Mutex<[any CoordinationStore]>([])

    init(kind: Kind) { self.kind = kind }

    /// A new client with its own session.
    func connect() async throws -> any CoordinationStore {
        let store: any CoordinationStore
        switch kind {
        case .inMemory(let server):
            store = await server.connect()
        case .zooKeeper(let connectString):
            store = try await ZooKeeperCoordinationStore.connect(
                ZooKeeperConfiguration(connectString: connectString, sessionTimeout: .seconds(10)))
        }
        opened.withLock { $0.append(store) }
        return store
    }

    /// Ends `store`'s session from outside (ZooKeeper: the second-handle trick).
    func expireSession(of store: any CoordinationStore) async throws {
        switch kind {
        case .inMemory:
            let memory = try #require(store as? InMemoryCoordinationStore)
            await memory.expireSession()
        case .zooKeeper(let connectString):
            let zooKeeper = try #require(store as? ZooKeeperCoordinationStore)
            let credentials = try #require(await zooKeeper.sessionCredentials)
            try await ZooKeeperCoordinationStore.expireSession(credentials, connectString: connectString)
        }
    }

    func closeAll() async {
        let stores = opened.withLock { $0 }
        for store in stores { await store.close() }
    }

    /// Runs `body` with a fresh cluster of `backend`, closing every client afterwards.
    static func run(
        _ backend: CoordinationBackend, _ body: (StoreCluster) async throws -> Void
    ) async throws {
        let cluster = try backend.makeCluster()
        do {
            try await body(cluster)
        } catch {
            await cluster.closeAll()
            throw error
        }
        await cluster.closeAll()
    }
}

/// Reads the next element of a stream (nil when it ended).
func nextElement<Element>(_ iterator: inout AsyncStream<Element>.Iterator) async -> Element? {
    await iterator.next()
}

/// Skips elements until one satisfies `matches`; nil if the stream ends first.
func nextElement<Element>(
    _ iterator: inout AsyncStream<Element>.Iterator, where matches: (Element) -> Bool
) async -> Element? {
    while let element = await iterator.next() {
        if matches(element) { return element }
    }
    return nil
}
