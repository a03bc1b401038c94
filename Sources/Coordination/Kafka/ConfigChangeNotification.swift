/// A config change notification, created persistent-sequential as
/// `/config/changes/config_change_<seq>`: Kafka's `ConfigEntityChangeNotificationSequenceZNode`,
/// JSON v2.
///
/// ```json
/// {"version":2,"entity_path":"topics/my-topic"}
/// ```
/// Decoding also accepts v1 (`entity_type` + `entity_name`).
public struct ConfigChangeNotification: Hashable, Sendable {
    /// `<entity type>/<entity name>`, e.g. `topics/my-topic`.
    public var entityPath: String

    public init(entityPath: String) { self.entityPath = entityPath }

    public init(entityType: ConfigEntityType, entityName: String) {
        self.entityPath = "\(entityType.rawValue)/\(entityName)"
    }

    /// The entity type, if the first path component is a known one.
    public var entityType: ConfigEntityType? {
        entityPath.split(separator: "/", maxSplits: 1).first.flatMap { ConfigEntityType(rawValue: String($0)) }
    }

    /// Everything after the first `/`.
    public var entityName: String? {
        let parts = entityPath.split(separator: "/", maxSplits: 1)
        return parts.count == 2 ? String(parts[1]) : nil
    }

    public var json: KafkaJSON.Value {
        .object([("version", .int(2)), ("entity_path", .string(entityPath))])
    }

    public func encoded() -> [UInt8] { json.bytes }

    public init(decoding data: [UInt8]) throws {
        let wire = try KafkaJSON.decode(Wire.self, from: data, znode: "config change notification")
        if let path = wire.entity_path {
            self.entityPath = path
        } else if let type = wire.entity_type, let name = wire.entity_name {
            self.entityPath = "\(type)/\(name)"
        } else {
            throw KafkaZNodeDecodingError(znode: "config change notification", reason: "no entity", data: data)
        }
    }

    private struct Wire: Decodable {
        var entity_path: String?
        var entity_type: String?
        var entity_name: String?
    }
}
