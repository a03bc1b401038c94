import BrokerCore
import Coordination

/// `/controller` and `/controller_epoch`: election and who the controller is.
extension KafkaZooKeeperClient {
    /// The epoch a cluster starts with before any controller was elected (Kafka's
    /// `KafkaController.InitialControllerEpoch`); the first controller gets epoch 1.
    public static let initialControllerEpoch = ControllerEpoch(0)

    /// The elected controller's registration, nil if none.
    public func controllerRegistration() async throws -> ControllerRegistration? {
        guard let node = try await readData(KafkaZNodePaths.controller) else { return nil }
        return try ControllerRegistration(decoding: node.data)
    }

    /// The id of the elected controller (from `/controller`), nil if none.
    public func currentController() async throws -> BrokerID? {
        try await controllerRegistration()?.brokerID
    }

    /// The current controller epoch and the znode version of `/controller_epoch`, nil if absent.
    public func controllerEpoch() async throws -> ControllerEpochFence? {
        guard let node = try await readData(KafkaZNodePaths.controllerEpoch) else { return nil }
        return ControllerEpochFence(epoch: try ControllerEpochZNode.decode(node.data), epochZkVersion: node.stat.version)
    }

    /// Tries to become controller: one `multi` that creates the ephemeral `/controller` and bumps
    /// `/controller_epoch` at the version just read (creating it with epoch 0 first if absent),
    /// as Kafka's `registerControllerAndIncrementControllerEpoch`. Returns the fence for the new
    /// epoch. Throws `ControllerMovedError` if another broker is controller or won meanwhile.
    public func registerControllerAndIncrementEpoch(_ brokerID: BrokerID, timestamp: Int64) async throws
        -> ControllerEpochFence
    {
        let current = try await currentEpochCreatingIfAbsent()
        let newEpoch = ControllerEpoch(current.epoch.rawValue &+ 1)
        let registration = ControllerRegistration(brokerID: brokerID, timestamp: timestamp).encoded()
        let operations: [TransactionOperation] = [
            .create(path: KafkaZNodePaths.controller, data: registration, mode: .ephemeral),
            .setData(
                path: KafkaZNodePaths.controllerEpoch, data: ControllerEpochZNode.encode(newEpoch),
                expectedVersion: .exactly(current.epochZkVersion)),
        ]
        while true {
            do {
                let results = try await store.multi(operations)
                guard results.count == 2, case .dataSet(let stat) = results[1] else {
                    throw ControllerMovedError("unexpected election result \(results)")
                }
                return ControllerEpochFence(epoch: newEpoch, epochZkVersion: stat.version)
            } catch let error as CoordinationError where error.isConnectionProblem {
                // The multi may have been applied: we won iff /controller is ours with our epoch.
                try await store.waitUntilConnected()
                if let won = try await electedBefore(brokerID, epoch: newEpoch) { return won }
            } catch CoordinationError.transactionFailed {
                if let won = try await electedBefore(brokerID, epoch: newEpoch) { return won }
                throw ControllerMovedError("broker \(brokerID) lost the election for epoch \(newEpoch)")
            }
        }
    }

    /// Deletes `/controller` if the fence still holds (Kafka's `deleteController`, used when a
    /// controller resigns on error). Missing node is fine.
    public func deleteController(fence: ControllerEpochFence) async throws {
        do {
            try await fencedMulti([.delete(path: KafkaZNodePaths.controller, expectedVersion: .any)], fence: fence)
        } catch CoordinationError.transactionFailed(_, .noNode) {
            return
        }
    }

    private func currentEpochCreatingIfAbsent() async throws -> ControllerEpochFence {
        if let current = try await controllerEpoch() { return current }
        try await retrying {
            do {
                try await store.create(
                    KafkaZNodePaths.controllerEpoch, data: ControllerEpochZNode.encode(Self.initialControllerEpoch),
                    mode: .persistent)
            } catch CoordinationError.nodeExists {
                return
            }
        }
        guard let current = try await controllerEpoch() else {
            throw CoordinationError.noNode(KafkaZNodePaths.controllerEpoch)
        }
        return current
    }

    /// The fence if `/controller` is held by our session for `brokerID` and the epoch is `epoch`.
    private func electedBefore(_ brokerID: BrokerID, epoch: ControllerEpoch) async throws -> ControllerEpochFence? {
        guard let node = try await readData(KafkaZNodePaths.controller),
            let session = await store.sessionID, node.stat.ephemeralOwner == session,
            try ControllerRegistration(decoding: node.data).brokerID == brokerID,
            let current = try await controllerEpoch(), current.epoch == epoch
        else { return nil }
        return current
    }
}
