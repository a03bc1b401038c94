import BrokerCore
import NIOPosix
import Testing

@testable import MartletAdmin

@Suite struct AdminClientTests {
    @Test func describeGroupOffsetsCombinesMembersCommittedOffsetsAndLogEnds() async throws {
        try await FakeCluster.withCluster { fake, client in
            // The first two FindCoordinator answers are COORDINATOR_NOT_AVAILABLE: retried.
            fake.state.withLock { $0.coordinatorNotAvailableAnswers = 2 }
            let report = try await client.describeGroupOffsets("payments")
            #expect(report.description.state == "Stable")
            #expect(report.description.assignmentStrategy == "range")
            #expect(report.description.coordinator.id == BrokerID(1))
            #expect(
                report.rows == [
                    GroupOffsetsRow(
                        group: "payments", topic: "orders", partition: 0, currentOffset: Offset(40),
                        logEndOffset: Offset(100), lag: 60, consumerID: "m1", host: "/127.0.0.1", clientID: "c1"),
                    GroupOffsetsRow(
                        group: "payments", topic: "orders", partition: 1, currentOffset: Offset(7),
                        logEndOffset: Offset(101), lag: 94, consumerID: "m2", host: "/127.0.0.1", clientID: "c2"),
                    GroupOffsetsRow(
                        group: "payments", topic: "legacy", partition: 0, currentOffset: Offset(5), logEndOffset: nil,
                        lag: nil, consumerID: nil, host: nil, clientID: nil),
                ])
            #expect(fake.state.withLock { $0.findCoordinatorVersions } == [4, 4, 4])
        }
    }

    @Test func committedOffsetsUseTheSingleGroupFormBelowOffsetFetchV8() async throws {
        try await FakeCluster.withCluster(oldVersions: true) { fake, client in
            let committed = try await client.committedOffsets(group: "payments")
            #expect(
                committed == [
                    TopicPartition("orders", 0): CommittedOffset(offset: Offset(40), leaderEpoch: LeaderEpoch(0), metadata: "m"),
                    TopicPartition("orders", 1): CommittedOffset(offset: Offset(7), leaderEpoch: LeaderEpoch(0), metadata: "m"),
                    TopicPartition("legacy", 0): CommittedOffset(offset: Offset(5), leaderEpoch: LeaderEpoch(0), metadata: "m"),
                ])
            #expect(try await client.findCoordinator(group: "payments").id == BrokerID(1))
            #expect(fake.state.withLock { $0.findCoordinatorVersions }.allSatisfy { $0 == 3 })
        }
    }

    @Test func aDeadGroupDoesNotExist() async throws {
        try await FakeCluster.withCluster { _, client in
            await #expect(throws: AdminError.groupDoesNotExist("nope")) { try await client.describeGroup("nope") }
        }
    }

    @Test func listOffsetsAsksLeadersForLatestAndEarliest() async throws {
        try await FakeCluster.withCluster { _, client in
            let partitions: Set = [TopicPartition("orders", 0), TopicPartition("orders", 1), TopicPartition("gone", 0)]
            let latest = try await client.listOffsets(partitions, at: .latest)
            let earliest = try await client.listOffsets(partitions, at: .earliest)
            #expect(
                latest
                    == [TopicPartition("orders", 0): Offset(100), TopicPartition("orders", 1): Offset(101)])
            #expect(
                earliest
                    == [TopicPartition("orders", 0): Offset(0), TopicPartition("orders", 1): Offset(0)])
        }
    }

    @Test func listGroupsMergesEveryBrokersAnswerSorted() async throws {
        try await FakeCluster.withCluster { _, client in
            let groups = try await client.listGroups()
            #expect(groups.map(\.groupID) == ["idle", "payments"])
        }
    }

    @Test func deleteGroupsReturnsEachGroupsErrorCode() async throws {
        try await FakeCluster.withCluster { _, client in
            let results = try await client.deleteGroups(["idle", "payments", "nope"])
            #expect(
                results
                    == ["idle": 0, "payments": ErrorCode.nonEmptyGroup.rawValue, "nope": ErrorCode.groupIdNotFound.rawValue])
        }
    }

    @Test func createTopicSendsPartitionsReplicationFactorAndConfigsToTheController() async throws {
        try await FakeCluster.withCluster { fake, client in
            try await client.createTopic(
                NewTopic(
                    name: "fresh", partitions: 3, replicationFactor: 1,
                    configs: [ConfigPair(key: "retention.ms", value: "1000")]))
            let sent = try #require(fake.state.withLock { $0.createRequests }.first)
            #expect(sent.name == "fresh" && sent.numPartitions == 3 && sent.replicationFactor == 1)
            #expect(sent.configs.map { "\($0.name)=\($0.value ?? "")" } == ["retention.ms=1000"])
            #expect(try await client.describeTopics(["fresh"]).first?.partitions.count == 3)
        }
    }

    @Test func createTopicReportsTheBrokersError() async throws {
        try await FakeCluster.withCluster { _, client in
            await #expect(
                throws: AdminError.kafka(
                    operation: "CreateTopics", code: ErrorCode.topicAlreadyExists.rawValue,
                    message: "Topic 'orders' already exists.")
            ) {
                try await client.createTopic(NewTopic(name: "orders", partitions: 1, replicationFactor: 1))
            }
        }
    }

    @Test func deletingAnUnknownTopicFailsWithoutAskingTheController() async throws {
        try await FakeCluster.withCluster { fake, client in
            await #expect(throws: AdminError.topicDoesNotExist("nope")) { try await client.deleteTopic("nope") }
            #expect(fake.state.withLock { $0.deleteRequests }.isEmpty)
            try await client.deleteTopic("orders")
            #expect(fake.state.withLock { $0.deleteRequests } == ["orders"])
            #expect(try await client.listTopics() == [])
        }
    }

    @Test func unreachableBootstrapServersFailWithEachAddress() async throws {
        let client = AdminClient(bootstrap: [BrokerAddress(host: "127.0.0.1", port: 1)])
        await #expect {
            try await client.listTopics()
        } throws: { error in
            guard case .noBrokerReachable(let tried) = error as? AdminError else { return false }
            return tried.count == 1 && tried[0].hasPrefix("127.0.0.1:1: ")
        }
        await client.close()
    }
}
