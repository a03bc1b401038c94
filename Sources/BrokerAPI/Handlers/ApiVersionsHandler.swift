import BrokerCore
import KafkaProtocol

/// ApiVersions (key 18), versions 0-4. Created by ``HandlerRegistry`` with the table of every
/// advertised API.
///
/// Kafka's negotiation: a request at a version the broker does not know is answered with
/// UNSUPPORTED_VERSION (35) in the v0 body format (and response header v0), listing only the
/// ApiVersions range, so the client retries at the highest version listed. Requests v3+ carry a
/// client software name and version that must match `[a-zA-Z0-9](?:[a-zA-Z0-9\-.]*[a-zA-Z0-9])?`,
/// else INVALID_REQUEST (42).
public struct ApiVersionsHandler: KafkaAPIHandler {
    public typealias Request = ApiVersionsRequest
    public static let supportedVersions: ClosedRange<Int16> = 0...4

    let table: [AdvertisedAPI]

    public func handle(_ request: ApiVersionsRequest, context: RequestContext) -> APIOutcome<ApiVersionsResponse> {
        if context.apiVersion >= 3,
            !Self.isValidSoftwareField(request.clientSoftwareName)
                || !Self.isValidSoftwareField(request.clientSoftwareVersion)
        {
            return .respond(ApiVersionsResponse(errorCode: ErrorCode.invalidRequest.rawValue))
        }
        return .respond(
            ApiVersionsResponse(
                errorCode: ErrorCode.none.rawValue,
                apiKeys: table.map {
                    ApiVersionsResponse.ApiVersion(apiKey: $0.apiKey, minVersion: $0.minVersion, maxVersion: $0.maxVersion)
                },
                throttleTimeMs: 0))
    }

    public func unsupportedVersionResponse(context: RequestContext) -> UnsupportedVersionAnswer? {
        let own = ApiVersionsResponse.ApiVersion(
            apiKey: ApiVersionsRequest.apiKey, minVersion: Self.supportedVersions.lowerBound,
            maxVersion: Self.supportedVersions.upperBound)
        return UnsupportedVersionAnswer(
            response: ApiVersionsResponse(errorCode: ErrorCode.unsupportedVersion.rawValue, apiKeys: [own]),
            encodeVersion: 0)
    }

    /// Kafka's `ApiVersionsRequest.isValid` pattern, without a regex engine.
    static func isValidSoftwareField(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        guard let first = bytes.first, let last = bytes.last else { return false }
        func alnum(_ b: UInt8) -> Bool {
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
        }
        guard alnum(first), alnum(last) else { return false }
        return bytes.allSatisfy { alnum($0) || $0 == 0x2D || $0 == 0x2E }
    }
}
