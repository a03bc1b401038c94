import BrokerAPI
import BrokerCore
import GroupCoordination
import KafkaProtocol
import NIOCore
import NIOPosix
import Synchronization

/// A coordinator that records what the group handlers forward and answers with fixed,
/// recognisable responses (each carries a distinctive error code or id).
final class FakeGroupCoordinator: GroupCoordinatorService {
    struct Forwarded: Sendable {
        var api: String
        var request: any KafkaRequest
        var context: GroupRequestContext
    }

    enum LeadershipEvent: Sendable, Equatable {
        case election(partition: Int32, epoch: LeaderEpoch)
        case resignation(partition: Int32, epoch: LeaderEpoch?)
    }

    let forwarded = Mutex<[Forwarded]>([])
    let leadership = Mutex<[LeadershipEvent]>([])
    let shutdowns = Mutex(0)
    private let partitionFor: @Sendable (String) -> Int32

    init(partitionFor: @escaping @Sendable (String) -> Int32 = { _ in 0 }) {
        self.partitionFor = partitionFor
    }

    /// The one request forwarded so far, checked to be of type `R`.
    func only<R: KafkaRequest>(_ type: R.Type) -> (request: R, context: GroupRequestContext)? {
        let all = forwarded.withLock { $0 }
        guard all.count == 1, let request = all[0].request as? R else { return nil }
        return (request, all[0].context)
    }

    private func record(_ api: String, _ request: any KafkaRequest, _ context: GroupRequestContext) {
        forwarded.withLock { $0.append(Forwarded(api: api, request: request, context: context)) }
    }

    func partition(for groupID: String) -> Int32 { partitionFor(groupID) }

    func joinGroup(_ request: JoinGroupRequest, context: GroupRequestContext) async -> JoinGroupResponse {
        record("JoinGroup", request, context)
        return JoinGroupResponse(
            errorCode: ErrorCode.memberIdRequired.rawValue, generationId: -1, leader: "", memberId: "member-1")
    }

    func syncGroup(_ request: SyncGroupRequest, context: GroupRequestContext) async -> SyncGroupResponse {
        record("SyncGroup", request, context)
        return SyncGroupResponse(errorCode: ErrorCode.rebalanceInProgress.rawValue, assignment: ByteBuffer(bytes: [1, 2, 3]))
    }

    func heartbeat(_ request: HeartbeatRequest, context: GroupRequestContext) async -> HeartbeatResponse {
        record("Heartbeat", request, context)
        return HeartbeatResponse(errorCode: ErrorCode.illegalGeneration.rawValue)
    }

    func leaveGroup(_ request: LeaveGroupRequest, context: GroupRequestContext) async -> LeaveGroupResponse {
        record("LeaveGroup", request, context)
        return LeaveGroupResponse(errorCode: ErrorCode.unknownMemberId.rawValue)
    }

    func offsetCommit(_ request: OffsetCommitRequest, context: GroupRequestContext) async -> OffsetCommitResponse {
        record("OffsetCommit", request, context)
        return OffsetCommitResponse(
            topics: request.topics.map { topic in
                .init(
                    name: topic.name,
                    partitions: topic.partitions.map {
                        .init(partitionIndex: $0.partitionIndex, errorCode: ErrorCode.unknownTopicOrPartition.rawValue)
                    })
            })
    }

    func offsetFetch(_ request: OffsetFetchRequest, context: GroupRequestContext) async -> OffsetFetchResponse {
        record("OffsetFetch", request, context)
        var response = OffsetFetchResponse(errorCode: ErrorCode.coordinatorLoadInProgress.rawValue)
        response.groups = request.groups.map {
            .init(groupId: $0.groupId, errorCode: ErrorCode.coordinatorLoadInProgress.rawValue)
        }
        return response
    }

    func describeGroups(_ request: DescribeGroupsRequest, context: GroupRequestContext) async -> DescribeGroupsResponse {
        record("DescribeGroups", request, context)
        return DescribeGroupsResponse(
            groups: request.groups.map { .init(errorCode: 0, groupId: $0, groupState: "Dead", protocolType: "", protocolData: "") })
    }

    func listGroups(_ request: ListGroupsRequest, context: GroupRequestContext) async -> ListGroupsResponse {
        record("ListGroups", request, context)
        return ListGroupsResponse(errorCode: 0, groups: [.init(groupId: "g1", protocolType: "consumer")])
    }

    func deleteGroups(_ request: DeleteGroupsRequest, context: GroupRequestContext) async -> DeleteGroupsResponse {
        record("DeleteGroups", request, context)
        return DeleteGroupsResponse(
            results: request.groupsNames.map { .init(groupId: $0, errorCode: ErrorCode.nonEmptyGroup.rawValue) })
    }

    func offsetDelete(_ request: OffsetDeleteRequest, context: GroupRequestContext) async -> OffsetDeleteResponse {
        record("OffsetDelete", request, context)
        return OffsetDeleteResponse(errorCode: ErrorCode.groupIdNotFound.rawValue)
    }

    func onElection(partition: Int32, leaderEpoch: LeaderEpoch) {
        leadership.withLock { $0.append(.election(partition: partition, epoch: leaderEpoch)) }
    }

    func onResignation(partition: Int32, leaderEpoch: LeaderEpoch?) {
        leadership.withLock { $0.append(.resignation(partition: partition, epoch: leaderEpoch)) }
    }

    func shutdown() async { shutdowns.withLock { $0 += 1 } }
}

/// Sends `request` at `version` through a registry holding `handler`, as the server would for a
/// client at 127.0.0.1, and decodes the answer (waiting for it when the handler answers later).
func exchange<H: KafkaAPIHandler>(
    _ handler: H, _ request: H.Request, version: Int16, clientID: String? = "consumer-1", listener: String = "PLAINTEXT"
) async throws -> H.Request.Response {
    let registry = HandlerRegistry(handlers: [handler])
    var body = encodeBody(request, version: version)
    let context = RequestContext(
        apiKey: H.Request.apiKey, apiVersion: version, correlationID: 7, clientID: clientID,
        clientAddress: "127.0.0.1:50123", listenerName: listener,
        eventLoop: MultiThreadedEventLoopGroup.singleton.any())
    let encoded: EncodedResponse
    switch registry.dispatch(body: &body, context: context) {
    case .response(let response): encoded = response
    case .later(let future): encoded = try await future.get()
    case let other: throw TestFailure("unexpected outcome \(other)")
    }
    let (correlationID, response) = try decodeFrame(encoded, as: H.Request.Response.self, version: version)
    guard correlationID == 7 else { throw TestFailure("correlation id \(correlationID)") }
    return response
}

/// The group context every forwarded request of ``exchange(_:_:version:clientID:listener:)`` carries.
func expectedGroupContext(version: Int16, clientID: String = "consumer-1") -> GroupRequestContext {
    GroupRequestContext(apiVersion: version, clientID: clientID, clientHost: "/127.0.0.1")
}
