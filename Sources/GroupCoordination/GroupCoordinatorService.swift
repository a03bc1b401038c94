import BrokerCore
import KafkaProtocol
import NIOCore

/// The classic consumer-group coordinator as the API handlers see it (Kafka's
/// `GroupCoordinator` + `GroupMetadataManager`, classic protocol only).
///
/// The coordinator of group G is the leader of `__consumer_offsets` partition
/// ``partition(for:)``. Requests take and return the generated wire types so that version-
/// dependent rules (MEMBER_ID_REQUIRED from JoinGroup v4, batched LeaveGroup from v3, several
/// groups in one OffsetFetch from v8, ...) live in one place, the coordinator; the API handlers
/// only forward. `context.apiVersion` is the request's version.
///
/// Errors are answered in the response, never thrown: NOT_COORDINATOR when this broker does not
/// lead the group's offsets partition, COORDINATOR_LOAD_IN_PROGRESS while that partition loads,
/// COORDINATOR_NOT_AVAILABLE while shutting down, and the per-API errors of Kafka 3.9.
///
/// Thread-safety: every method may be called concurrently from any thread.
public protocol GroupCoordinatorService: Sendable {
    /// `__consumer_offsets` partition of a group: `abs(javaStringHashCode(groupID)) % partitionCount`
    /// with `abs(Int32.min) == 0` (Kafka's `Utils.abs`).
    func partition(for groupID: String) -> Int32

    /// JoinGroup v0-v9 (the handler serves 2-9). Completes when the rebalance completes (or at
    /// once with an error / MEMBER_ID_REQUIRED).
    func joinGroup(_ request: JoinGroupRequest, context: GroupRequestContext) async -> JoinGroupResponse
    /// SyncGroup v0-v5. A follower's call completes when the leader's assignment is stored.
    func syncGroup(_ request: SyncGroupRequest, context: GroupRequestContext) async -> SyncGroupResponse
    /// Heartbeat v0-v4.
    func heartbeat(_ request: HeartbeatRequest, context: GroupRequestContext) async -> HeartbeatResponse
    /// LeaveGroup v0-v5 (v0-v2: the single `memberId`; v3+: `members`).
    func leaveGroup(_ request: LeaveGroupRequest, context: GroupRequestContext) async -> LeaveGroupResponse
    /// OffsetCommit v0-v9 (the handler serves 2-8). Partitions of topics that do not exist get
    /// UNKNOWN_TOPIC_OR_PARTITION (the coordinator asks its `partitionExists` closure).
    func offsetCommit(_ request: OffsetCommitRequest, context: GroupRequestContext) async -> OffsetCommitResponse
    /// OffsetFetch v0-v9 (the handler serves 1-8): v0-v7 one group, v8+ `groups`; null topics =
    /// every partition the group has committed.
    func offsetFetch(_ request: OffsetFetchRequest, context: GroupRequestContext) async -> OffsetFetchResponse
    /// DescribeGroups v0-v5.
    func describeGroups(_ request: DescribeGroupsRequest, context: GroupRequestContext) async -> DescribeGroupsResponse
    /// ListGroups v0-v4: the groups of every offsets partition this broker has loaded
    /// (states filter from v4).
    func listGroups(_ request: ListGroupsRequest, context: GroupRequestContext) async -> ListGroupsResponse
    /// DeleteGroups v0-v2: only empty (or dead) groups; writes tombstones for the group and its offsets.
    func deleteGroups(_ request: DeleteGroupsRequest, context: GroupRequestContext) async -> DeleteGroupsResponse
    /// OffsetDelete v0: deletes offsets of partitions the group is not subscribed to.
    func offsetDelete(_ request: OffsetDeleteRequest, context: GroupRequestContext) async -> OffsetDeleteResponse

    /// This broker became leader of `__consumer_offsets` partition `partition` at `leaderEpoch`:
    /// load its groups and offsets (from log start to the high watermark) and serve them.
    /// Returns at once; loading runs in the background (COORDINATOR_LOAD_IN_PROGRESS meanwhile).
    /// A later call for the same partition with an older epoch is ignored.
    func onElection(partition: Int32, leaderEpoch: LeaderEpoch)
    /// This broker stopped leading `partition` (became follower, or the replica was stopped):
    /// drop its groups (members waiting in JoinGroup/SyncGroup get NOT_COORDINATOR).
    /// `leaderEpoch` nil = unconditional (StopReplica).
    func onResignation(partition: Int32, leaderEpoch: LeaderEpoch?)

    /// Stops timers and answers pending requests with COORDINATOR_NOT_AVAILABLE / NOT_COORDINATOR.
    func shutdown() async
}

/// What the coordinator needs to know about a request besides its body.
public struct GroupRequestContext: Sendable, Hashable {
    /// The request's API version.
    public var apiVersion: Int16
    /// The request header's client id ("" when null).
    public var clientID: String
    /// The client's address as Kafka reports it in DescribeGroups (`/127.0.0.1`).
    public var clientHost: String

    public init(apiVersion: Int16, clientID: String, clientHost: String) {
        self.apiVersion = apiVersion
        self.clientID = clientID
        self.clientHost = clientHost
    }
}

/// Where the coordinator keeps its state: the partitions of `__consumer_offsets`.
///
/// Implemented over the replica manager by the composition root; tests use an in-memory fake.
/// Thread-safety: methods may be called concurrently from any thread.
public protocol GroupLogStore: Sendable {
    /// Appends one record batch (v2, built by the coordinator with base offset 0, uncompressed,
    /// no producer id) to `__consumer_offsets` partition `partition`, with acks=all semantics
    /// (completes when the batch is below the high watermark, or with the error: e.g.
    /// NOT_LEADER_OR_FOLLOWER, NOT_ENOUGH_REPLICAS, REQUEST_TIMED_OUT after `timeoutMs`).
    func append(partition: Int32, batch: ByteBuffer, timeoutMs: Int32) async -> GroupLogAppendResult

    /// Reads whole record batches of `partition` starting with the batch containing `offset`,
    /// at most about `maxBytes` (at least one batch if any), never past the high watermark.
    func read(partition: Int32, from offset: Offset, maxBytes: Int) async -> GroupLogReadResult
}

public struct GroupLogAppendResult: Sendable, Hashable {
    public var errorCode: ErrorCode
    /// The offset assigned to the first record (`.unknown` on error).
    public var baseOffset: Offset
    public init(errorCode: ErrorCode, baseOffset: Offset = .unknown) {
        self.errorCode = errorCode
        self.baseOffset = baseOffset
    }
}

public struct GroupLogReadResult: Sendable {
    /// NONE, or why the partition cannot be read (e.g. NOT_LEADER_OR_FOLLOWER).
    public var errorCode: ErrorCode
    /// Concatenated record batches (possibly empty when `offset` reached the high watermark).
    public var records: ByteBuffer
    /// The partition's high watermark at the time of the read: loading is done when the next
    /// offset to read reaches it.
    public var highWatermark: Offset
    /// The partition's log start offset.
    public var logStartOffset: Offset
    public init(errorCode: ErrorCode, records: ByteBuffer, highWatermark: Offset, logStartOffset: Offset) {
        self.errorCode = errorCode
        self.records = records
        self.highWatermark = highWatermark
        self.logStartOffset = logStartOffset
    }
}
