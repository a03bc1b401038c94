import BrokerCore
import BrokerTestSupport
import KafkaProtocol
import Logging
import NIOCore
import Testing

@testable import GroupCoordination

/// A consumer-protocol subscription (version prefix + ConsumerProtocolSubscription v0).
func subscription(_ topics: [String]) -> ByteBuffer {
    var writer = MessageWriter()
    writer.writeInt16(0)
    ConsumerProtocolSubscription(topics: topics).encode(to: &writer, version: 0)
    return writer.finishAsByteBuffer() ?? ByteBuffer()
}

func bytes(_ string: String) -> ByteBuffer { ByteBuffer(string: string) }

/// A coordinator with one `__consumer_offsets` partition (0), a manual clock and no
/// background ticker, plus its fake store.
struct CoordinatorFixture {
    let coordinator: GroupCoordinator
    let store: InMemoryGroupLogStore
    let clock: ManualTimeSource

    static func make(
        config: GroupCoordinatorConfig = .init(offsetsTopicPartitionCount: 1, timerTickIntervalMs: 0),
        store: InMemoryGroupLogStore = InMemoryGroupLogStore(), elect: Bool = true,
        knownTopics: Set<String> = ["t", "u", "other"]
    ) async -> CoordinatorFixture {
        let clock = ManualTimeSource()
        var config = config
        config.timerTickIntervalMs = 0
        let coordinator = GroupCoordinator(
            config: config, store: store, partitionExists: { knownTopics.contains($0.topic) && $0.partition < 8 },
            clock: clock, logger: Logger(label: "test.groups"))
        if elect {
            coordinator.onElection(partition: 0, leaderEpoch: LeaderEpoch(1))
            await coordinator.waitForLoads()
        }
        return CoordinatorFixture(coordinator: coordinator, store: store, clock: clock)
    }

    func context(_ version: Int16, client: String = "client") -> GroupRequestContext {
        GroupRequestContext(apiVersion: version, clientID: client, clientHost: "/127.0.0.1")
    }

    func joinRequest(
        group: String = "g", memberID: String = "", instanceID: String? = nil, topics: [String] = ["t"],
        protocols: [String] = ["range"], sessionTimeoutMs: Int32 = 10_000, rebalanceTimeoutMs: Int32 = 30_000
    ) -> JoinGroupRequest {
        JoinGroupRequest(
            groupId: group, sessionTimeoutMs: sessionTimeoutMs, rebalanceTimeoutMs: rebalanceTimeoutMs, memberId: memberID,
            groupInstanceId: instanceID, protocolType: "consumer",
            protocols: protocols.map { .init(name: $0, metadata: subscription(topics)) })
    }

    /// JoinGroup v5 with an empty member id: returns the member id handed out with MEMBER_ID_REQUIRED.
    func memberID(group: String = "g", client: String = "client") async -> String {
        let response = await coordinator.joinGroup(joinRequest(group: group), context: context(5, client: client))
        #expect(response.errorCode == ErrorCode.memberIdRequired.rawValue)
        return response.memberId
    }

    /// Yields until `condition` holds on the coordinator (parked requests have arrived).
    func waitUntil(_ condition: @escaping @Sendable (GroupCoordinator) async -> Bool) async {
        for _ in 0..<100_000 {
            if await condition(coordinator) { return }
            await Task.yield()
        }
        Issue.record("condition never held")
    }

    /// Waits until `count` members of `group` have a parked JoinGroup.
    func waitForParkedJoins(_ count: Int, group: String = "g") async {
        await waitUntil { await $0.group(group)?.members.count(where: \.isAwaitingJoin) == count }
    }

    /// Moves the clock and fires due timers.
    func advance(_ milliseconds: Int64) async {
        clock.advance(milliseconds: milliseconds)
        await coordinator.tick()
    }

    /// Forms a Stable group of one member (the leader) with assignment `assignment`; returns
    /// (member id, generation).
    func stableSingleMemberGroup(group: String = "g", assignment: ByteBuffer = bytes("A")) async -> (String, Int32) {
        let id = await memberID(group: group)
        async let join = coordinator.joinGroup(joinRequest(group: group, memberID: id), context: context(5))
        await waitForParkedJoins(1, group: group)
        await advance(3000)
        let joined = await join
        #expect(joined.errorCode == 0)
        let synced = await coordinator.syncGroup(
            SyncGroupRequest(
                groupId: group, generationId: joined.generationId, memberId: id,
                assignments: [.init(memberId: id, assignment: assignment)]), context: context(3))
        #expect(synced.errorCode == 0)
        return (id, joined.generationId)
    }

    func shutdown() async { await coordinator.shutdown() }
}
