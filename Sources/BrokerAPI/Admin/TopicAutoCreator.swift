/// Creates topics that clients ask Metadata about (`auto.create.topics.enable`, Kafka's default),
/// with the broker's `num.partitions` and `default.replication.factor`.
///
/// `createTopic` returns at once (it is called on an event loop); creation happens in the
/// background and its failure (e.g. the topic appeared meanwhile) is only logged, as in Kafka.
public protocol TopicAutoCreator: Sendable {
    func createTopic(_ name: String)
}
