import ArgumentParser
import MartletAdmin

/// `martlet groups list|describe|delete`, shaped like kafka-consumer-groups.sh.
struct GroupsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "groups", abstract: "List, describe and delete consumer groups.",
        subcommands: [List.self, Describe.self, Delete.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the groups of every broker.")
        @OptionGroup var connection: AdminConnectionOptions

        func run() async throws { try await connection.run(.listGroups) }
    }

    struct Describe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Per partition: committed offset, log end offset, lag and owner; then the group state.")
        @OptionGroup var connection: AdminConnectionOptions
        @Option(name: .long, help: "The group to describe.")
        var group: String
        @Flag(name: .long, help: "Only the offsets table.")
        var offsets = false
        @Flag(name: .long, help: "Only the state table (coordinator, assignment strategy, state, members).")
        var state = false

        func run() async throws {
            var sections: GroupDescribeSections = []
            if offsets { sections.insert(.offsets) }
            if state { sections.insert(.state) }
            try await connection.run(.describeGroup(group, sections: sections.isEmpty ? .all : sections))
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete empty groups (DeleteGroups at the coordinator).")
        @OptionGroup var connection: AdminConnectionOptions
        @Option(name: .long, help: "A group to delete (repeatable).")
        var group: [String]

        func validate() throws {
            guard !group.isEmpty else { throw ValidationError("Missing expected argument '--group <group>'") }
        }

        func run() async throws { try await connection.run(.deleteGroups(group)) }
    }
}
