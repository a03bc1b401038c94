/// Why a request sent with ``KafkaBrokerConnection`` did not get a response.
public enum KafkaClientError: Error, Equatable, CustomStringConvertible {
    /// The connection closed (or was never open) before the response arrived.
    case connectionClosed
    /// No response within the request timeout; the connection is closed, as Kafka's clients do.
    case timedOut(apiKey: Int16, afterMilliseconds: Int64)
    /// A response whose correlation id is not the one expected next.
    case correlationMismatch(expected: Int32, received: Int32)
    /// The response frame did not decode.
    case malformedResponse(String)

    public var description: String {
        switch self {
        case .connectionClosed: "connection closed"
        case .timedOut(let key, let ms): "request for API key \(key) timed out after \(ms) ms"
        case .correlationMismatch(let e, let r): "expected correlation id \(e), received \(r)"
        case .malformedResponse(let why): "malformed response: \(why)"
        }
    }
}
