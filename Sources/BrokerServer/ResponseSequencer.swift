import BrokerAPI

/// Keeps a connection's responses in request order although handlers may finish out of order
/// (clients pipeline up to 5 requests; a long-poll Fetch may finish after a later Metadata).
///
/// A plain value owned by the connection's event loop: ``begin()`` numbers each request,
/// ``complete(_:with:)`` records its result and returns the results that may now be emitted,
/// in order. Emission stops at the first `.close`; nothing after it is ever released, and the
/// responses that will never be written are handed back as `dropped` so their resources (file
/// handles) can be released.
struct ResponseSequencer {
    enum Completion {
        case response(EncodedResponse)
        case noResponse
        case close(reason: String)
    }

    private var nextToAssign: UInt64 = 0
    private var nextToRelease: UInt64 = 0
    private var finished: [UInt64: Completion] = [:]
    private var closed = false

    /// Requests begun whose results have not been released yet.
    var outstanding: Int { Int(nextToAssign - nextToRelease) }

    mutating func begin() -> UInt64 {
        defer { nextToAssign += 1 }
        return nextToAssign
    }

    mutating func complete(_ sequence: UInt64, with completion: Completion) -> (released: [Completion], dropped: [Completion]) {
        guard !closed, sequence >= nextToRelease, sequence < nextToAssign else { return ([], [completion]) }
        if sequence == nextToRelease, finished.isEmpty {
            nextToRelease += 1
            if case .close = completion { closed = true }
            return ([completion], [])
        }
        finished[sequence] = completion
        var released: [Completion] = []
        var dropped: [Completion] = []
        while let next = finished.removeValue(forKey: nextToRelease) {
            nextToRelease += 1
            released.append(next)
            if case .close = next {
                closed = true
                dropped = Array(finished.values)
                finished.removeAll()
                break
            }
        }
        return (released, dropped)
    }

    /// Marks the connection closed (e.g. by the peer) and returns every finished, unreleased result.
    mutating func closeAndDrain() -> [Completion] {
        closed = true
        defer { finished.removeAll() }
        return Array(finished.values)
    }
}
