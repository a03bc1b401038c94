/// Dynamic configs of an entity at `/config/<type>/<name>` (persistent): Kafka's
/// `ConfigEntityZNode`, JSON v1 with string values. Topic configs live at `/config/topics/<topic>`.
///
/// ```json
/// {"version":1,"config":{"cleanup.policy":"compact","retention.ms":"1000"}}
/// ```
/// Keys are written sorted.
public struct EntityConfig: Hashable, Sendable {
    public var config: [String: String]

    public init(_ config: [String: String] = [:]) { self.config = config }

    public var json: KafkaJSON.Value {
        .object([
            ("version", .int(1)),
            ("config", .object(config.keys.sorted().map { ($0, .string(config[$0] ?? "")) })),
        ])
    }

    public func encoded() -> [UInt8] { json.bytes }

    /// Decodes the znode data; empty data means no configs (as in Kafka).
    public init(decoding data: [UInt8]) throws {
        if data.isEmpty {
            self.config = [:]
            return
        }
        let wire = try KafkaJSON.decode(Wire.self, from: data, znode: "entity config")
        self.config = wire.config ?? [:]
    }

    private struct Wire: Decodable {
        var config: [String: String]?
    }
}
