import BrokerAPI
import BrokerCore
import BrokerServer
import KafkaProtocol
import Logging
import NIOCore
import NIOPosix
import Testing

@testable import KafkaClient

/// Heartbeats for group "never" are never answered; others succeed.
private struct SometimesSilentHeartbeats: KafkaAPIHandler {
    typealias Request = HeartbeatRequest
    static let supportedVersions: ClosedRange<Int16> = 0...4
    func handle(_ request: HeartbeatRequest, context: RequestContext) -> APIOutcome<HeartbeatResponse> {
        if request.groupId == "never" {
            return .later(context.eventLoop.makePromise(of: HeartbeatResponse.self).futureResult)
        }
        return .respond(HeartbeatResponse(errorCode: 0))
    }
}

@Suite struct KafkaBrokerConnectionTests {
    private func withServer(_ body: (Int, any EventLoopGroup) async throws -> Void) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let cache = MetadataCache(
            ClusterMetadataImage(
                clusterID: "cluster-a", controllerID: BrokerID(7),
                brokers: [BrokerID(7): BrokerNode(id: BrokerID(7), endpoints: ["PLAINTEXT": HostPort(host: "h", port: 1)])]))
        let server = try await KafkaServer.start(
            configuration: .init(host: "127.0.0.1", port: 0, listenerName: "PLAINTEXT"),
            registry: HandlerRegistry(handlers: [MetadataHandler(cache: cache), SometimesSilentHeartbeats()]),
            group: group, logger: Logger(label: "test"))
        do {
            try await body(server.localAddress!.port!, group)
        } catch {
            try await server.close()
            try await group.shutdownGracefully()
            throw error
        }
        try await server.close()
        try await group.shutdownGracefully()
    }

    @Test func sendsRequestsAndDecodesResponsesAcrossHeaderVersions() async throws {
        try await withServer { port, group in
            let connection = try await KafkaBrokerConnection.connect(
                host: "127.0.0.1", port: port, clientID: "test", group: group)
            let versions = try await connection.send(
                ApiVersionsRequest(clientSoftwareName: "martlet", clientSoftwareVersion: "0"), version: 3)
            #expect(versions.errorCode == 0)
            #expect(versions.apiKeys.contains { $0.apiKey == 3 && $0.maxVersion == 12 })
            let old = try await connection.send(MetadataRequest(topics: nil), version: 1)
            #expect(old.controllerId == 7)
            let flexible = try await connection.send(MetadataRequest(topics: nil), version: 12)
            #expect(flexible.clusterId == "cluster-a")
            await connection.close()
        }
    }

    @Test func pipelinedConcurrentRequestsAllGetTheirOwnResponses() async throws {
        try await withServer { port, group in
            let connection = try await KafkaBrokerConnection.connect(
                host: "127.0.0.1", port: port, clientID: "test", group: group)
            try await withThrowingTaskGroup(of: (Int, String?).self) { tasks in
                for i in 0..<50 {
                    tasks.addTask {
                        let version: Int16 = i % 2 == 0 ? 1 : 12
                        let topic = "t\(i)"
                        let response = try await connection.send(
                            MetadataRequest(topics: [.init(name: topic)]), version: version)
                        return (i, response.topics.first?.name)
                    }
                }
                for try await (i, name) in tasks { #expect(name == "t\(i)") }
            }
            await connection.close()
        }
    }

    @Test func unansweredRequestTimesOutAndClosesTheConnection() async throws {
        try await withServer { port, group in
            let connection = try await KafkaBrokerConnection.connect(
                host: "127.0.0.1", port: port, clientID: "test", group: group)
            await #expect(throws: KafkaClientError.timedOut(apiKey: 12, afterMilliseconds: 200)) {
                try await connection.send(HeartbeatRequest(groupId: "never"), version: 4, timeout: .milliseconds(200))
            }
            try await connection.closeFuture.get()
            await #expect(throws: KafkaClientError.self) {
                try await connection.send(HeartbeatRequest(groupId: "g"), version: 4)
            }
        }
    }

    @Test func requestTheServerRejectsFailsWithConnectionClosed() async throws {
        try await withServer { port, group in
            let connection = try await KafkaBrokerConnection.connect(
                host: "127.0.0.1", port: port, clientID: "test", group: group)
            // Metadata v0 is not served: Kafka (and Martlet) close the connection.
            await #expect(throws: KafkaClientError.connectionClosed) {
                try await connection.send(MetadataRequest(topics: []), version: 0)
            }
        }
    }

    @Test func connectingToAClosedPortFails() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        await #expect(throws: (any Error).self) {
            try await KafkaBrokerConnection.connect(host: "127.0.0.1", port: 1, clientID: nil, group: group)
        }
        try await group.shutdownGracefully()
    }
}
