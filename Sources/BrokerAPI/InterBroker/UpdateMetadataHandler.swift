import BrokerCore
import KafkaProtocol

/// UpdateMetadata (key 6), versions 0-8: the controller pushes cluster metadata (live brokers and
/// partition states) into this broker's ``MetadataCache``, which then answers client Metadata,
/// so every broker answers the same. Inter-broker only: served, never advertised.
///
/// As in Kafka's `ReplicaManager.maybeUpdateMetadataCache`: a request from a controller with an
/// older epoch than the last applied one gets STALE_CONTROLLER_EPOCH; a request for an older
/// registration of this broker (broker epoch below the current one, v5+) gets STALE_BROKER_EPOCH.
/// Live brokers replace the broker list; partition states are upserted; a partition whose leader is
/// -2 (Kafka's LeaderDuringDelete) is removed, and a topic without partitions with it.
public struct UpdateMetadataHandler: KafkaAPIHandler {
    public typealias Request = UpdateMetadataRequest
    public static let supportedVersions: ClosedRange<Int16> = 0...8
    public static let isAdvertised = false

    /// Kafka's marker leader id for partitions of a topic being deleted.
    static let leaderDuringDelete: Int32 = -2

    let cache: MetadataCache
    let fence: ControllerRequestFence

    public init(cache: MetadataCache, fence: ControllerRequestFence) {
        self.cache = cache
        self.fence = fence
    }

    public func handle(_ request: UpdateMetadataRequest, context: RequestContext) -> APIOutcome<UpdateMetadataResponse>
    {
        if let error = fence.check(
            requestBrokerEpoch: context.apiVersion >= 5 ? request.brokerEpoch : nil,
            controllerEpoch: request.controllerEpoch)
        {
            return .respond(UpdateMetadataResponse(errorCode: error.rawValue))
        }
        cache.update { image in
            image.controllerID = BrokerID(request.controllerId)
            image.brokers = Dictionary(
                request.liveBrokers.map { broker in (BrokerID(broker.id), Self.node(broker, version: context.apiVersion)) },
                uniquingKeysWith: { _, last in last })
            let states: [(String, UpdateMetadataRequest.UpdateMetadataPartitionState)] =
                context.apiVersion >= 5
                ? request.topicStates.flatMap { topic in topic.partitionStates.map { (topic.topicName, $0) } }
                : request.ungroupedPartitionStates.map { ($0.topicName, $0) }
            for (topic, state) in states {
                Self.apply(state, topic: topic, to: &image)
            }
        }
        return .respond(UpdateMetadataResponse(errorCode: ErrorCode.none.rawValue))
    }

    private static func node(_ broker: UpdateMetadataRequest.UpdateMetadataBroker, version: Int16) -> BrokerNode {
        var endpoints: [String: HostPort] = [:]
        if version == 0 {
            endpoints["PLAINTEXT"] = HostPort(host: broker.v0Host, port: Int(broker.v0Port))
        } else {
            for endpoint in broker.endpoints {
                // Before v3 the listener name is the security protocol's name (only PLAINTEXT = 0 here).
                let name = version >= 3 ? endpoint.listener : (endpoint.securityProtocol == 0 ? "PLAINTEXT" : "")
                endpoints[name] = HostPort(host: endpoint.host, port: Int(endpoint.port))
            }
        }
        return BrokerNode(id: BrokerID(broker.id), endpoints: endpoints, rack: broker.rack)
    }

    private static func apply(
        _ state: UpdateMetadataRequest.UpdateMetadataPartitionState, topic: String, to image: inout ClusterMetadataImage
    ) {
        var topicImage =
            image.topics[topic]
            ?? TopicImage(name: topic, isInternal: TopicName.isInternal(topic), partitions: [])
        topicImage.partitions.removeAll { $0.index == state.partitionIndex }
        if state.leader != leaderDuringDelete {
            topicImage.partitions.append(
                PartitionImage(
                    index: state.partitionIndex, leader: BrokerID(state.leader),
                    leaderEpoch: LeaderEpoch(state.leaderEpoch), replicas: state.replicas.map { BrokerID($0) },
                    isr: state.isr.map { BrokerID($0) }))
            topicImage.partitions.sort { $0.index < $1.index }
        }
        image.topics[topic] = topicImage.partitions.isEmpty ? nil : topicImage
    }
}
