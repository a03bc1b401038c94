import BrokerCore
import Coordination
import Testing

@Suite struct TopicAssignmentTests {
    static let kafkaV3 = #"""
        {"version":3,"partitions":{"0":[1,2,3],"1":[2,3,1],"2":[3,1,2]},"adding_replicas":{"1":[4]},\#
        "removing_replicas":{},"topic_id":"3Jx1qHWnS4W8Qz6ZxZ9y0A"}
        """#

    @Test func decodesKafkasVersion3() throws {
        let assignment = try TopicAssignment(decoding: Array(Self.kafkaV3.utf8))
        #expect(assignment.topicID == "3Jx1qHWnS4W8Qz6ZxZ9y0A")
        #expect(assignment.partitions.count == 3)
        #expect(assignment.partitions[0]?.replicas == [BrokerID(1), BrokerID(2), BrokerID(3)])
        #expect(assignment.partitions[1]?.addingReplicas == [BrokerID(4)])
        #expect(assignment.partitions[2]?.removingReplicas == [])
    }

    @Test func encodesPartitionsInNumericOrder() throws {
        let assignment = try TopicAssignment(decoding: Array(Self.kafkaV3.utf8))
        #expect(String(decoding: assignment.encoded(), as: UTF8.self) == Self.kafkaV3)
        var many = TopicAssignment(topicID: nil, partitions: [:])
        for partition in [10, 2, 1] as [Int32] {
            many.partitions[partition] = ReplicaAssignment(replicas: [BrokerID(1)])
        }
        #expect(
            String(decoding: many.encoded(), as: UTF8.self)
                == #"{"version":3,"partitions":{"1":[1],"2":[1],"10":[1]},"adding_replicas":{},"removing_replicas":{}}"#
        )
    }

    @Test func decodesOlderVersionsWithoutReassignmentSections() throws {
        let v1 = #"{"version":1,"partitions":{"0":[5]}}"#
        let assignment = try TopicAssignment(decoding: Array(v1.utf8))
        #expect(
            assignment == TopicAssignment(topicID: nil, partitions: [0: ReplicaAssignment(replicas: [BrokerID(5)])]))
    }

    @Test func rejectsNonNumericPartitions() {
        #expect(throws: KafkaZNodeDecodingError.self) {
            try TopicAssignment(decoding: Array(#"{"version":3,"partitions":{"x":[1]}}"#.utf8))
        }
    }
}
