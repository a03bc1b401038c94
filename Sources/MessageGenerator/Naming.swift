import Foundation

/// Swift spellings of spec names.

/// Words that must be escaped with backticks to be used as identifiers.
let swiftKeywords: Set<String> = [
    "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init",
    "inout", "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public",
    "rethrows", "static", "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue",
    "default", "defer", "do", "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return",
    "throw", "switch", "where", "while", "Any", "as", "await", "false", "is", "nil", "self", "Self",
    "super", "throws", "true", "try", "Type", "Protocol",
]

/// Type names nested message structs must not take: they would shadow what generated code uses.
let reservedTypeNames: Set<String> = [
    "ByteBuffer", "MessageWriter", "KafkaUUID", "TaggedField", "RecordsPayload", "KafkaProtocolError",
    "String", "Bool", "Double", "Int", "Int8", "Int16", "Int32", "Int64", "UInt16", "UInt32", "Array",
    "Optional", "Response", "Element", "Self",
]

/// "TransactionalId" → "transactionalId" (first letter lowered, as Kafka's Java generator does).
func lowerCamel(_ name: String) -> String {
    guard let first = name.first else { return name }
    return first.lowercased() + name.dropFirst()
}

/// "NOT_LEADER_OR_FOLLOWER" → "notLeaderOrFollower".
func lowerCamelFromScreamingSnake(_ name: String) -> String {
    let words = name.lowercased().split(separator: "_")
    guard let first = words.first else { return name }
    return String(first) + words.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
}

/// An identifier usable in declarations and expressions.
func escapedIdentifier(_ name: String) -> String {
    swiftKeywords.contains(name) ? "`\(name)`" : name
}

/// A Swift string literal.
func swiftStringLiteral(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\\": out += "\\\\"
        case "\"": out += "\\\""
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if scalar.value < 0x20 {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}

/// Text for a `///` comment line (no newlines).
func docText(_ text: String) -> String {
    text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
}
