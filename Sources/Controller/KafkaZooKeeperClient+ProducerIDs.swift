import BrokerCore
import Coordination

/// Producer id blocks at `/latest_producer_id_block` (Kafka's `ZkProducerIdManager`).
extension KafkaZooKeeperClient {
    /// Claims the next block of `ProducerIDBlock.defaultSize` (1000) producer ids for `broker`:
    /// reads the last block with its version and writes the following one conditionally,
    /// re-reading on a version conflict until it wins. The first block starts at 0. Throws
    /// `ClusterMetadataError.producerIDSpaceExhausted` at the end of the id space.
    public func allocateProducerIDBlock(for broker: BrokerID) async throws -> ProducerIDBlock {
        let path = KafkaZNodePaths.latestProducerIDBlock
        while true {
            guard let current = try await readData(path) else {
                try await retrying { try await store.ensurePersistentPath(path) }
                continue
            }
            let next: ProducerIDBlock
            if current.data.isEmpty {
                next = ProducerIDBlock(assignedBroker: broker, firstProducerID: ProducerID(0))
            } else {
                let last = try ProducerIDBlock(decoding: current.data)
                guard last.lastProducerID.rawValue <= Int64.max - Int64(ProducerIDBlock.defaultSize) else {
                    throw ClusterMetadataError.producerIDSpaceExhausted
                }
                next = ProducerIDBlock(
                    assignedBroker: broker, firstProducerID: ProducerID(last.lastProducerID.rawValue + 1))
            }
            let data = next.encoded()
            let written: Bool = try await retrying {
                do {
                    try await store.setData(path, data: data, expectedVersion: .exactly(current.stat.version))
                    return true
                } catch CoordinationError.badVersion {
                    // Lost answer of our own write, or another broker won: tell them apart by data.
                    guard let now = try await readData(path) else { return false }
                    return now.data == data && now.stat.version == current.stat.version + 1
                }
            }
            if written { return next }
        }
    }
}
