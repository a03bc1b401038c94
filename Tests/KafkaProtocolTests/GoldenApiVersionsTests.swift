import KafkaProtocol
import Testing

@Suite("Golden ApiVersions requests")
struct GoldenApiVersionsTests {
    @Test("Java 3.9.1 sends v4 with its software name and a flexible header")
    func java() throws {
        let (header, body) = try GoldenFrames.decode("java-3.9.1-ApiVersions-v4.bin", as: ApiVersionsRequest.self)
        #expect(header.correlationId == 0)
        #expect(header.clientId == "conformance-producer")
        #expect(body.clientSoftwareName == "apache-kafka-java")
        #expect(body.clientSoftwareVersion == "3.9.1")
    }

    @Test("librdkafka 2.0.2 (kcat 1.7.1) sends v3")
    func librdkafka202() throws {
        let (header, body) = try GoldenFrames.decode("librdkafka-2.0.2-ApiVersions-v3.bin", as: ApiVersionsRequest.self)
        #expect(header.clientId == "rdkafka")
        #expect(header.correlationId == 1)
        #expect(body.clientSoftwareName == "librdkafka")
        #expect(body.clientSoftwareVersion == "2.0.2")
    }

    @Test("confluent-kafka 2.16.1 (librdkafka 2.16.0) sends v3")
    func librdkafka216() throws {
        let (header, body) = try GoldenFrames.decode("librdkafka-2.16.0-ApiVersions-v3.bin", as: ApiVersionsRequest.self)
        #expect(header.clientId == "rdkafka")
        #expect(body.clientSoftwareName == "confluent-kafka-python")
        #expect(body.clientSoftwareVersion == "2.16.1-rdkafka-2.16.0")
    }

    @Test("kafka-python 3.0.12 sends v4")
    func kafkaPython() throws {
        let (header, body) = try GoldenFrames.decode("kafka-python-3.0.12-ApiVersions-v4.bin", as: ApiVersionsRequest.self)
        #expect(header.clientId == "kafka-python-producer-1")
        #expect(header.correlationId == 1)
        #expect(body.clientSoftwareName == "kafka-python")
        #expect(body.clientSoftwareVersion == "3.0.12")
    }
}
