import BrokerCore
import KafkaProtocol
import NIOCore

/// AlterConfigs (key 33), versions 0-2: replaces a topic's whole set of overrides (Kafka's
/// `ZkAdminManager.alterConfigs`); any broker answers. Errors per resource: see
/// ``TopicConfigWriter``; a resource named twice, or a config named twice within a resource, is
/// INVALID_REQUEST. A null value leaves that config at its default.
public struct AlterConfigsHandler: KafkaAPIHandler {
    public typealias Request = AlterConfigsRequest
    public static let supportedVersions: ClosedRange<Int16> = 0...2

    let writer: TopicConfigWriter

    public init(store: any TopicConfigStore) {
        self.writer = TopicConfigWriter(store: store)
    }

    private typealias Result = AlterConfigsResponse.AlterConfigsResourceResponse

    public func handle(_ request: AlterConfigsRequest, context: RequestContext) -> APIOutcome<AlterConfigsResponse> {
        let writer = self.writer
        let future = context.eventLoop.makeFutureWithTask { () -> AlterConfigsResponse in
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
                    _ = try await writer.currentTopicConfig(
                        resourceType: resource.resourceType, name: resource.resourceName, configNames: names)
                    var config: [String: String] = [:]
                    for entry in resource.configs { config[entry.name] = entry.value }
                    try await writer.write(topic: resource.resourceName, config: config, validateOnly: request.validateOnly)
                } catch {
                    result.errorCode = error.code.rawValue
                    result.errorMessage = error.message
                }
                results.append(result)
            }
            return AlterConfigsResponse(throttleTimeMs: 0, responses: results)
        }
        return .later(future)
    }
}
