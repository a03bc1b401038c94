import Foundation

/// One Kafka JSON message spec, as found in `messages/*.json` and `group-coordinator/*.json`.
struct SpecFile: Decodable {
    var apiKey: Int?
    var type: String
    var name: String
    var validVersions: String
    var flexibleVersions: String
    var fields: [SpecField]
    var commonStructs: [SpecStruct]?
}

struct SpecStruct: Decodable {
    var name: String
    var versions: String
    var fields: [SpecField]
}

struct SpecField: Decodable {
    var name: String
    var type: String
    var versions: String
    var nullableVersions: String?
    var taggedVersions: String?
    /// An integer, written as a string in a few specs.
    var tag: SpecDefault?
    var flexibleVersions: String?
    var `default`: SpecDefault?
    var about: String?
    var fields: [SpecField]?
}

/// A field's `default`, which the specs write as a string, a bare number or a bare boolean.
enum SpecDefault: Decodable, Equatable {
    case text(String)
    case boolean(Bool)
    case number(Int64)

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .text(text)
        } else if let boolean = try? container.decode(Bool.self) {
            self = .boolean(boolean)
        } else {
            self = .number(try container.decode(Int64.self))
        }
    }

    var text: String {
        switch self {
        case .text(let text): text
        case .boolean(let value): value ? "true" : "false"
        case .number(let value): String(value)
        }
    }
}

struct GeneratorError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Reads a spec file: strips `//` and `/* */` comments outside string literals, then decodes.
func loadSpec(at url: URL) throws -> SpecFile {
    let text = try String(contentsOf: url, encoding: .utf8)
    let json = stripJSONComments(text)
    do {
        return try JSONDecoder().decode(SpecFile.self, from: Data(json.utf8))
    } catch {
        throw GeneratorError("\(url.lastPathComponent): \(error)")
    }
}

/// Removes JavaScript-style comments, leaving string literals (and their escapes) untouched.
func stripJSONComments(_ text: String) -> String {
    var output: [Character] = []
    let characters = Array(text)
    var index = 0
    var inString = false
    while index < characters.count {
        let character = characters[index]
        let next: Character? = index + 1 < characters.count ? characters[index + 1] : nil
        if inString {
            output.append(character)
            if character == "\\", let next {
                output.append(next)
                index += 2
                continue
            }
            if character == "\"" { inString = false }
            index += 1
        } else if character == "\"" {
            inString = true
            output.append(character)
            index += 1
        } else if character == "/" && next == "/" {
            while index < characters.count && characters[index] != "\n" { index += 1 }
        } else if character == "/" && next == "*" {
            index += 2
            while index + 1 < characters.count && !(characters[index] == "*" && characters[index + 1] == "/") {
                index += 1
            }
            index += 2
        } else {
            output.append(character)
            index += 1
        }
    }
    return String(output)
}

/// A spec version set: "none", "3", "0-7" or "9+" (inclusive bounds; "+" is open-ended).
struct VersionRange: Equatable, CustomStringConvertible {
    static let openEnd = Int(Int16.max)
    var low: Int
    var high: Int

    static let empty = VersionRange(low: 1, high: 0)
    var isEmpty: Bool { low > high }

    init(low: Int, high: Int) {
        self.low = low
        self.high = high
    }

    init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "none" {
            self = .empty
        } else if trimmed.hasSuffix("+"), let low = Int(trimmed.dropLast()) {
            self.init(low: low, high: Self.openEnd)
        } else if let dash = trimmed.firstIndex(of: "-"),
            let low = Int(trimmed[..<dash]), let high = Int(trimmed[trimmed.index(after: dash)...])
        {
            self.init(low: low, high: high)
        } else if let single = Int(trimmed) {
            self.init(low: single, high: single)
        } else {
            throw GeneratorError("bad version range \"\(text)\"")
        }
    }

    func intersection(_ other: VersionRange) -> VersionRange {
        let result = VersionRange(low: max(low, other.low), high: min(high, other.high))
        return result.isEmpty ? .empty : result
    }

    /// The smallest range holding both.
    func hull(_ other: VersionRange) -> VersionRange {
        if isEmpty { return other }
        if other.isEmpty { return self }
        return VersionRange(low: min(low, other.low), high: max(high, other.high))
    }

    func contains(_ other: VersionRange) -> Bool {
        other.isEmpty || (low <= other.low && other.high <= high)
    }

    var description: String {
        if isEmpty { return "none" }
        if high == Self.openEnd { return "\(low)+" }
        return low == high ? "\(low)" : "\(low)-\(high)"
    }

    /// A Swift condition on `version` that holds for this range's versions within `context`,
    /// `nil` when it holds for all of `context`, or "false" when for none.
    func condition(within context: VersionRange) -> String? {
        let effective = intersection(context)
        if effective.isEmpty { return "false" }
        if effective.low > context.low && effective.high < context.high && effective.low == effective.high {
            return "version == \(effective.low)"
        }
        var parts: [String] = []
        if effective.low > context.low { parts.append("version >= \(effective.low)") }
        if effective.high < context.high { parts.append("version <= \(effective.high)") }
        return parts.isEmpty ? nil : parts.joined(separator: " && ")
    }
}
