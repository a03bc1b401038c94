import BrokerCore
import KafkaProtocol
import NIOCore
import Replication

/// The requests a replica fetcher sends and how their answers are read (Kafka's
/// `RemoteLeaderEndPoint.buildFetch` / `fetchEarliestOffset` / `fetchLatestOffset`).
enum ReplicaFetchRequests {
    /// Fetch v12: the last version naming topics (Martlet's topic ids are zero) and the first
    /// with `lastFetchedEpoch` / `divergingEpoch` (truncation on fetch).
    static let fetchVersion: Int16 = 12
    /// ListOffsets v7 (current leader epoch fencing).
    static let listOffsetsVersion: Int16 = 7

    /// A sessionless full fetch of `partitions` (topics in order of first appearance).
    static func fetch(_ partitions: [PlannedPartition], config: ReplicaFetcherConfig) -> FetchRequest {
        var topics: [FetchRequest.FetchTopic] = []
        var index: [String: Int] = [:]
        for planned in partitions {
            let position = planned.position
            let partition = FetchRequest.FetchPartition(
                partition: position.topicPartition.partition, currentLeaderEpoch: position.leaderEpoch.rawValue,
                fetchOffset: position.fetchOffset.rawValue,
                lastFetchedEpoch: position.lastFetchedEpoch?.rawValue ?? -1,
                logStartOffset: position.logStartOffset.rawValue, partitionMaxBytes: config.fetchMaxBytes)
            if let at = index[position.topicPartition.topic] {
                topics[at].partitions.append(partition)
            } else {
                index[position.topicPartition.topic] = topics.count
                topics.append(FetchRequest.FetchTopic(topic: position.topicPartition.topic, partitions: [partition]))
            }
        }
        return FetchRequest(
            replicaId: config.localBrokerID.rawValue, maxWaitMs: config.fetchWaitMaxMs, minBytes: config.fetchMinBytes,
            maxBytes: config.fetchResponseMaxBytes, isolationLevel: 0, sessionId: 0, sessionEpoch: -1, topics: topics)
    }

    /// The response's partitions by topic partition.
    static func partitions(of response: FetchResponse) -> [TopicPartition: FetchResponse.PartitionData] {
        var result: [TopicPartition: FetchResponse.PartitionData] = [:]
        for topic in response.responses {
            for partition in topic.partitions {
                result[TopicPartition(topic.topic, partition.partitionIndex)] = partition
            }
        }
        return result
    }

    /// The record bytes of a response partition (empty if none).
    static func records(_ data: FetchResponse.PartitionData) -> ByteBuffer {
        switch data.records {
        case .bytes(let buffer)?: buffer
        case .file?, nil: ByteBuffer()
        }
    }

    /// Kafka's `FetchResponse.isDivergingEpoch`.
    static func divergingEpoch(_ data: FetchResponse.PartitionData) -> DivergingEpoch? {
        guard data.divergingEpoch.epoch >= 0 else { return nil }
        return DivergingEpoch(epoch: LeaderEpoch(data.divergingEpoch.epoch), endOffset: Offset(data.divergingEpoch.endOffset))
    }

    /// ListOffsets as a replica for one partition: `timestamp` -2 (log start) or -1 (log end).
    static func listOffset(_ position: FollowerFetchPosition, timestamp: Int64, config: ReplicaFetcherConfig)
        -> ListOffsetsRequest
    {
        ListOffsetsRequest(
            replicaId: config.localBrokerID.rawValue, isolationLevel: 0,
            topics: [
                ListOffsetsRequest.ListOffsetsTopic(
                    name: position.topicPartition.topic,
                    partitions: [
                        ListOffsetsRequest.ListOffsetsPartition(
                            partitionIndex: position.topicPartition.partition,
                            currentLeaderEpoch: position.leaderEpoch.rawValue, timestamp: timestamp)
                    ])
            ])
    }

    /// The offset (or error) of a one-partition ListOffsets answer.
    static func offset(of response: ListOffsetsResponse, for partition: TopicPartition) -> ListedOffset {
        guard
            let answer = response.topics.first(where: { $0.name == partition.topic })?
                .partitions.first(where: { $0.partitionIndex == partition.partition })
        else { return .error(.unknownTopicOrPartition) }
        let code = ErrorCode(rawValue: answer.errorCode) ?? .unknownServerError
        guard code == .none else { return .error(code) }
        return .offset(Offset(answer.offset))
    }

    enum ListedOffset: Sendable, Hashable {
        case offset(Offset)
        case error(ErrorCode)
    }
}
