/// Kafka's tools print tables with Java `printf` left-justified columns (`%-15s`): a value is
/// padded with spaces to its column's width and never cut; columns are separated by one space.
enum TextTable {
    /// One line: every column but the last padded to its width.
    static func line(_ values: [String], widths: [Int]) -> String {
        var out = ""
        for (index, value) in values.enumerated() {
            if index > 0 { out += " " }
            out += value
            if index < values.count - 1, index < widths.count, value.count < widths[index] {
                out += String(repeating: " ", count: widths[index] - value.count)
            }
        }
        return out
    }
}
