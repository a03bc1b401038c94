import BrokerAPI
import BrokerCore
import Controller
import Coordination
import Logging
import LogStorage
import Replication
import Synchronization

/// Each topic's effective settings on this broker, as Kafka's broker keeps its topic configs:
/// read from `/config/topics/T` when the controller hands the broker a partition (LeaderAndIsr),
/// and refreshed when a `/config/changes/config_change_N` notification names the topic, at which
/// point the topic's open logs and partitions take the new values.
///
/// Thread-safety: the cache is a `Mutex`-guarded dictionary read synchronously on event loops
/// (`cached(_:)`, the Produce path's min.insync.replicas); ZooKeeper reads happen in tasks.
final class TopicConfigCache: Sendable {
    private let zk: KafkaZooKeeperClient?
    private let defaults: BrokerLogSettings
    private let entries = Mutex<[String: TopicSettings]>([:])
    private let logger: Logger

    /// `zk` nil: no ZooKeeper (standalone broker), every topic has the broker defaults.
    init(zk: KafkaZooKeeperClient?, defaults: BrokerLogSettings, logger: Logger) {
        self.zk = zk
        self.defaults = defaults
        self.logger = logger
    }

    var brokerDefaults: TopicSettings { TopicSettings(minInSyncReplicas: defaults.minInSyncReplicas, logConfig: nil) }

    /// The last settings read for `topic`, or the defaults for a topic with no overrides.
    func cached(_ topic: String) -> TopicSettings {
        entries.withLock { $0[topic] } ?? fallback(topic)
    }

    /// What a topic gets when its overrides cannot be read: the broker defaults, except that
    /// `__consumer_offsets` keeps the compact policy it is created with, so an unreachable
    /// ZooKeeper never subjects committed offsets to time or size retention.
    private func fallback(_ topic: String) -> TopicSettings {
        guard topic == TopicName.consumerOffsets else { return brokerDefaults }
        return TopicLogConfig.settings(overrides: ["cleanup.policy": "compact"], defaults: defaults)
    }

    /// Reads the topics' overrides from ZooKeeper (falling back to the cache if it is unreachable).
    func load(_ topics: [String]) async -> [String: TopicSettings] {
        var result: [String: TopicSettings] = [:]
        for topic in topics {
            result[topic] = await refresh(topic)
        }
        return result
    }

    @discardableResult
    private func refresh(_ topic: String) async -> TopicSettings {
        guard let zk else { return fallback(topic) }
        do {
            let overrides = try await zk.topicConfig(topic)
            let settings = TopicLogConfig.settings(overrides: overrides, defaults: defaults)
            entries.withLock { $0[topic] = settings }
            return settings
        } catch {
            logger.warning("cannot read topic config", metadata: ["topic": "\(topic)", "error": "\(error)"])
            return cached(topic)
        }
    }

    /// Follows `/config/changes` until cancelled or the session closes, applying topic config
    /// changes to this broker's logs and partitions. Notifications present at start are taken as
    /// already applied (LeaderAndIsr reads current configs).
    func watchChanges(logManager: LogManager, replicaManager: ReplicaManager) async {
        guard let zk else { return }
        var seen = Set((try? await zk.configChangeNotificationNames()) ?? [])
        while !Task.isCancelled {
            do {
                try await zk.store.ensurePersistentPath(KafkaZNodePaths.configChanges)
                let (children, watch) = try await zk.store.childrenAndWatch(KafkaZNodePaths.configChanges)
                for name in children.sorted() where name.hasPrefix(KafkaZNodePaths.configChangePrefix) && !seen.contains(name) {
                    seen.insert(name)
                    guard let notice = try await zk.configChangeNotification(named: name),
                        notice.entityType == .topics, let topic = notice.entityName
                    else { continue }
                    let settings = await refresh(topic)
                    for (partition, log) in logManager.allLogs where partition.topic == topic {
                        if let config = settings.logConfig { log.updateConfig(config) }
                    }
                    _ = try? await replicaManager.updateMinInSyncReplicas(topic: topic, to: settings.minInSyncReplicas).get()
                    logger.info("applied topic config change", metadata: ["topic": "\(topic)"])
                }
                _ = try await watch.event()
            } catch CoordinationError.closed {
                return
            } catch {
                if Task.isCancelled { return }
                try? await zk.store.waitUntilConnected()
            }
        }
    }
}
