import ArgumentParser
import MartletAdmin

/// `martlet topics list|describe|create|delete`, shaped like kafka-topics.sh.
struct TopicsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topics", abstract: "List, describe, create and delete topics.",
        subcommands: [List.self, Describe.self, Create.self, Delete.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List topic names.")
        @OptionGroup var connection: AdminConnectionOptions
        @Flag(name: .customLong("exclude-internal"), help: "Leave out internal topics (__consumer_offsets).")
        var excludeInternal = false

        func run() async throws { try await connection.run(.listTopics(excludeInternal: excludeInternal)) }
    }

    struct Describe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Describe one topic or all of them.")
        @OptionGroup var connection: AdminConnectionOptions
        @Option(name: .long, help: "The topic to describe (default: every topic).")
        var topic: String?
        @Flag(name: .customLong("exclude-internal"), help: "Leave out internal topics.")
        var excludeInternal = false

        func run() async throws {
            try await connection.run(.describeTopics(topic: topic, excludeInternal: excludeInternal))
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a topic (CreateTopics at the controller).")
        @OptionGroup var connection: AdminConnectionOptions
        @Option(name: .long, help: "The topic to create.")
        var topic: String
        @Option(name: .long, help: "Number of partitions.")
        var partitions: Int
        @Option(name: .customLong("replication-factor"), help: "Replicas per partition.")
        var replicationFactor: Int
        @Option(name: .long, help: "A topic config override key=value (repeatable).")
        var config: [String] = []

        func validate() throws {
            do {
                _ = try command()
            } catch {
                throw ValidationError(error.description)
            }
        }

        func command() throws(AdminError) -> AdminCommand {
            try AdminCommand.createTopic(
                name: topic, partitions: partitions, replicationFactor: replicationFactor, configs: config)
        }

        func run() async throws { try await connection.run(try command()) }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a topic (DeleteTopics at the controller).")
        @OptionGroup var connection: AdminConnectionOptions
        @Option(name: .long, help: "The topic to delete.")
        var topic: String

        func run() async throws { try await connection.run(.deleteTopic(topic)) }
    }
}
