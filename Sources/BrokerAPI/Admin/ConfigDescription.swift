/// Kafka's `DescribeConfigsResponse.ConfigSource` wire values.
public enum ConfigSource: Int8, Sendable {
    case unknown = 0
    case topicConfig = 1
    case dynamicBrokerConfig = 2
    case dynamicDefaultBrokerConfig = 3
    case staticBrokerConfig = 4
    case defaultConfig = 5
}

/// Kafka's `DescribeConfigsResponse.ConfigType` wire values (DescribeConfigs v3+).
public enum ConfigType: Int8, Sendable {
    case unknown = 0, boolean, string, int, short, long, double, list, `class`, password

    init(_ kind: TopicConfigs.Kind) {
        switch kind {
        case .long: self = .long
        case .int: self = .int
        case .boolean: self = .boolean
        case .string: self = .string
        case .double: self = .double
        case .list: self = .list
        }
    }
}

/// One described config value: its effective value, where it came from, and (for
/// `includeSynonyms`) every place it is or could be set, most specific first, as Kafka lists them.
public struct DescribedConfig: Sendable, Equatable {
    public struct Synonym: Sendable, Equatable {
        public var name: String
        public var value: String?
        public var source: ConfigSource
        public init(name: String, value: String?, source: ConfigSource) {
            self.name = name
            self.value = value
            self.source = source
        }
    }

    public var name: String
    public var value: String?
    public var source: ConfigSource
    public var type: ConfigType
    public var readOnly: Bool
    public var isSensitive: Bool
    public var synonyms: [Synonym]
    public var documentation: String?

    public init(
        name: String, value: String?, source: ConfigSource, type: ConfigType, readOnly: Bool = false,
        isSensitive: Bool = false, synonyms: [Synonym] = [], documentation: String? = nil
    ) {
        self.name = name
        self.value = value
        self.source = source
        self.type = type
        self.readOnly = readOnly
        self.isSensitive = isSensitive
        self.synonyms = synonyms
        self.documentation = documentation
    }
}
