import BrokerCore

/// A partition's replicas, with those being added or removed by a reassignment.
public struct ReplicaAssignment: Hashable, Sendable {
    /// All replicas in assignment order; the first is the preferred leader.
    public var replicas: [BrokerID]
    public var addingReplicas: [BrokerID]
    public var removingReplicas: [BrokerID]

    public init(replicas: [BrokerID], addingReplicas: [BrokerID] = [], removingReplicas: [BrokerID] = []) {
        self.replicas = replicas
        self.addingReplicas = addingReplicas
        self.removingReplicas = removingReplicas
    }
}

/// A topic's replica assignment at `/brokers/topics/<topic>` (persistent): Kafka's `TopicZNode`,
/// JSON v3.
///
/// ```json
/// {"version":3,"partitions":{"0":[1,2,3],"1":[2,3,1]},"adding_replicas":{},"removing_replicas":{},
///  "topic_id":"3Jx1qHWnS4W8Qz6ZxZ9y0A"}
/// ```
/// Partitions are written in numeric order; `topic_id` is Kafka's topic UUID in its base64url
/// text form (22 characters) and is omitted when absent.
public struct TopicAssignment: Hashable, Sendable {
    public var topicID: String?
    public var partitions: [Int32: ReplicaAssignment]

    public init(topicID: String?, partitions: [Int32: ReplicaAssignment]) {
        self.topicID = topicID
        self.partitions = partitions
    }

    public var json: KafkaJSON.Value {
        let ordered = partitions.keys.sorted()
        // Like Kafka: every partition under "partitions", only non-empty lists in the others.
        func section(_ pick: (ReplicaAssignment) -> [BrokerID], keepEmpty: Bool) -> KafkaJSON.Value {
            var members: [(String, KafkaJSON.Value)] = []
            for partition in ordered {
                guard let assignment = partitions[partition] else { continue }
                let brokers = pick(assignment)
                if brokers.isEmpty && !keepEmpty { continue }
                members.append((String(partition), .array(brokers.map { KafkaJSON.int($0.rawValue) })))
            }
            return .object(members)
        }
        var members: [(String, KafkaJSON.Value)] = [
            ("version", .int(3)),
            ("partitions", section({ $0.replicas }, keepEmpty: true)),
            ("adding_replicas", section({ $0.addingReplicas }, keepEmpty: false)),
            ("removing_replicas", section({ $0.removingReplicas }, keepEmpty: false)),
        ]
        if let topicID { members.append(("topic_id", .string(topicID))) }
        return .object(members)
    }

    public func encoded() -> [UInt8] { json.bytes }

    /// Decodes any version (1–3); missing sections are empty.
    public init(decoding data: [UInt8]) throws {
        let wire = try KafkaJSON.decode(Wire.self, from: data, znode: "topic assignment")
        var partitions: [Int32: ReplicaAssignment] = [:]
        for (key, replicas) in wire.partitions ?? [:] {
            guard let partition = Int32(key) else {
                throw KafkaZNodeDecodingError(znode: "topic assignment", reason: "partition key \(key)", data: data)
            }
            partitions[partition] = ReplicaAssignment(
                replicas: replicas.map { BrokerID($0) },
                addingReplicas: (wire.adding_replicas?[key] ?? []).map { BrokerID($0) },
                removingReplicas: (wire.removing_replicas?[key] ?? []).map { BrokerID($0) })
        }
        self.topicID = wire.topic_id
        self.partitions = partitions
    }

    private struct Wire: Decodable {
        var partitions: [String: [Int32]]?
        var adding_replicas: [String: [Int32]]?
        var removing_replicas: [String: [Int32]]?
        var topic_id: String?
    }
}
