/// Typed access to properties that remembers which keys were read, so the rest can be reported
/// as unknown.
struct PropertyReader {
    private(set) var all: [String: String] = [:]
    private var used: Set<String> = []

    init(_ pairs: [(key: String, value: String)]) {
        for (key, value) in pairs { all[key] = value }
    }

    var unusedKeys: [String] { all.keys.filter { !used.contains($0) }.sorted() }

    mutating func markKnown(_ keys: Set<String>) { used.formUnion(keys) }

    mutating func optionalString(_ key: String) -> String? {
        used.insert(key)
        guard let value = all[key]?.trimmingWhitespace(), !value.isEmpty else { return nil }
        return value
    }

    mutating func string(_ key: String, default defaultValue: String) throws(ConfigError) -> String {
        optionalString(key) ?? defaultValue
    }

    mutating func int32(_ key: String, default defaultValue: Int32, range: ClosedRange<Int32>) throws(ConfigError)
        -> Int32
    {
        guard let text = optionalString(key) else { return defaultValue }
        guard let value = Int32(text) else {
            throw ConfigError(key: key, value: text, reason: "expected a 32-bit integer")
        }
        guard range.contains(value) else {
            throw ConfigError(
                key: key, value: text, reason: "value must be in [\(range.lowerBound), \(range.upperBound)]")
        }
        return value
    }

    mutating func int64(_ key: String, default defaultValue: Int64, range: ClosedRange<Int64>) throws(ConfigError)
        -> Int64
    {
        guard let text = optionalString(key) else { return defaultValue }
        guard let value = Int64(text) else {
            throw ConfigError(key: key, value: text, reason: "expected a 64-bit integer")
        }
        guard range.contains(value) else {
            throw ConfigError(
                key: key, value: text, reason: "value must be in [\(range.lowerBound), \(range.upperBound)]")
        }
        return value
    }

    mutating func bool(_ key: String, default defaultValue: Bool) throws(ConfigError) -> Bool {
        guard let text = optionalString(key) else { return defaultValue }
        switch text.lowercased() {
        case "true": return true
        case "false": return false
        default: throw ConfigError(key: key, value: text, reason: "expected true or false")
        }
    }

    mutating func list(_ key: String, default defaultValue: String) throws(ConfigError) -> [String] {
        let text = optionalString(key) ?? defaultValue
        return text.split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
    }

    mutating func map(_ key: String, default defaultValue: String) throws(ConfigError) -> [String: String] {
        var result: [String: String] = [:]
        for entry in try list(key, default: defaultValue) {
            let parts = entry.split(separator: ":", maxSplits: 1).map { $0.trimmingWhitespace() }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw ConfigError(key: key, value: entry, reason: "expected NAME:VALUE pairs")
            }
            result[parts[0].uppercased()] = parts[1].uppercased()
        }
        return result
    }
}
