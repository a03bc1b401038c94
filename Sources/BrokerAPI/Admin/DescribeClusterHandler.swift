import BrokerCore
import KafkaProtocol

/// DescribeCluster (key 60), versions 0-1, answered from the broker's ``MetadataCache`` as Kafka's
/// ZooKeeper-mode broker does (`KafkaApis.handleDescribeCluster` +
/// `AuthHelper.computeDescribeClusterResponse`):
/// - the live brokers with their endpoint for the listener the request arrived on, the cluster id
///   and the controller id (-1 when none is known);
/// - a broker serves only endpoint type 1 (brokers): asking it for controllers (2) is
///   UNSUPPORTED_ENDPOINT_TYPE, any other type INVALID_REQUEST (v1);
/// - cluster authorized operations are listed only when asked (no authorizer: all allowed).
public struct DescribeClusterHandler: KafkaAPIHandler {
    public typealias Request = DescribeClusterRequest
    public static let supportedVersions: ClosedRange<Int16> = 0...1

    let cache: MetadataCache

    public init(cache: MetadataCache) {
        self.cache = cache
    }

    public func handle(_ request: DescribeClusterRequest, context: RequestContext) -> APIOutcome<DescribeClusterResponse> {
        var response = DescribeClusterResponse(endpointType: 1)
        guard request.endpointType == 1 else {
            if request.endpointType == 2 {
                response.errorCode = ErrorCode.unsupportedEndpointType.rawValue
                response.errorMessage = "The request was sent to an endpoint of type BROKER, but we wanted an endpoint of type CONTROLLER"
            } else {
                response.errorCode = ErrorCode.invalidRequest.rawValue
                response.errorMessage = "Unsupported endpoint type \(request.endpointType)"
            }
            return .respond(response)
        }
        let image = cache.snapshot
        response.clusterId = image.clusterID
        response.controllerId = image.controllerID.rawValue
        response.brokers = image.brokers.values.sorted { $0.id < $1.id }.compactMap { broker in
            guard let endpoint = broker.endpoints[context.listenerName] else { return nil }
            return .init(brokerId: broker.id.rawValue, host: endpoint.host, port: Int32(endpoint.port), rack: broker.rack)
        }
        if request.includeClusterAuthorizedOperations {
            response.clusterAuthorizedOperations = MetadataHandler.clusterOperations
        }
        return .respond(response)
    }
}
