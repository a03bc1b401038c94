/// Runs an ``AdminCommand`` against a cluster through an ``AdminClient`` and renders the result
/// with ``TopicsFormatter`` / ``GroupsFormatter``. Never throws: failures become stderr text and
/// exit code 1.
public enum AdminCommandRunner {
    public static func run(_ command: AdminCommand, client: AdminClient) async -> AdminCommandOutput {
        switch command {
        case .listTopics, .describeTopics, .createTopic, .deleteTopic:
            do {
                return try await runTopics(command, client: client)
            } catch {
                return AdminCommandOutput(stderr: TopicsFormatter.error(error), exitCode: 1)
            }
        case .listGroups, .describeGroup, .deleteGroups:
            do {
                return try await runGroups(command, client: client)
            } catch {
                return AdminCommandOutput(stderr: GroupsFormatter.error(error), exitCode: 1)
            }
        }
    }

    static func runTopics(_ command: AdminCommand, client: AdminClient) async throws -> AdminCommandOutput {
        switch command {
        case .listTopics(let excludeInternal):
            return AdminCommandOutput(stdout: TopicsFormatter.list(try await client.listTopics(includeInternal: !excludeInternal)))
        case .describeTopics(let topic, let excludeInternal):
            let topics = try await client.describeTopics(topic.map { [$0] })
                .filter { topic != nil || !excludeInternal || !$0.isInternal }
            var out = ""
            for description in topics {
                // Configs are best effort, as a broker may not serve DescribeConfigs.
                let configs = (try? await client.topicConfigs(description.name)).map(TopicsFormatter.nonDefault) ?? []
                out += TopicsFormatter.describe(description, configs: configs)
            }
            return AdminCommandOutput(stdout: out)
        case .createTopic(let topic):
            try await client.createTopic(topic)
            return AdminCommandOutput(stdout: TopicsFormatter.created(topic.name))
        case .deleteTopic(let name):
            try await client.deleteTopic(name)
            return AdminCommandOutput()
        default:
            return AdminCommandOutput(stderr: "not a topic command\n", exitCode: 1)
        }
    }

    static func runGroups(_ command: AdminCommand, client: AdminClient) async throws -> AdminCommandOutput {
        switch command {
        case .listGroups:
            return AdminCommandOutput(stdout: GroupsFormatter.list(try await client.listGroups()))
        case .describeGroup(let group, let sections):
            let report = try await client.describeGroupOffsets(group)
            var output = AdminCommandOutput()
            if sections.contains(.offsets) {
                output.stderr += GroupsFormatter.notes(report)
                output.stdout += GroupsFormatter.offsets(report)
            }
            if sections.contains(.state) { output.stdout += GroupsFormatter.state(report.description) }
            return output
        case .deleteGroups(let groups):
            let results = try await client.deleteGroups(groups)
            let (stdout, stderr) = GroupsFormatter.deleted(results, order: groups)
            return AdminCommandOutput(stdout: stdout, stderr: stderr, exitCode: stderr.isEmpty ? 0 : 1)
        default:
            return AdminCommandOutput(stderr: "not a group command\n", exitCode: 1)
        }
    }
}
