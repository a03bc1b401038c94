import BrokerAPI
import Controller

extension ZooKeeperTopicAdmin {
    /// Writes `/admin/delete_topics/T`; the controller deletes the topic.
    func deleteTopic(name: String) async throws {
        do {
            try await zk.requestTopicDeletion(name)
        } catch let error as ClusterMetadataError {
            throw TopicAdminError(error.errorCode, "\(error)")
        }
    }
}
