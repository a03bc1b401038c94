import BrokerCore
import KafkaProtocol
import NIOCore

/// DescribeConfigs (key 32), versions 1-4, as Kafka's ZooKeeper-mode broker answers it
/// (`KafkaApis.handleDescribeConfigsRequest` + `ConfigHelper.describeConfigs`). Any broker answers.
/// - TOPIC (2): every topic config, the overrides from ``TopicConfigStore`` as TOPIC_CONFIG, the
///   rest from ``TopicConfigDefaults`` (STATIC_BROKER_CONFIG / DEFAULT_CONFIG). An illegal name is
///   INVALID_TOPIC_EXCEPTION, a topic not in this broker's metadata UNKNOWN_TOPIC_OR_PARTITION.
/// - BROKER (4) named with this broker's id: its static configuration (every `server.properties`
///   key as STATIC_BROKER_CONFIG, read-only; keys holding passwords sensitive and without value),
///   plus the defaults of the log settings it leaves unset. The empty name (cluster-wide dynamic
///   defaults) lists nothing: Martlet has no dynamic broker configs. Another id or a non-number
///   is INVALID_REQUEST, as is any other resource type.
/// - `configurationKeys` filters by name (null: all); synonyms are listed when
///   `includeSynonyms`; `includeDocumentation` is accepted (no documentation strings are sent).
public struct DescribeConfigsHandler: KafkaAPIHandler {
    public typealias Request = DescribeConfigsRequest
    public static let supportedVersions: ClosedRange<Int16> = 1...4

    static let topicResource: Int8 = 2
    static let brokerResource: Int8 = 4

    let store: any TopicConfigStore
    let cache: MetadataCache
    let brokerID: BrokerID
    let topicDefaults: TopicConfigDefaults
    let brokerConfigs: [DescribedConfig]

    /// - Parameter brokerProperties: the broker's `server.properties` as read at start-up.
    public init(store: any TopicConfigStore, cache: MetadataCache, brokerID: BrokerID, brokerProperties: [String: String]) {
        self.store = store
        self.cache = cache
        self.brokerID = brokerID
        self.topicDefaults = TopicConfigDefaults(brokerProperties: brokerProperties)
        var broker: [String: DescribedConfig] = [:]
        for (name, entry) in TopicConfigDefaults.table {
            guard let synonym = entry.synonyms.first?.name, brokerProperties[synonym] == nil else { continue }
            let type = TopicConfigs.known[name].map(ConfigType.init) ?? .string
            broker[synonym] = DescribedConfig(
                name: synonym, value: entry.kafkaDefault, source: .defaultConfig, type: type, readOnly: true,
                synonyms: [.init(name: synonym, value: entry.kafkaDefault, source: .defaultConfig)])
        }
        for (name, value) in brokerProperties {
            let sensitive = name.contains("password")
            let shown = sensitive ? nil : value
            broker[name] = DescribedConfig(
                name: name, value: shown, source: .staticBrokerConfig, type: sensitive ? .password : .string, readOnly: true,
                isSensitive: sensitive, synonyms: [.init(name: name, value: shown, source: .staticBrokerConfig)])
        }
        self.brokerConfigs = broker.keys.sorted().compactMap { broker[$0] }
    }

    private typealias Result = DescribeConfigsResponse.DescribeConfigsResult

    public func handle(_ request: DescribeConfigsRequest, context: RequestContext) -> APIOutcome<DescribeConfigsResponse> {
        let handler = self
        let future = context.eventLoop.makeFutureWithTask { () -> DescribeConfigsResponse in
            var results: [Result] = []
            for resource in request.resources {
                results.append(
                    await handler.describe(
                        resource, synonyms: request.includeSynonyms, documentation: request.includeDocumentation))
            }
            return DescribeConfigsResponse(throttleTimeMs: 0, results: results)
        }
        return .later(future)
    }

    private func describe(_ resource: DescribeConfigsRequest.DescribeConfigsResource, synonyms: Bool, documentation: Bool)
        async -> Result
    {
        let configs: [DescribedConfig]
        switch resource.resourceType {
        case Self.topicResource:
            let topic = resource.resourceName
            if let reason = TopicName.validationError(topic) {
                return Self.failure(resource, .invalidTopicException, reason)
            }
            guard cache.snapshot.topics[topic] != nil else {
                return Self.failure(resource, .unknownTopicOrPartition, "Topic '\(topic)' does not exist.")
            }
            do {
                configs = topicDefaults.describe(overrides: try await store.topicConfig(topic))
            } catch {
                return Self.failure(resource, .unknownServerError, "\(error)")
            }
        case Self.brokerResource:
            if resource.resourceName.isEmpty {
                configs = []
            } else if let id = Int32(resource.resourceName) {
                guard id == brokerID.rawValue else {
                    return Self.failure(
                        resource, .invalidRequest,
                        "Unexpected broker id, expected \(brokerID.rawValue) or empty string, but received \(id)")
                }
                configs = brokerConfigs
            } else {
                return Self.failure(resource, .invalidRequest, "Broker id must be an integer, but it is: \(resource.resourceName)")
            }
        default:
            return Self.failure(resource, .invalidRequest, "Unsupported resource type: \(resource.resourceType)")
        }
        let wanted = resource.configurationKeys.map(Set.init)
        var result = Result(
            errorCode: ErrorCode.none.rawValue, errorMessage: nil, resourceType: resource.resourceType,
            resourceName: resource.resourceName)
        result.configs = configs.filter { wanted?.contains($0.name) ?? true }.map { config in
            DescribeConfigsResponse.DescribeConfigsResourceResult(
                name: config.name, value: config.value, readOnly: config.readOnly, isDefault: config.source == .defaultConfig,
                configSource: config.source.rawValue, isSensitive: config.isSensitive,
                synonyms: synonyms ? config.synonyms.map { .init(name: $0.name, value: $0.value, source: $0.source.rawValue) } : [],
                configType: config.type.rawValue, documentation: documentation ? config.documentation : nil)
        }
        return result
    }

    private static func failure(_ resource: DescribeConfigsRequest.DescribeConfigsResource, _ code: ErrorCode, _ message: String)
        -> Result
    {
        Result(
            errorCode: code.rawValue, errorMessage: message, resourceType: resource.resourceType,
            resourceName: resource.resourceName)
    }
}
