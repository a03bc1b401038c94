import BrokerCore
import GroupCoordination
import KafkaProtocol

/// FindCoordinator (key 10), versions 0-4, as Kafka 3.9's `KafkaApis.getCoordinator`.
///
/// - Key type 0 (group): the coordinator is the leader of `__consumer_offsets` partition
///   ``GroupCoordinatorService/partition(for:)``, answered with that broker's endpoint for the
///   listener the request came on. Like Kafka, the group id itself is not validated here (an
///   empty id maps to a partition like any other; JoinGroup and friends reject it).
/// - Key type 1 (transaction): COORDINATOR_NOT_AVAILABLE (Martlet has no transaction
///   coordinator); key type 2 (share, v6+ only): INVALID_REQUEST; any other type fails the
///   whole request with INVALID_REQUEST (Kafka's `CoordinatorType.forId`).
/// - `__consumer_offsets` missing: its creation is requested (``OffsetsTopicCreator``, at most one
///   in flight; refused while fewer brokers are alive than its replication factor) and the
///   answer is COORDINATOR_NOT_AVAILABLE, as while the partition has no live leader.
/// - v0-v3 carry one `key` and, on error, Kafka's `prepareOldResponse` shape (node -1, host "",
///   port -1, the error's message; "NONE" as the message on success as Kafka sends it). v4
///   batches `coordinatorKeys` with one result each.
public struct FindCoordinatorHandler: KafkaAPIHandler {
    public typealias Request = FindCoordinatorRequest
    public static let supportedVersions: ClosedRange<Int16> = 0...4

    static let groupKeyType: Int8 = 0
    static let transactionKeyType: Int8 = 1
    static let shareKeyType: Int8 = 2

    let coordinator: any GroupCoordinatorService
    let cache: MetadataCache
    let offsetsTopic: OffsetsTopicCreator?

    /// - Parameter offsetsTopic: creates `__consumer_offsets` on first use; nil never creates it
    ///   (a broker without ZooKeeper).
    public init(coordinator: any GroupCoordinatorService, cache: MetadataCache, offsetsTopic: OffsetsTopicCreator?) {
        self.coordinator = coordinator
        self.cache = cache
        self.offsetsTopic = offsetsTopic
    }

    private struct Answer {
        var error: ErrorCode
        var node: (id: Int32, host: String, port: Int32) = (-1, "", -1)
    }

    public func handle(_ request: FindCoordinatorRequest, context: RequestContext) -> APIOutcome<FindCoordinatorResponse> {
        let keyType = request.keyType
        let known = [Self.groupKeyType, Self.transactionKeyType, Self.shareKeyType].contains(keyType)
        if context.apiVersion < 4 {
            let answer =
                known
                ? lookUp(request.key, keyType: keyType, listener: context.listenerName) : Answer(error: .invalidRequest)
            return .respond(
                FindCoordinatorResponse(
                    throttleTimeMs: 0, errorCode: answer.error.rawValue,
                    errorMessage: answer.error.defaultMessage ?? answer.error.kafkaName,
                    nodeId: answer.node.id, host: answer.node.host, port: answer.node.port))
        }
        let coordinators = request.coordinatorKeys.map { key in
            guard known else {
                // Kafka's `prepareErrorResponse`: the whole request failed, every key says why.
                return FindCoordinatorResponse.Coordinator(
                    key: key, nodeId: -1, host: "", port: -1, errorCode: ErrorCode.invalidRequest.rawValue,
                    errorMessage: ErrorCode.invalidRequest.defaultMessage)
            }
            let answer = lookUp(key, keyType: keyType, listener: context.listenerName)
            return FindCoordinatorResponse.Coordinator(
                key: key, nodeId: answer.node.id, host: answer.node.host, port: answer.node.port,
                errorCode: answer.error.rawValue, errorMessage: "")
        }
        return .respond(FindCoordinatorResponse(throttleTimeMs: 0, coordinators: coordinators))
    }

    private func lookUp(_ key: String, keyType: Int8, listener: String) -> Answer {
        switch keyType {
        case Self.groupKeyType: break
        case Self.transactionKeyType: return Answer(error: .coordinatorNotAvailable)
        default: return Answer(error: .invalidRequest)  // share coordinators need FindCoordinator v6
        }
        let image = cache.snapshot
        guard let topic = image.topics[TopicName.consumerOffsets] else {
            offsetsTopic?.requestCreation(liveBrokers: image.brokers.count)
            return Answer(error: .coordinatorNotAvailable)
        }
        let index = coordinator.partition(for: key)
        guard let partition = topic.partitions.first(where: { $0.index == index }), partition.leader != .none,
            let endpoint = image.brokers[partition.leader]?.endpoints[listener]
        else {
            return Answer(error: .coordinatorNotAvailable)
        }
        return Answer(error: .none, node: (partition.leader.rawValue, endpoint.host, Int32(endpoint.port)))
    }
}
