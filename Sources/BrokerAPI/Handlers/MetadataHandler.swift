import BrokerCore
import KafkaProtocol

/// Metadata (key 3), versions 1-12, answered from the broker's ``MetadataCache``.
///
/// Topic IDs are all zero until topics get IDs, which keeps the Java client and librdkafka on
/// Fetch ≤ 12. Behaviour follows Kafka's `KafkaApis.handleTopicMetadataRequest`:
/// - `topics == nil` lists every topic; an empty list lists none;
/// - a request by topic ID (v10+, name null) for an unknown ID gets UNKNOWN_TOPIC_ID;
/// - an illegal name gets INVALID_TOPIC_EXCEPTION, an unknown one UNKNOWN_TOPIC_OR_PARTITION;
/// - a partition whose leader is not a live broker gets LEADER_NOT_AVAILABLE and leader -1;
///   replicas that are not live are listed in OfflineReplicas (v5+).
/// - an unknown topic is created when the request allows it (always before v4) and an
///   ``TopicAutoCreator`` is configured (`auto.create.topics.enable`): the answer is then
///   LEADER_NOT_AVAILABLE until its partitions have leaders, and the client retries;
/// - `__consumer_offsets` is auto-created the same way but with its own settings
///   (``OffsetsTopicCreator``, as Kafka's `AutoTopicCreationManager.creatableTopic`), and
///   INVALID_REPLICATION_FACTOR while fewer brokers are alive than its replication factor;
///   `__transaction_state` is never created;
/// - internal topics are reported with `isInternal`, also when they do not exist yet.
/// Brokers are listed with their endpoint for the listener the request arrived on.
public struct MetadataHandler: KafkaAPIHandler {
    public typealias Request = MetadataRequest
    public static let supportedVersions: ClosedRange<Int16> = 1...12

    let cache: MetadataCache
    let autoCreator: (any TopicAutoCreator)?
    let offsetsTopic: OffsetsTopicCreator?

    /// - Parameters:
    ///   - autoCreator: creates unknown user topics; nil when `auto.create.topics.enable` is false.
    ///   - offsetsTopic: creates `__consumer_offsets`; nil when auto-creation is disabled.
    public init(cache: MetadataCache, autoCreator: (any TopicAutoCreator)? = nil, offsetsTopic: OffsetsTopicCreator? = nil) {
        self.cache = cache
        self.autoCreator = autoCreator
        self.offsetsTopic = offsetsTopic
    }

    /// Kafka's "all operations allowed" answers when no authorizer is configured.
    static let topicOperations: Int32 = [3, 4, 5, 6, 7, 8, 10, 11].reduce(0) { $0 | (1 << $1) }
    static let clusterOperations: Int32 = [5, 7, 8, 9, 10, 11, 12].reduce(0) { $0 | (1 << $1) }

    public func handle(_ request: MetadataRequest, context: RequestContext) -> APIOutcome<MetadataResponse> {
        let image = cache.snapshot
        let listenerName = context.listenerName
        var response = MetadataResponse()
        response.throttleTimeMs = 0
        response.clusterId = image.clusterID
        response.controllerId = image.controllerID.rawValue
        response.brokers = image.brokers.values.sorted { $0.id < $1.id }.compactMap { broker in
            guard let endpoint = broker.endpoints[listenerName] else { return nil }
            return MetadataResponse.MetadataResponseBroker(
                nodeId: broker.id.rawValue, host: endpoint.host, port: Int32(endpoint.port), rack: broker.rack)
        }
        if request.includeClusterAuthorizedOperations {
            response.clusterAuthorizedOperations = Self.clusterOperations
        }
        let includeTopicOps = request.includeTopicAuthorizedOperations

        if let requested = request.topics {
            response.topics = requested.map { wanted in
                guard let name = wanted.name else {
                    var topic = MetadataResponse.MetadataResponseTopic(
                        errorCode: ErrorCode.unknownTopicId.rawValue, name: nil)
                    topic.topicId = wanted.topicId
                    return topic
                }
                if TopicName.validationError(name) != nil {
                    return MetadataResponse.MetadataResponseTopic(
                        errorCode: ErrorCode.invalidTopicException.rawValue, name: name)
                }
                guard let topic = image.topics[name] else {
                    let allowed = context.apiVersion < 4 || request.allowAutoTopicCreation
                    var missing = MetadataResponse.MetadataResponseTopic(
                        errorCode: ErrorCode.unknownTopicOrPartition.rawValue, name: name)
                    missing.isInternal = TopicName.isInternal(name)
                    if allowed, let autoCreator, !TopicName.isInternal(name) {
                        autoCreator.createTopic(name)
                        missing.errorCode = ErrorCode.leaderNotAvailable.rawValue
                    } else if allowed, let offsetsTopic, name == TopicName.consumerOffsets {
                        switch offsetsTopic.requestCreation(liveBrokers: image.brokers.count) {
                        case .started, .alreadyInFlight: missing.errorCode = ErrorCode.leaderNotAvailable.rawValue
                        case .notEnoughLiveBrokers: missing.errorCode = ErrorCode.invalidReplicationFactor.rawValue
                        }
                    }
                    return missing
                }
                return describe(topic, image: image, listenerName: listenerName, includeOperations: includeTopicOps)
            }
        } else {
            response.topics = image.topics.keys.sorted().map {
                describe(image.topics[$0]!, image: image, listenerName: listenerName, includeOperations: includeTopicOps)
            }
        }
        return .respond(response)
    }

    private func describe(
        _ topic: TopicImage, image: ClusterMetadataImage, listenerName: String, includeOperations: Bool
    )
        -> MetadataResponse.MetadataResponseTopic
    {
        var result = MetadataResponse.MetadataResponseTopic(errorCode: ErrorCode.none.rawValue, name: topic.name)
        result.isInternal = topic.isInternal
        if includeOperations { result.topicAuthorizedOperations = Self.topicOperations }
        result.partitions = topic.partitions.map { partition in
            let live = { (id: BrokerID) in image.brokers[id]?.endpoints[listenerName] != nil }
            let leaderLive = partition.leader != .none && live(partition.leader)
            return MetadataResponse.MetadataResponsePartition(
                errorCode: leaderLive ? ErrorCode.none.rawValue : ErrorCode.leaderNotAvailable.rawValue,
                partitionIndex: partition.index,
                leaderId: leaderLive ? partition.leader.rawValue : -1,
                leaderEpoch: partition.leaderEpoch.rawValue,
                replicaNodes: partition.replicas.map(\.rawValue),
                isrNodes: partition.isr.map(\.rawValue),
                offlineReplicas: partition.replicas.filter { !live($0) }.map(\.rawValue))
        }
        return result
    }
}
