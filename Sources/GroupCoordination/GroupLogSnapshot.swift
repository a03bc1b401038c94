import BrokerCore
import KafkaProtocol
import KafkaRecords
import Logging
import NIOCore

/// The state of one `__consumer_offsets` partition rebuilt from its records: the latest value
/// per key wins and tombstones delete (Kafka's `doLoadGroupsAndOffsets`). Value type.
struct GroupLogSnapshot {
    /// group → partition → offset (with the offset of the batch that stored it).
    var offsets: [String: [TopicPartition: StoredOffset]] = [:]
    /// group → latest metadata value and its schema version.
    var groups: [String: (value: GroupMetadataValue, version: Int16)] = [:]
    /// Groups whose latest metadata record is a tombstone.
    var removedGroups: Set<String> = []

    /// Applies the batches in `records` that end after `next`, returning the offset after the
    /// last batch applied. Control batches are skipped (no transactions); compressed batches
    /// and malformed records are logged and skipped.
    mutating func apply(_ records: ByteBuffer, from next: Offset, logger: Logger) -> Offset {
        var next = next
        var batches = RecordBatchIterator(records)
        while true {
            let view: RecordBatchView?
            do { view = try batches.next() } catch {
                logger.warning("malformed batch while loading group metadata", metadata: ["error": "\(error)"])
                break
            }
            guard let view else { break }
            let header = view.header
            guard header.nextOffset > next else { continue }
            next = header.nextOffset
            if header.attributes.isControl { continue }
            guard header.attributes.compression == CompressionCodec.none else {
                logger.warning(
                    "skipping a compressed batch of group metadata (not supported)",
                    metadata: ["baseOffset": "\(header.baseOffset)"])
                continue
            }
            do {
                var decoder = try RecordDecoder(batchIn: records, at: view.index)
                while let record = try decoder.next() { apply(record, batchOffset: header.baseOffset, logger: logger) }
            } catch {
                logger.warning(
                    "malformed records while loading group metadata",
                    metadata: ["baseOffset": "\(header.baseOffset)", "error": "\(error)"])
            }
        }
        return next
    }

    private mutating func apply(_ record: Record, batchOffset: Offset, logger: Logger) {
        guard let keyBytes = record.key else { return }
        do {
            switch try GroupRecords.decodeKey(keyBytes) {
            case .offset(let group, let partition):
                if let value = record.value {
                    let offset = try GroupRecords.decodeOffsetValue(value)
                    offsets[group, default: [:]][partition] = StoredOffset(recordOffset: batchOffset, value: offset)
                } else {
                    offsets[group]?[partition] = nil
                }
            case .group(let group):
                if let value = record.value {
                    groups[group] = try GroupRecords.decodeGroupValue(value)
                    removedGroups.remove(group)
                } else {
                    groups[group] = nil
                    removedGroups.insert(group)
                }
            case nil:
                logger.warning("unknown key version in __consumer_offsets, ignored")
            }
        } catch {
            logger.warning("undecodable __consumer_offsets record, ignored", metadata: ["error": "\(error)"])
        }
    }
}
