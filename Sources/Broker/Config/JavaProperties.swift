/// Parser for Java `.properties` files, the format of Kafka's `server.properties`.
///
/// Supports `#` and `!` comments, `key=value`, `key:value` and `key value` separators,
/// leading whitespace, backslash line continuations and the escapes `\t \n \r \f \\ \uXXXX`.
/// Later occurrences of a key override earlier ones, as in Java.
public enum JavaProperties {
    public static func parse(_ text: String) -> [(key: String, value: String)] {
        var result: [(String, String)] = []
        var logical = ""
        var continuing = false
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            var line = Substring(rawLine)
            if continuing {
                line = line.drop { $0 == " " || $0 == "\t" || $0 == "\u{0C}" }
            } else {
                line = line.drop { $0 == " " || $0 == "\t" || $0 == "\u{0C}" }
                if line.isEmpty || line.first == "#" || line.first == "!" { continue }
            }
            // An odd number of trailing backslashes continues the logical line.
            let trailing = line.reversed().prefix { $0 == "\\" }.count
            if trailing % 2 == 1 {
                logical += line.dropLast()
                continuing = true
                continue
            }
            logical += line
            continuing = false
            result.append(splitPair(logical))
            logical = ""
        }
        if continuing, !logical.isEmpty { result.append(splitPair(logical)) }
        return result
    }

    private static func splitPair(_ line: String) -> (String, String) {
        var key = ""
        var index = line.startIndex
        var escaped = false
        while index < line.endIndex {
            let c = line[index]
            if escaped {
                key.append("\\")
                key.append(c)
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else if c == "=" || c == ":" || c == " " || c == "\t" || c == "\u{0C}" {
                break
            } else {
                key.append(c)
            }
            index = line.index(after: index)
        }
        var rest = line[index...]
        rest = rest.drop { $0 == " " || $0 == "\t" || $0 == "\u{0C}" }
        if let first = rest.first, first == "=" || first == ":" {
            rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" || $0 == "\u{0C}" }
        }
        return (unescape(key), unescape(String(rest)))
    }

    private static func unescape(_ s: String) -> String {
        guard s.contains("\\") else { return s }
        var out = ""
        var iterator = Array(s).makeIterator()
        while let c = iterator.next() {
            guard c == "\\" else {
                out.append(c)
                continue
            }
            guard let e = iterator.next() else { break }
            switch e {
            case "t": out.append("\t")
            case "n": out.append("\n")
            case "r": out.append("\r")
            case "f": out.append("\u{0C}")
            case "u":
                var hex = ""
                for _ in 0..<4 { if let h = iterator.next() { hex.append(h) } }
                if let v = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(v) {
                    out.unicodeScalars.append(scalar)
                }
            default: out.append(e)
            }
        }
        return out
    }
}
