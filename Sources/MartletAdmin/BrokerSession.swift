import KafkaClient
import KafkaProtocol
import NIOCore

/// One open connection to a broker plus the API versions that broker serves (from ApiVersions,
/// asked once when the connection opens).
///
/// Thread-safety: immutable and `Sendable`; requests may be sent concurrently (they pipeline).
struct BrokerSession: Sendable {
    let connection: KafkaBrokerConnection
    let address: BrokerAddress
    /// API key → versions the broker serves.
    let served: [Int16: ClosedRange<Int16>]

    /// Connects and asks ApiVersions.
    static func open(
        _ address: BrokerAddress, clientID: String, group: any EventLoopGroup, timeout: TimeAmount
    ) async throws -> BrokerSession {
        let connection = try await KafkaBrokerConnection.connect(
            host: address.host, port: address.port, clientID: clientID, group: group, connectTimeout: timeout)
        do {
            let response = try await connection.send(
                ApiVersionsRequest(clientSoftwareName: "martlet-admin", clientSoftwareVersion: "1.0"),
                version: AdminProtocolVersions.apiVersions, timeout: timeout)
            guard response.errorCode == 0 else {
                throw AdminError.kafka(operation: "ApiVersions", code: response.errorCode, message: nil)
            }
            var served: [Int16: ClosedRange<Int16>] = [:]
            for api in response.apiKeys where api.minVersion <= api.maxVersion {
                served[api.apiKey] = api.minVersion...api.maxVersion
            }
            return BrokerSession(connection: connection, address: address, served: served)
        } catch {
            await connection.close()
            throw error
        }
    }

    /// The highest version of `Request` that both sides speak.
    func version<Request: KafkaRequest>(
        of _: Request.Type, client: ClosedRange<Int16>
    ) throws(AdminError) -> Int16 {
        guard let broker = served[Request.apiKey], broker.overlaps(client) else {
            throw .unsupportedAPI(name: AdminProtocolVersions.name(of: Request.apiKey), apiKey: Request.apiKey)
        }
        return min(broker.upperBound, client.upperBound)
    }

    /// Sends `request` at the negotiated version; returns the response and that version.
    func send<Request: KafkaRequest>(
        _ request: Request, client: ClosedRange<Int16>, timeout: TimeAmount
    ) async throws -> (response: Request.Response, version: Int16) {
        let version = try version(of: Request.self, client: client)
        let response = try await connection.send(request, version: version, timeout: timeout)
        return (response, version)
    }
}
