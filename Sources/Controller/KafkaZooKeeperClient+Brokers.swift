import BrokerCore
import Coordination

/// Broker registrations under `/brokers/ids`.
extension KafkaZooKeeperClient {
    /// Registers this broker at `/brokers/ids/N` (ephemeral, Kafka's v5 JSON) through `keeper`,
    /// which re-creates it after every session expiry (the broker epoch then changes: observe
    /// `keeper.events()`). Returns the broker epoch (the znode's `czxid`).
    ///
    /// Throws `ClusterMetadataError.brokerAlreadyRegistered` when another session holds the node
    /// (a second broker with the same `broker.id`).
    @discardableResult
    public func registerBroker(_ registration: BrokerRegistration, keeper: EphemeralNodeKeeper) async throws
        -> BrokerEpoch
    {
        let path = KafkaZNodePaths.broker(registration.brokerID)
        try await retrying { try await store.ensurePersistentPath(KafkaZNodePaths.brokerIDs) }
        do {
            let created = try await retrying { try await keeper.create(path, data: registration.encoded()) }
            return BrokerEpoch(created.stat.czxid)
        } catch CoordinationError.nodeExists {
            throw ClusterMetadataError.brokerAlreadyRegistered(registration.brokerID)
        }
    }

    /// The ids of the registered brokers, sorted.
    public func liveBrokerIDs() async throws -> [BrokerID] {
        try await readChildren(KafkaZNodePaths.brokerIDs).compactMap(KafkaZNodePaths.brokerID(fromChildName:)).sorted()
    }

    /// One broker's registration and epoch, nil if it is not registered.
    public func broker(_ id: BrokerID) async throws -> BrokerInfo? {
        guard let node = try await readData(KafkaZNodePaths.broker(id)) else { return nil }
        let registration = try BrokerRegistration(brokerID: id, decoding: node.data)
        return BrokerInfo(registration: registration, epoch: BrokerEpoch(node.stat.czxid))
    }

    /// Every registered broker with its epoch, sorted by id (Kafka's
    /// `getAllBrokerAndEpochsInCluster`). A broker whose node vanishes while reading is left out;
    /// an undecodable registration throws.
    public func liveBrokers() async throws -> [BrokerInfo] {
        var brokers: [BrokerInfo] = []
        for id in try await liveBrokerIDs() {
            if let broker = try await broker(id) { brokers.append(broker) }
        }
        return brokers
    }
}
