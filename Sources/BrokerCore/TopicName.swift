/// Kafka's topic name rules (`org.apache.kafka.common.internals.Topic.validate`).
public enum TopicName {
    /// Longest legal name (255 minus room for the partition suffix of a directory name).
    public static let maxLength = 249

    /// Why a name is illegal, or nil when it is legal.
    public static func validationError(_ name: String) -> String? {
        if name.isEmpty { return "Topic name is illegal, it can't be empty" }
        if name == "." || name == ".." { return "Topic name cannot be \".\" or \"..\"" }
        if name.utf8.count > maxLength {
            return "Topic name is illegal, it can't be longer than \(maxLength) characters, topic name: \(name)"
        }
        let legal = name.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                || b == 0x2E || b == 0x5F || b == 0x2D
        }
        if !legal {
            return "Topic name \(name) is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'"
        }
        return nil
    }

    /// Kafka's internal topics.
    public static let consumerOffsets = "__consumer_offsets"
    public static let transactionState = "__transaction_state"
    public static func isInternal(_ name: String) -> Bool { name == consumerOffsets || name == transactionState }
}
