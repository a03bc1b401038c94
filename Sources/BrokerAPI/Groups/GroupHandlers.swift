import GroupCoordination

/// The consumer-group API handlers (classic protocol), all over one coordinator.
/// ConsumerGroupHeartbeat (the KIP-848 protocol) is deliberately absent, so it is not advertised.
public enum GroupHandlers {
    /// FindCoordinator, JoinGroup, SyncGroup, Heartbeat, LeaveGroup, OffsetCommit, OffsetFetch,
    /// DescribeGroups, ListGroups, DeleteGroups and OffsetDelete.
    public static func make(
        coordinator: any GroupCoordinatorService, cache: MetadataCache, offsetsTopic: OffsetsTopicCreator?
    ) -> [any KafkaAPIHandler] {
        [
            FindCoordinatorHandler(coordinator: coordinator, cache: cache, offsetsTopic: offsetsTopic),
            JoinGroupHandler(coordinator: coordinator),
            SyncGroupHandler(coordinator: coordinator),
            HeartbeatHandler(coordinator: coordinator),
            LeaveGroupHandler(coordinator: coordinator),
            OffsetCommitHandler(coordinator: coordinator),
            OffsetFetchHandler(coordinator: coordinator),
            DescribeGroupsHandler(coordinator: coordinator),
            ListGroupsHandler(coordinator: coordinator),
            DeleteGroupsHandler(coordinator: coordinator),
            OffsetDeleteHandler(coordinator: coordinator),
        ]
    }
}
