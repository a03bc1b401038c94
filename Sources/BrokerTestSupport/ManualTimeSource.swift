import BrokerCore
import Synchronization

/// A clock that moves only when a test tells it to. Thread-safe.
public final class ManualTimeSource: TimeSource {
    private let state: Mutex<(wall: Int64, mono: UInt64)>
    public init(startMilliseconds: Int64 = 1_700_000_000_000) {
        state = Mutex((startMilliseconds, 0))
    }
    public var nowMilliseconds: Int64 { state.withLock { $0.wall } }
    public var monotonicNanoseconds: UInt64 { state.withLock { $0.mono } }
    /// Moves both clocks forward.
    public func advance(milliseconds: Int64) {
        state.withLock {
            $0.wall += milliseconds
            $0.mono += UInt64(milliseconds) * 1_000_000
        }
    }
}
