import Testing

@testable import MartletAdmin

@Suite struct AdminCommandRunnerTests {
    @Test func groupsDescribePrintsTheOffsetsTableThenTheStateTable() async throws {
        try await FakeCluster.withCluster { _, client in
            let output = await AdminCommandRunner.run(.describeGroup("payments", sections: .all), client: client)
            #expect(output.exitCode == 0)
            #expect(output.stderr == "")
            let lines = output.stdout.split(separator: "\n", omittingEmptySubsequences: false).map {
                $0.split(separator: " ").joined(separator: " ")
            }
            #expect(
                Array(lines.prefix(7)) == [
                    "", "GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID",
                    "payments orders 0 40 100 60 m1 /127.0.0.1 c1", "payments orders 1 7 101 94 m2 /127.0.0.1 c2",
                    "payments legacy 0 5 - - - - -", "", "GROUP COORDINATOR (ID) ASSIGNMENT-STRATEGY STATE #MEMBERS",
                ])
            #expect(lines.count == 9 && lines[8] == "")
            #expect(lines[7].hasPrefix("payments 127.0.0.1:") && lines[7].hasSuffix("(1) range Stable 2"))
        }
    }

    @Test func describingAnEmptyGroupNotesItHasNoActiveMembers() async throws {
        try await FakeCluster.withCluster { _, client in
            let output = await AdminCommandRunner.run(.describeGroup("idle", sections: .offsets), client: client)
            #expect(output.exitCode == 0)
            #expect(output.stderr == "\nConsumer group 'idle' has no active members.\n")
            #expect(output.stdout.contains("idle            orders          0          100             100             0               -"))
        }
    }

    @Test func describingAnUnknownGroupFailsWithKafkasMessage() async throws {
        try await FakeCluster.withCluster { _, client in
            let output = await AdminCommandRunner.run(.describeGroup("nope", sections: .all), client: client)
            #expect(output == AdminCommandOutput(stderr: "Error: Consumer group 'nope' does not exist.\n", exitCode: 1))
        }
    }

    @Test func deletingANonEmptyGroupExitsNonZero() async throws {
        try await FakeCluster.withCluster { _, client in
            let ok = await AdminCommandRunner.run(.deleteGroups(["idle"]), client: client)
            #expect(ok == AdminCommandOutput(stdout: "Deletion of requested consumer groups ('idle') was successful.\n"))
            let failed = await AdminCommandRunner.run(.deleteGroups(["payments"]), client: client)
            #expect(failed.exitCode == 1)
            #expect(failed.stderr.contains("* Group 'payments' could not be deleted due to: The group is not empty."))
        }
    }

    @Test func topicsDescribeIncludesNonDefaultConfigs() async throws {
        try await FakeCluster.withCluster { _, client in
            let output = await AdminCommandRunner.run(.describeTopics(topic: "orders", excludeInternal: false), client: client)
            #expect(
                output.stdout
                    == "Topic: orders\tPartitionCount: 2\tReplicationFactor: 1\tConfigs: retention.ms=1000\n"
                    + "\tTopic: orders\tPartition: 0\tLeader: 1\tReplicas: 1\tIsr: 1\tElr: N/A\tLastKnownElr: N/A\n"
                    + "\tTopic: orders\tPartition: 1\tLeader: 1\tReplicas: 1\tIsr: 1\tElr: N/A\tLastKnownElr: N/A\n")
        }
    }

    @Test func topicsCreateAndFailuresPrintLikeKafkaTopics() async throws {
        try await FakeCluster.withCluster { _, client in
            let created = await AdminCommandRunner.run(
                .createTopic(NewTopic(name: "t", partitions: 1, replicationFactor: 1)), client: client)
            #expect(created == AdminCommandOutput(stdout: "Created topic t.\n"))
            let exists = await AdminCommandRunner.run(
                .createTopic(NewTopic(name: "orders", partitions: 1, replicationFactor: 1)), client: client)
            #expect(exists.exitCode == 1)
            #expect(
                exists.stderr
                    == "Error while executing topic command : CreateTopics failed with TOPIC_ALREADY_EXISTS: Topic 'orders' already exists.\n")
            let list = await AdminCommandRunner.run(.listTopics(excludeInternal: true), client: client)
            #expect(list.stdout == "orders\nt\n")
        }
    }
}
