/// `/cluster/id` (persistent, created once): `{"version":"1","id":"<cluster id>"}` — note the
/// version is a string (Kafka's `ClusterIdZNode`).
public enum ClusterIDZNode {
    public static func json(_ clusterID: String) -> KafkaJSON.Value {
        .object([("version", .string("1")), ("id", .string(clusterID))])
    }

    public static func encode(_ clusterID: String) -> [UInt8] { json(clusterID).bytes }

    public static func decode(_ data: [UInt8]) throws -> String {
        try KafkaJSON.decode(Wire.self, from: data, znode: "cluster id").id
    }

    private struct Wire: Decodable {
        var id: String
    }
}
