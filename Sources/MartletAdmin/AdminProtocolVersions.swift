import KafkaProtocol

/// The request versions this admin client encodes and decodes, per API. The version used on a
/// connection is the highest one both this table and the broker's ApiVersions answer allow.
enum AdminProtocolVersions {
    static let metadata: ClosedRange<Int16> = 1...12
    static let listOffsets: ClosedRange<Int16> = 1...7
    static let findCoordinator: ClosedRange<Int16> = 0...4
    static let describeGroups: ClosedRange<Int16> = 0...5
    /// v1 cannot ask for "all partitions" (null topics), which describe needs.
    static let offsetFetch: ClosedRange<Int16> = 2...8
    static let listGroups: ClosedRange<Int16> = 0...4
    static let deleteGroups: ClosedRange<Int16> = 0...2
    static let createTopics: ClosedRange<Int16> = 2...7
    /// v6 deletes by topic id; names are enough here.
    static let deleteTopics: ClosedRange<Int16> = 1...5
    static let describeConfigs: ClosedRange<Int16> = 1...4
    /// ApiVersions is always sent at v3 (flexible, Kafka 2.4+; Martlet serves 0-4).
    static let apiVersions: Int16 = 3

    static func name(of apiKey: Int16) -> String {
        ApiKey(rawValue: apiKey).map { "\($0)" } ?? "API \(apiKey)"
    }
}
