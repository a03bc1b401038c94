/// Text output of `martlet groups`, shaped like Kafka 3.9's `kafka-consumer-groups.sh`. Pure
/// functions; the "notes" (no active members, rebalancing) go to stderr as Kafka prints them.
public enum GroupsFormatter {
    static let missing = "-"

    /// `--list`: one group id per line.
    public static func list(_ groups: [GroupListing]) -> String {
        groups.map { $0.groupID + "\n" }.joined()
    }

    /// `--describe --offsets`: a blank line, the header and one line per row, columns
    /// `GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID`,
    /// GROUP/TOPIC/CONSUMER-ID/HOST at least 15 wide (wider to fit), PARTITION 10, the offsets 15.
    /// Empty when there are no rows (Kafka prints no table then).
    public static func offsets(_ report: GroupOffsetsReport) -> String {
        guard !report.rows.isEmpty else { return "" }
        let values: [[String]] = report.rows.map { row in
            [
                row.group, row.topic ?? missing, row.partition.map { String($0) } ?? missing,
                row.currentOffset.map(\.description) ?? missing, row.logEndOffset.map(\.description) ?? missing,
                row.lag.map { String($0) } ?? missing, row.consumerID ?? missing, row.host ?? missing,
                row.clientID ?? missing,
            ]
        }
        var widths = [15, 15, 10, 15, 15, 15, 15, 15, 0]
        for row in values {
            for column in [0, 1, 6, 7] { widths[column] = max(widths[column], row[column].count) }
        }
        let header = [
            "GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "CONSUMER-ID", "HOST", "CLIENT-ID",
        ]
        return "\n" + ([header] + values).map { TextTable.line($0, widths: widths) + "\n" }.joined()
    }

    /// `--describe --state`: `GROUP COORDINATOR (ID) ASSIGNMENT-STRATEGY STATE #MEMBERS`.
    public static func state(_ description: GroupDescription) -> String {
        let coordinator = "\(description.coordinator.address) (\(description.coordinator.id))"
        let widths = [max(15, description.groupID.count), max(25, coordinator.count), 20, 20, 0]
        let rows = [
            ["GROUP", "COORDINATOR (ID)", "ASSIGNMENT-STRATEGY", "STATE", "#MEMBERS"],
            [
                description.groupID, coordinator, description.assignmentStrategy, description.state,
                String(description.members.count),
            ],
        ]
        return "\n" + rows.map { TextTable.line($0, widths: widths) + "\n" }.joined()
    }

    /// What Kafka prints on stderr before the offsets table for an Empty or rebalancing group.
    public static func notes(_ report: GroupOffsetsReport) -> String {
        let group = report.description.groupID
        if report.description.state == "Empty" { return "\nConsumer group '\(group)' has no active members.\n" }
        if report.isRebalancing { return "\nWarning: Consumer group '\(group)' is rebalancing.\n" }
        return ""
    }

    /// `--delete` outcome: (stdout, stderr). Kafka's wording; per-group failures name the error.
    public static func deleted(_ results: [String: Int16], order: [String]) -> (stdout: String, stderr: String) {
        let failed = order.filter { (results[$0] ?? 0) != 0 }
        let succeeded = order.filter { (results[$0] ?? -1) == 0 }
        var stdout = ""
        var stderr = ""
        if failed.isEmpty {
            stdout = "Deletion of requested consumer groups (" + succeeded.map { "'\($0)'" }.joined(separator: ", ")
                + ") was successful.\n"
        } else {
            if !succeeded.isEmpty {
                stdout = "These consumer groups were deleted successfully: "
                    + succeeded.map { "'\($0)'" }.joined(separator: ", ") + "\n"
            }
            stderr = "Error: Deletion of some consumer groups failed:\n"
            for group in failed {
                let code = results[group] ?? -1
                stderr += "* Group '\(group)' could not be deleted due to: \(describe(code: code, group: group))\n"
            }
        }
        return (stdout, stderr)
    }

    static func describe(code: Int16, group: String) -> String {
        switch code {
        case 69: return "Consumer group '\(group)' does not exist."
        case 68: return "The group is not empty."
        default:
            let error = AdminError.kafka(operation: "DeleteGroups", code: code, message: nil)
            return error.description
        }
    }

    /// Kafka's prefix for a failed group command (printed on stderr).
    public static func error(_ error: any Error) -> String {
        if let admin = error as? AdminError, case .groupDoesNotExist = admin { return "Error: \(admin)\n" }
        return "Error: Executing consumer group command failed due to \(error)\n"
    }
}
