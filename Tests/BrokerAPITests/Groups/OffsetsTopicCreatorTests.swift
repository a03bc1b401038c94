import BrokerAPI
import BrokerCore
import Logging
import Testing

@Suite struct OffsetsTopicCreatorTests {
    private let settings = OffsetsTopicSettings(partitionCount: 5, replicationFactor: 2, segmentBytes: 1_048_576)

    @Test func createsTheTopicWithItsSettingsAndCompactedConfigs() async throws {
        let admin = FakeTopicAdmin(brokers: [BrokerID(1), BrokerID(2), BrokerID(3)])
        let creator = OffsetsTopicCreator(settings: settings, admin: admin, assign: simpleAssign, logger: Logger(label: "test"))
        guard case .started(let task) = creator.requestCreation(liveBrokers: 3) else {
            Issue.record("creation did not start")
            return
        }
        await task.value
        let creation = try #require(admin.created.first)
        #expect(creation.name == "__consumer_offsets")
        #expect(creation.assignment.keys.sorted() == [0, 1, 2, 3, 4])
        #expect(creation.assignment.values.allSatisfy { $0.count == 2 })
        #expect(
            creation.configs == [
                "cleanup.policy": "compact", "compression.type": "producer", "segment.bytes": "1048576",
            ])
    }

    @Test func kafkaDefaults() {
        let defaults = OffsetsTopicSettings()
        #expect(defaults.partitionCount == 50)
        #expect(defaults.replicationFactor == 3)
        #expect(defaults.topicConfigs["segment.bytes"] == "104857600")
    }

    @Test func onlyOneCreationIsInFlight() async throws {
        let admin = FakeTopicAdmin(brokers: [BrokerID(1), BrokerID(2)], holdCreations: true)
        let creator = OffsetsTopicCreator(settings: settings, admin: admin, assign: simpleAssign, logger: Logger(label: "test"))
        guard case .started(let first) = creator.requestCreation(liveBrokers: 2) else {
            Issue.record("creation did not start")
            return
        }
        guard case .alreadyInFlight = creator.requestCreation(liveBrokers: 2) else {
            Issue.record("a second creation started while the first was in flight")
            return
        }
        admin.release()
        await first.value
        #expect(admin.created.count == 1)
        // Once finished, a later request (the metadata still lacks the topic) tries again.
        guard case .started(let again) = creator.requestCreation(liveBrokers: 2) else {
            Issue.record("creation did not start again")
            return
        }
        await again.value
        #expect(admin.created.count == 2)
    }

    @Test func fewerLiveBrokersThanTheReplicationFactorCreatesNothing() async throws {
        let admin = FakeTopicAdmin(brokers: [BrokerID(1)])
        let creator = OffsetsTopicCreator(settings: settings, admin: admin, assign: simpleAssign, logger: Logger(label: "test"))
        guard case .notEnoughLiveBrokers = creator.requestCreation(liveBrokers: 1) else {
            Issue.record("creation was attempted with one live broker for replication factor 2")
            return
        }
        // The metadata may be ahead of the registrations: the registered brokers are checked too.
        guard case .started(let task) = creator.requestCreation(liveBrokers: 2) else {
            Issue.record("creation did not start")
            return
        }
        await task.value
        #expect(admin.created.isEmpty)
    }
}
