import BrokerAPI
import BrokerCore
import KafkaProtocol
import Testing

@Suite struct DescribeClusterHandlerTests {
    private func registry() -> HandlerRegistry {
        let image = ClusterMetadataImage(
            clusterID: "cluster-1", controllerID: BrokerID(2),
            brokers: [
                BrokerID(2): BrokerNode(id: BrokerID(2), endpoints: ["PLAINTEXT": HostPort(host: "h2", port: 9094)], rack: "r2"),
                BrokerID(1): BrokerNode(id: BrokerID(1), endpoints: ["PLAINTEXT": HostPort(host: "h1", port: 9093)]),
                BrokerID(3): BrokerNode(id: BrokerID(3), endpoints: ["INTERNAL": HostPort(host: "h3", port: 9095)]),
            ])
        return HandlerRegistry(handlers: [DescribeClusterHandler(cache: MetadataCache(image))])
    }

    @Test(arguments: [Int16(0), 1]) func listsBrokersClusterIDAndController(version: Int16) throws {
        let response = try roundTrip(registry(), DescribeClusterRequest(), version: version).response
        #expect(response.errorCode == 0)
        #expect(response.clusterId == "cluster-1")
        #expect(response.controllerId == 2)
        #expect(response.brokers.map(\.brokerId) == [1, 2])
        #expect(response.brokers.map(\.host) == ["h1", "h2"])
        #expect(response.brokers.map(\.port) == [9093, 9094])
        #expect(response.brokers.map(\.rack) == [nil, "r2"])
        #expect(response.clusterAuthorizedOperations == Int32.min)
    }

    @Test func authorizedOperationsWhenAsked() throws {
        let response = try roundTrip(
            registry(), DescribeClusterRequest(includeClusterAuthorizedOperations: true), version: 1
        ).response
        #expect(response.clusterAuthorizedOperations != Int32.min)
        #expect(response.clusterAuthorizedOperations & (1 << 7) != 0)  // DESCRIBE
    }

    @Test func controllerEndpointTypeIsUnsupported() throws {
        let response = try roundTrip(registry(), DescribeClusterRequest(endpointType: 2), version: 1).response
        #expect(response.errorCode == ErrorCode.unsupportedEndpointType.rawValue)
        #expect(response.brokers.isEmpty)
    }

    @Test func unknownEndpointTypeIsInvalidRequest() throws {
        let response = try roundTrip(registry(), DescribeClusterRequest(endpointType: 7), version: 1).response
        #expect(response.errorCode == ErrorCode.invalidRequest.rawValue)
    }
}
