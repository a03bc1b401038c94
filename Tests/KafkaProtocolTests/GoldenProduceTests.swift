import KafkaProtocol
import Testing

@Suite("Golden Produce requests")
struct GoldenProduceTests {
    @Test("Java 3.9.1 idempotent producer: v11, acks=-1, one v2 batch of 2 records")
    func java() throws {
        let (header, body) = try GoldenFrames.decode("java-3.9.1-Produce-v11.bin", as: ProduceRequest.self)
        #expect(header.clientId == "conformance-producer")
        #expect(body.transactionalId == nil)
        #expect(body.acks == -1)
        #expect(body.timeoutMs == 20000)
        #expect(body.topicData.map(\.name) == ["golden"])
        let partition = try #require(body.topicData.first?.partitionData.first)
        #expect(partition.index == 0)
        #expect(partition.records?.byteCount == 91)
        let batch = try RecordBatchHeader(partition.records)
        #expect(batch.magic == 2)
        #expect(batch.batchLength == 91 - 12)
        #expect(batch.recordCount == 2)
    }

    @Test("librdkafka 2.0.2 (kcat): v7, acks=-1, records sliced from the request")
    func librdkafka202() throws {
        let (header, body) = try GoldenFrames.decode("librdkafka-2.0.2-Produce-v7.bin", as: ProduceRequest.self)
        #expect(header.clientId == "rdkafka")
        #expect(body.acks == -1)
        #expect(body.timeoutMs == 30000)
        let partition = try #require(body.topicData.first?.partitionData.first)
        #expect(body.topicData.first?.name == "golden")
        #expect(partition.records?.byteCount == 92)
        let batch = try RecordBatchHeader(partition.records)
        #expect(batch.magic == 2)
        #expect(batch.recordCount == 2)
        #expect(batch.producerId == -1)
    }

    @Test("librdkafka 2.16.0 idempotent producer: v10 to partition 1")
    func librdkafka216() throws {
        let (_, body) = try GoldenFrames.decode("librdkafka-2.16.0-Produce-v10.bin", as: ProduceRequest.self)
        #expect(body.acks == -1)
        #expect(body.topicData.first?.name == "golden-ck")
        let partition = try #require(body.topicData.first?.partitionData.first)
        #expect(partition.index == 1)
        #expect(partition.records?.byteCount == 74)
        #expect(try RecordBatchHeader(partition.records).recordCount == 1)
    }

    @Test("kafka-python 3.0.12: v9, acks=-1")
    func kafkaPython() throws {
        let (header, body) = try GoldenFrames.decode("kafka-python-3.0.12-Produce-v9.bin", as: ProduceRequest.self)
        #expect(header.clientId == "kafka-python-producer-1")
        #expect(body.acks == -1)
        #expect(body.timeoutMs == 20000)
        #expect(body.topicData.first?.name == "golden-kp")
        let partition = try #require(body.topicData.first?.partitionData.first)
        #expect(partition.records?.byteCount == 74)
        #expect(try RecordBatchHeader(partition.records).magic == 2)
    }
}
