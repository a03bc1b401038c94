import BrokerAPI
import BrokerCore
import Synchronization

/// A ``TopicAdmin`` that records topic creations. Creation can be held until ``release()`` (to
/// observe a creation in flight), and tests can wait for the next creation.
final class FakeTopicAdmin: TopicAdmin {
    struct Creation: Sendable, Equatable {
        var name: String
        var assignment: [Int32: [BrokerID]]
        var configs: [String: String]
    }

    private struct State {
        var created: [Creation] = []
        var creationWaiters: [CheckedContinuation<Creation, Never>] = []
        var held: Bool
        var heldCreations: [CheckedContinuation<Void, Never>] = []
    }

    let brokers: [BrokerID]
    private let state: Mutex<State>

    init(brokers: [BrokerID], holdCreations: Bool = false) {
        self.brokers = brokers
        self.state = Mutex(State(held: holdCreations))
    }

    var created: [Creation] { state.withLock { $0.created } }

    /// Lets held creations (and later ones) proceed.
    func release() {
        let waiting = state.withLock { state in
            state.held = false
            defer { state.heldCreations = [] }
            return state.heldCreations
        }
        for continuation in waiting { continuation.resume() }
    }

    /// The first creation, waiting for it if none happened yet.
    func firstCreation() async -> Creation {
        await withCheckedContinuation { continuation in
            let done: Creation? = state.withLock { state in
                if let first = state.created.first { return first }
                state.creationWaiters.append(continuation)
                return nil
            }
            if let done { continuation.resume(returning: done) }
        }
    }

    func isActiveController() async -> Bool { false }

    func liveBrokers() async throws -> [BrokerID] { brokers }

    func createTopic(name: String, assignment: [Int32: [BrokerID]], configs: [String: String]) async throws {
        await withCheckedContinuation { continuation in
            let proceed = state.withLock { state in
                if state.held { state.heldCreations.append(continuation) }
                return !state.held
            }
            if proceed { continuation.resume() }
        }
        let creation = Creation(name: name, assignment: assignment, configs: configs)
        let waiters = state.withLock { state in
            state.created.append(creation)
            defer { state.creationWaiters = [] }
            return state.creationWaiters
        }
        for waiter in waiters { waiter.resume(returning: creation) }
    }

    func deleteTopic(name: String) async throws {}
}

/// Round-robin assignment good enough for tests: partition p on brokers p, p+1, ... (mod n).
let simpleAssign: @Sendable (Int32, Int16, [BrokerID]) throws -> [Int32: [BrokerID]] = { partitions, factor, brokers in
    var result: [Int32: [BrokerID]] = [:]
    for p in 0..<partitions {
        result[p] = (0..<Int(factor)).map { brokers[(Int(p) + $0) % brokers.count] }
    }
    return result
}
