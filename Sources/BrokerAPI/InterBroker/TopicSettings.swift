import LogStorage

/// Settings a partition takes from its topic's configuration: the topic's overrides
/// (`/config/topics/T`) over the broker defaults.
public struct TopicSettings: Sendable {
    public var minInSyncReplicas: Int
    /// The partition's log configuration; nil keeps the log manager's default.
    public var logConfig: LogConfig?
    public init(minInSyncReplicas: Int = 1, logConfig: LogConfig? = nil) {
        self.minInSyncReplicas = minInSyncReplicas
        self.logConfig = logConfig
    }
}
