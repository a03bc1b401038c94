import Coordination
import Testing

@Suite struct ClusterIDZNodeTests {
    @Test func versionIsAStringLikeKafkas() throws {
        let kafka = #"{"version":"1","id":"Xt6X4YqgRmq8U7ZPn9uBkw"}"#
        #expect(String(decoding: ClusterIDZNode.encode("Xt6X4YqgRmq8U7ZPn9uBkw"), as: UTF8.self) == kafka)
        #expect(try ClusterIDZNode.decode(Array(kafka.utf8)) == "Xt6X4YqgRmq8U7ZPn9uBkw")
        #expect(throws: KafkaZNodeDecodingError.self) { try ClusterIDZNode.decode(Array(#"{"version":"1"}"#.utf8)) }
    }
}
