import BrokerCore
import Controller
import Synchronization

/// A `ControllerChannel` that records every request, can fail sends to chosen brokers, and lets a
/// test wait (without sleeping) until the recorded requests satisfy a predicate.
final class RecordingControllerChannel: ControllerChannel {
    enum Request: Sendable, Equatable {
        case leaderAndIsr(
            to: BrokerID, controllerEpoch: ControllerEpoch, brokerEpoch: BrokerEpoch,
            partitions: [ControllerPartitionState], liveLeaders: [BrokerInfo])
        case updateMetadata(
            to: BrokerID, controllerEpoch: ControllerEpoch, brokerEpoch: BrokerEpoch,
            partitions: [ControllerPartitionState], liveBrokers: [BrokerInfo])
        case stopReplica(
            to: BrokerID, controllerEpoch: ControllerEpoch, brokerEpoch: BrokerEpoch, partitions: [TopicPartition],
            delete: Bool)

        var recipient: BrokerID {
            switch self {
            case .leaderAndIsr(let to, _, _, _, _), .updateMetadata(let to, _, _, _, _), .stopReplica(let to, _, _, _, _):
                to
            }
        }
    }

    private struct Waiter {
        let predicate: @Sendable ([Request]) -> Bool
        let continuation: CheckedContinuation<[Request], Never>
    }

    private struct State {
        var requests: [Request] = []
        var waiters: [UInt64: Waiter] = [:]
        var nextWaiter: UInt64 = 0
        var failing: Set<BrokerID> = []
    }

    private let state = Mutex(State())

    var requests: [Request] { state.withLock { $0.requests } }

    /// Sends to these brokers throw (after being recorded).
    func failSends(to brokers: Set<BrokerID>) { state.withLock { $0.failing = brokers } }

    /// Returns the recorded requests once `predicate` holds for them, or when the waiting task is
    /// cancelled (a test's time limit), whatever they are then.
    @discardableResult
    func waitUntil(_ predicate: @escaping @Sendable ([Request]) -> Bool) async -> [Request] {
        let id = state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready: [Request]? = state.withLock { state in
                    if predicate(state.requests) || Task.isCancelled { return state.requests }
                    state.waiters[id] = Waiter(predicate: predicate, continuation: continuation)
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            let cancelled = state.withLock { state in (state.waiters.removeValue(forKey: id), state.requests) }
            cancelled.0?.continuation.resume(returning: cancelled.1)
        }
    }

    private func record(_ request: Request) throws {
        let (ready, fail): ([(CheckedContinuation<[Request], Never>, [Request])], Bool) = state.withLock { state in
            state.requests.append(request)
            var ready: [(CheckedContinuation<[Request], Never>, [Request])] = []
            for (id, waiter) in state.waiters where waiter.predicate(state.requests) {
                ready.append((waiter.continuation, state.requests))
                state.waiters[id] = nil
            }
            return (ready, state.failing.contains(request.recipient))
        }
        for (continuation, requests) in ready { continuation.resume(returning: requests) }
        if fail { throw SendFailure(broker: request.recipient) }
    }

    struct SendFailure: Error { var broker: BrokerID }

    func sendLeaderAndIsr(
        to broker: BrokerID, controllerEpoch: ControllerEpoch, brokerEpoch: BrokerEpoch,
        partitions: [ControllerPartitionState], liveLeaders: [BrokerInfo]
    ) async throws {
        try record(.leaderAndIsr(to: broker, controllerEpoch: controllerEpoch, brokerEpoch: brokerEpoch, partitions: partitions, liveLeaders: liveLeaders))
    }

    func sendUpdateMetadata(
        to broker: BrokerID, controllerEpoch: ControllerEpoch, brokerEpoch: BrokerEpoch,
        partitions: [ControllerPartitionState], liveBrokers: [BrokerInfo]
    ) async throws {
        try record(.updateMetadata(to: broker, controllerEpoch: controllerEpoch, brokerEpoch: brokerEpoch, partitions: partitions, liveBrokers: liveBrokers))
    }

    func sendStopReplica(
        to broker: BrokerID, controllerEpoch: ControllerEpoch, brokerEpoch: BrokerEpoch, partitions: [TopicPartition],
        delete: Bool
    ) async throws {
        try record(.stopReplica(to: broker, controllerEpoch: controllerEpoch, brokerEpoch: brokerEpoch, partitions: partitions, delete: delete))
    }
}

/// Predicates over recorded requests.
extension [RecordingControllerChannel.Request] {
    /// Partition states sent in LeaderAndIsr to `broker`, in order.
    func leaderAndIsrStates(to broker: BrokerID) -> [ControllerPartitionState] {
        flatMap { request -> [ControllerPartitionState] in
            guard case .leaderAndIsr(let to, _, _, let partitions, _) = request, to == broker else { return [] }
            return partitions
        }
    }

    /// Partition states sent in UpdateMetadata to `broker`, in order.
    func updateMetadataStates(to broker: BrokerID) -> [ControllerPartitionState] {
        flatMap { request -> [ControllerPartitionState] in
            guard case .updateMetadata(let to, _, _, let partitions, _) = request, to == broker else { return [] }
            return partitions
        }
    }

    /// The live broker ids of the last UpdateMetadata to `broker`.
    func lastLiveBrokers(to broker: BrokerID) -> [BrokerID]? {
        for request in reversed() {
            if case .updateMetadata(let to, _, _, _, let live) = request, to == broker { return live.map(\.id) }
        }
        return nil
    }

    /// Whether `broker` got a LeaderAndIsr for `partition` with that leader (and ISR, if given).
    func sentLeaderAndIsr(
        to broker: BrokerID, _ partition: TopicPartition, leader: BrokerID, isr: [BrokerID]? = nil,
        leaderEpoch: Int32? = nil
    ) -> Bool {
        leaderAndIsrStates(to: broker).contains {
            $0.topicPartition == partition && $0.leader == leader && (isr == nil || $0.isr == isr)
                && (leaderEpoch == nil || $0.leaderEpoch.rawValue == leaderEpoch)
        }
    }

    /// Whether `broker` got an UpdateMetadata for `partition` with that leader (and ISR).
    func sentUpdateMetadata(
        to broker: BrokerID, _ partition: TopicPartition, leader: BrokerID, isr: [BrokerID]? = nil,
        leaderEpoch: Int32? = nil
    ) -> Bool {
        updateMetadataStates(to: broker).contains {
            $0.topicPartition == partition && $0.leader == leader && (isr == nil || $0.isr == isr)
                && (leaderEpoch == nil || $0.leaderEpoch.rawValue == leaderEpoch)
        }
    }

    /// Whether `broker` got an UpdateMetadata from a controller of `controllerEpoch` listing
    /// exactly `liveBrokers`.
    func sentUpdateMetadata(to broker: BrokerID, controllerEpoch: Int32, liveBrokers: [BrokerID]) -> Bool {
        contains {
            guard case .updateMetadata(let to, let epoch, _, _, let live) = $0 else { return false }
            return to == broker && epoch.rawValue == controllerEpoch && live.map(\.id) == liveBrokers
        }
    }

    func sentStopReplica(to broker: BrokerID, _ partition: TopicPartition, delete: Bool) -> Bool {
        contains {
            guard case .stopReplica(let to, _, _, let partitions, let d) = $0 else { return false }
            return to == broker && d == delete && partitions.contains(partition)
        }
    }
}
