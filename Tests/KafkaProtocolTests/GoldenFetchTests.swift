import KafkaProtocol
import Testing

@Suite("Golden Fetch requests")
struct GoldenFetchTests {
    @Test("Java 3.9.1 consumer: v17 names the topic by id only")
    func java() throws {
        let (header, body) = try GoldenFrames.decode("java-3.9.1-Fetch-v17.bin", as: FetchRequest.self)
        #expect(header.clientId == "conformance-consumer")
        #expect(body.maxWaitMs == 500)
        #expect(body.minBytes == 1)
        #expect(body.maxBytes == 52_428_800)
        #expect(body.isolationLevel == 0)
        #expect(body.replicaState == FetchRequest.ReplicaState())
        let topic = try #require(body.topics.first)
        #expect(topic.topic == "")
        #expect(topic.topicId != KafkaUUID.zero)
        #expect(topic.topicId.description == "AaH_U2NbdTCvwHZ6IhM-JA")
        let partition = try #require(topic.partitions.first)
        #expect(partition.partition == 0)
        #expect(partition.fetchOffset == 0)
        #expect(partition.partitionMaxBytes == 1_048_576)
    }

    @Test("librdkafka 2.0.2 (kcat): v11 by topic name, read_committed")
    func librdkafka202() throws {
        let (_, body) = try GoldenFrames.decode("librdkafka-2.0.2-Fetch-v11.bin", as: FetchRequest.self)
        #expect(body.replicaId == -1)
        #expect(body.isolationLevel == 1)
        #expect(body.sessionEpoch == -1)
        #expect(body.topics.map(\.topic) == ["golden"])
        #expect(body.topics.first?.partitions.first?.currentLeaderEpoch == -1)
        #expect(body.rackId == "")
    }

    @Test("librdkafka 2.16.0: v16 by topic id")
    func librdkafka216() throws {
        let (_, body) = try GoldenFrames.decode("librdkafka-2.16.0-Fetch-v16.bin", as: FetchRequest.self)
        let topic = try #require(body.topics.first)
        #expect(topic.topicId != KafkaUUID.zero)
        #expect(topic.partitions.map(\.partition) == [3])
        #expect(body.isolationLevel == 1)
    }

    @Test("kafka-python 3.0.12: v12 by topic name, four partitions")
    func kafkaPython() throws {
        let (header, body) = try GoldenFrames.decode("kafka-python-3.0.12-Fetch-v12.bin", as: FetchRequest.self)
        #expect(header.clientId == "kafka-python-3.0.12")
        #expect(body.topics.map(\.topic) == ["golden-kp"])
        #expect(body.topics.first?.partitions.map(\.partition).sorted() == [0, 1, 2, 3])
        #expect(body.topics.first?.partitions.allSatisfy { $0.fetchOffset == 0 } == true)
    }
}
