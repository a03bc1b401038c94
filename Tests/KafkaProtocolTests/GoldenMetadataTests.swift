import KafkaProtocol
import Testing

@Suite("Golden Metadata requests")
struct GoldenMetadataTests {
    @Test("Java 3.9.1 asks v12 for one topic by name with a zero topic id")
    func java() throws {
        let (header, body) = try GoldenFrames.decode("java-3.9.1-Metadata-v12.bin", as: MetadataRequest.self)
        #expect(header.clientId == "conformance-producer")
        #expect(body.topics?.map(\.name) == ["golden"])
        #expect(body.topics?.map(\.topicId) == [KafkaUUID.zero])
        #expect(body.allowAutoTopicCreation)
        #expect(!body.includeTopicAuthorizedOperations)
    }

    @Test("librdkafka 2.0.2 asks v4 with auto-creation allowed")
    func librdkafka202() throws {
        let (header, body) = try GoldenFrames.decode("librdkafka-2.0.2-Metadata-v4.bin", as: MetadataRequest.self)
        #expect(header.clientId == "rdkafka")
        #expect(body.topics?.map(\.name) == ["golden"])
        #expect(body.allowAutoTopicCreation)
    }

    @Test("librdkafka 2.16.0 asks v12")
    func librdkafka216() throws {
        let (_, body) = try GoldenFrames.decode("librdkafka-2.16.0-Metadata-v12.bin", as: MetadataRequest.self)
        #expect(body.topics?.map(\.name) == ["golden-ck"])
        #expect(body.allowAutoTopicCreation)
    }

    @Test("kafka-python 3.0.12 asks v12")
    func kafkaPython() throws {
        let (header, body) = try GoldenFrames.decode("kafka-python-3.0.12-Metadata-v12.bin", as: MetadataRequest.self)
        #expect(header.correlationId == 3)
        #expect(body.topics?.map(\.name) == ["golden-kp"])
    }
}
