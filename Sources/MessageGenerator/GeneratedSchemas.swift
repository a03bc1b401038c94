/// What the generator emits: THE list to edit when an API or schema is added.

/// APIs whose request and response bodies are generated, one file per API
/// (`messages/<Name>Request.json` + `messages/<Name>Response.json` → `Generated/<Name>.swift`).
let generatedAPIs: [String] = [
    "Produce", "Fetch", "ListOffsets", "Metadata", "LeaderAndIsr", "StopReplica", "UpdateMetadata",
    "ControlledShutdown", "OffsetCommit", "OffsetFetch", "FindCoordinator", "JoinGroup", "Heartbeat",
    "LeaveGroup", "SyncGroup", "DescribeGroups", "ListGroups", "ApiVersions", "CreateTopics",
    "DeleteTopics", "DeleteRecords", "InitProducerId", "OffsetForLeaderEpoch", "DescribeConfigs",
    "AlterConfigs", "CreatePartitions", "DeleteGroups", "IncrementalAlterConfigs", "OffsetDelete",
    "DescribeCluster", "AlterPartition", "ElectLeaders", "DescribeLogDirs",
]

/// Data schemas (headers, consumer protocol, `__consumer_offsets` records), one file each,
/// as paths relative to the spec directory.
let generatedDataSchemas: [String] = [
    "messages/RequestHeader.json",
    "messages/ResponseHeader.json",
    "messages/ConsumerProtocolSubscription.json",
    "messages/ConsumerProtocolAssignment.json",
    "group-coordinator/OffsetCommitKey.json",
    "group-coordinator/OffsetCommitValue.json",
    "group-coordinator/GroupMetadataKey.json",
    "group-coordinator/GroupMetadataValue.json",
]
