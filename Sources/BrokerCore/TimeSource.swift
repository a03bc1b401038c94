/// Wall-clock and monotonic time, behind a protocol so tests can inject time.
///
/// Thread-safety: implementations must be safe to call from any thread.
public protocol TimeSource: Sendable {
    /// Milliseconds since the Unix epoch (Kafka's timestamp unit).
    var nowMilliseconds: Int64 { get }
    /// Monotonic nanoseconds, for measuring elapsed time and deadlines.
    var monotonicNanoseconds: UInt64 { get }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The real clock.
public struct SystemTimeSource: TimeSource {
    public init() {}
    public var nowMilliseconds: Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
    public var monotonicNanoseconds: UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
