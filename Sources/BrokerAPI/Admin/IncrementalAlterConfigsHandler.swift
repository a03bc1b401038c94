import BrokerCore
import KafkaProtocol
import NIOCore

/// IncrementalAlterConfigs (key 44), versions 0-1: applies SET (0), DELETE (1), APPEND (2) and
/// SUBTRACT (3) to a topic's current overrides (Kafka's `ZkAdminManager.incrementalAlterConfigs`);
/// any broker answers. APPEND/SUBTRACT work on list configs only (else INVALID_CONFIG); an unknown
/// operation, a null SET/APPEND/SUBTRACT value, a resource named twice or a config named twice
/// within a resource is INVALID_REQUEST. Other errors: see ``TopicConfigWriter``.
public struct IncrementalAlterConfigsHandler: KafkaAPIHandler {
    public typealias Request = IncrementalAlterConfigsRequest
    public static let supportedVersions: ClosedRange<Int16> = 0...1

    let writer: TopicConfigWriter

    public init(store: any TopicConfigStore) {
        self.writer = TopicConfigWriter(store: store)
    }

    private typealias Result = IncrementalAlterConfigsResponse.AlterConfigsResourceResponse

    public func handle(_ request: IncrementalAlterConfigsRequest, context: RequestContext)
        -> APIOutcome<IncrementalAlterConfigsResponse>
    {
        let writer = self.writer
        let future = context.eventLoop.makeFutureWithTask { () -> IncrementalAlterConfigsResponse in
            let repeated = TopicConfigWriter.duplicates(request.resources.map { "\($0.resourceType)/\($0.resourceName)" })
            var results: [Result] = []
            for resource in request.resources {
                var result = Result(
                    errorCode: 0, errorMessage: nil, resourceType: resource.resourceType, resourceName: resource.resourceName)
                do throws(TopicConfigWriter.Failure) {
                    if repeated.contains("\(resource.resourceType)/\(resource.resourceName)") {
                        throw .init(.invalidRequest, "Each resource must appear at most once.")
                    }
                    let names = resource.configs.map(\.name)
                    if !TopicConfigWriter.duplicates(names).isEmpty {
                        throw .init(.invalidRequest, "Error due to duplicate config keys")
                    }
                    var config = try await writer.currentTopicConfig(
                        resourceType: resource.resourceType, name: resource.resourceName, configNames: names)
                    for entry in resource.configs { try Self.apply(entry, to: &config) }
                    try await writer.write(topic: resource.resourceName, config: config, validateOnly: request.validateOnly)
                } catch {
                    result.errorCode = error.code.rawValue
                    result.errorMessage = error.message
                }
                results.append(result)
            }
            return IncrementalAlterConfigsResponse(throttleTimeMs: 0, responses: results)
        }
        return .later(future)
    }

    private static func apply(
        _ entry: IncrementalAlterConfigsRequest.AlterableConfig, to config: inout [String: String]
    ) throws(TopicConfigWriter.Failure) {
        let name = entry.name
        switch entry.configOperation {
        case 1:
            config[name] = nil
            return
        case 0, 2, 3:
            break
        default:
            throw .init(.invalidRequest, "Unknown config operation \(entry.configOperation) for \(name)")
        }
        guard let value = entry.value else { throw .init(.invalidRequest, "Null value not supported for : \(name)") }
        if entry.configOperation == 0 {
            config[name] = value
            return
        }
        guard TopicConfigs.known[name] == .list else {
            let verb = entry.configOperation == 2 ? "append" : "subtract"
            throw .init(.invalidConfig, "Config value \(verb) is not allowed for config key: \(name)")
        }
        let current =
            config[name].map { $0.split(separator: ",").map(String.init) }
            ?? TopicConfigDefaults(brokerProperties: [:]).defaults[name]?.value.map { $0.split(separator: ",").map(String.init) }
            ?? []
        let items = value.split(separator: ",").map(String.init)
        let updated =
            entry.configOperation == 2
            ? current + items.filter { !current.contains($0) }
            : current.filter { !items.contains($0) }
        config[name] = updated.joined(separator: ",")
    }
}
