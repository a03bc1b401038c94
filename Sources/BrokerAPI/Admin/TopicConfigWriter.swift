import BrokerCore

/// The validation and write shared by AlterConfigs and IncrementalAlterConfigs, as Kafka's
/// `ZkAdminManager.alterTopicConfigs` + `AdminZkClient.validateTopicConfig` do it:
/// an illegal topic name is INVALID_TOPIC_EXCEPTION, a topic that does not exist
/// UNKNOWN_TOPIC_OR_PARTITION, an unknown name or bad value INVALID_CONFIG (``TopicConfigs``,
/// which also rejects `cleanup.policy=compact`); `validateOnly` writes nothing.
/// Broker resources answer INVALID_REQUEST, as ZooKeeper-mode Kafka does for configs it cannot
/// update dynamically (Martlet has no dynamic broker configs); other resource types too.
struct TopicConfigWriter: Sendable {
    static let topicResource: Int8 = 2
    static let brokerResource: Int8 = 4

    let store: any TopicConfigStore

    struct Failure: Error {
        var code: ErrorCode
        var message: String
        init(_ code: ErrorCode, _ message: String) {
            self.code = code
            self.message = message
        }
    }

    /// Checks the resource type and the topic; returns the topic's current overrides.
    func currentTopicConfig(resourceType: Int8, name: String, configNames: [String]) async throws(Failure) -> [String: String] {
        switch resourceType {
        case Self.topicResource: break
        case Self.brokerResource:
            throw Failure(
                .invalidRequest,
                "Cannot update these configs dynamically: \(configNames.sorted()) (Martlet has no dynamic broker configs)")
        default:
            throw Failure(.invalidRequest, "Unsupported resource type: \(resourceType)")
        }
        if let reason = TopicName.validationError(name) { throw Failure(.invalidTopicException, reason) }
        do {
            guard try await store.topicExists(name) else {
                throw Failure(.unknownTopicOrPartition, "Topic \(name) does not exist.")
            }
            return try await store.topicConfig(name)
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(.unknownServerError, "\(error)")
        }
    }

    /// Validates `config` and, unless `validateOnly`, replaces the topic's overrides with it.
    func write(topic: String, config: [String: String], validateOnly: Bool) async throws(Failure) {
        for name in config.keys.sorted() {
            if let reason = TopicConfigs.validationError(name: name, value: config[name], topic: topic) {
                throw Failure(.invalidConfig, reason)
            }
        }
        guard !validateOnly else { return }
        do {
            try await store.setTopicConfig(topic, config)
        } catch {
            throw Failure(.unknownServerError, "\(error)")
        }
    }

    /// Names appearing more than once.
    static func duplicates(_ names: [String]) -> Set<String> {
        var seen: Set<String> = []
        var repeated: Set<String> = []
        for name in names where !seen.insert(name).inserted { repeated.insert(name) }
        return repeated
    }
}
