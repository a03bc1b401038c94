import KafkaProtocol
import Testing

@Suite("Golden CreateTopics, InitProducerId and ListOffsets requests")
struct GoldenAdminAndProducerTests {
    @Test("Java AdminClient CreateTopics v7")
    func createTopics() throws {
        let (header, body) = try GoldenFrames.decode("java-3.9.1-CreateTopics-v7.bin", as: CreateTopicsRequest.self)
        #expect(header.clientId == "adminclient-1")
        #expect(body.topics.map(\.name) == ["golden"])
        #expect(body.topics.first?.numPartitions == 1)
        #expect(body.topics.first?.replicationFactor == 1)
        #expect(body.timeoutMs == 14990)
        #expect(!body.validateOnly)
    }

    @Test("InitProducerId from idempotent producers")
    func initProducerId() throws {
        let (_, java) = try GoldenFrames.decode("java-3.9.1-InitProducerId-v5.bin", as: InitProducerIdRequest.self)
        #expect(java.transactionalId == nil)
        #expect(java.transactionTimeoutMs == Int32.max)
        #expect(java.producerId == -1)
        #expect(java.producerEpoch == -1)
        let (_, rdkafka) = try GoldenFrames.decode("librdkafka-2.16.0-InitProducerId-v4.bin", as: InitProducerIdRequest.self)
        #expect(rdkafka.transactionTimeoutMs == -1)
    }

    @Test("ListOffsets asks for the earliest offset (-2)")
    func listOffsets() throws {
        let (_, java) = try GoldenFrames.decode("java-3.9.1-ListOffsets-v9.bin", as: ListOffsetsRequest.self)
        #expect(java.isolationLevel == 0)
        #expect(java.topics.first?.partitions.first?.timestamp == -2)
        #expect(java.topics.first?.partitions.first?.currentLeaderEpoch == 0)
        let (_, v2) = try GoldenFrames.decode("librdkafka-2.0.2-ListOffsets-v2.bin", as: ListOffsetsRequest.self)
        #expect(v2.isolationLevel == 1)
        #expect(v2.topics.map(\.name) == ["golden"])
        #expect(v2.topics.first?.partitions.first?.timestamp == -2)
    }
}
