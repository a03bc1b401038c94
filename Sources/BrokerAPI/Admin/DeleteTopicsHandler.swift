import BrokerCore
import KafkaProtocol
import NIOCore

/// DeleteTopics (key 20), versions 1-5, as Kafka's ZooKeeper-mode broker serves it
/// (`KafkaApis.handleDeleteTopicsRequest` + `ZkAdminManager.deleteTopics` + `DelayedDeleteTopics`):
/// - only the active controller deletes topics; other brokers answer NOT_CONTROLLER;
/// - with `delete.topic.enable=false` every topic gets TOPIC_DELETION_DISABLED (INVALID_REQUEST
///   before v3, whose clients do not know that code);
/// - a topic not in this broker's metadata gets UNKNOWN_TOPIC_OR_PARTITION; a topic named twice
///   is answered once;
/// - the others are marked for deletion (`/admin/delete_topics/T`; an existing mark is fine) and,
///   with `timeoutMs > 0`, the answer waits until they are gone from this broker's metadata, else
///   REQUEST_TIMED_OUT for those still present. With `timeoutMs <= 0` it answers at once.
public struct DeleteTopicsHandler: KafkaAPIHandler {
    public typealias Request = DeleteTopicsRequest
    public static let supportedVersions: ClosedRange<Int16> = 1...5

    let admin: any TopicAdmin
    let cache: MetadataCache
    let deleteTopicEnable: Bool

    /// - Parameter deleteTopicEnable: the broker's `delete.topic.enable` (Kafka's default: true).
    public init(admin: any TopicAdmin, cache: MetadataCache, deleteTopicEnable: Bool) {
        self.admin = admin
        self.cache = cache
        self.deleteTopicEnable = deleteTopicEnable
    }

    private typealias Result = DeleteTopicsResponse.DeletableTopicResult

    public func handle(_ request: DeleteTopicsRequest, context: RequestContext) -> APIOutcome<DeleteTopicsResponse> {
        let handler = self
        let loop = context.eventLoop
        let version = context.apiVersion
        var names: [String] = []
        for name in request.topicNames where !names.contains(name) { names.append(name) }
        let requested = names
        let future = loop.makeFutureWithTask { () -> DeleteTopicsResponse in
            var results = await handler.delete(requested, version: version)
            let marked = results.filter { $0.errorCode == 0 }.compactMap(\.name)
            if !marked.isEmpty && request.timeoutMs > 0 {
                let gone = try await handler.cache.wait(
                    until: { image in marked.allSatisfy { image.topics[$0] == nil } },
                    timeout: .milliseconds(Int64(request.timeoutMs)), on: loop
                ).get()
                if !gone {
                    let image = handler.cache.snapshot
                    for index in results.indices {
                        guard results[index].errorCode == 0, let name = results[index].name, image.topics[name] != nil
                        else { continue }
                        results[index].errorCode = ErrorCode.requestTimedOut.rawValue
                        results[index].errorMessage = "The request timed out."
                    }
                }
            }
            return DeleteTopicsResponse(throttleTimeMs: 0, responses: results)
        }
        return .later(future)
    }

    private func delete(_ names: [String], version: Int16) async -> [Result] {
        guard await admin.isActiveController() else {
            return names.map { Self.result($0, .notController, "This is not the correct controller for this cluster.") }
        }
        guard deleteTopicEnable else {
            let code: ErrorCode = version < 3 ? .invalidRequest : .topicDeletionDisabled
            return names.map { Self.result($0, code, "Topic deletion is disabled.") }
        }
        let image = cache.snapshot
        var results: [Result] = []
        for name in names {
            guard image.topics[name] != nil else {
                results.append(Self.result(name, .unknownTopicOrPartition, "This server does not host this topic-partition."))
                continue
            }
            do {
                try await admin.deleteTopic(name: name)
                results.append(Self.result(name, .none, nil))
            } catch let error as TopicAdminError {
                results.append(Self.result(name, error.code, error.message))
            } catch {
                results.append(Self.result(name, .unknownServerError, "\(error)"))
            }
        }
        return results
    }

    private static func result(_ name: String, _ code: ErrorCode, _ message: String?) -> Result {
        var result = Result(name: name, errorCode: code.rawValue)
        result.errorMessage = message
        return result
    }
}
