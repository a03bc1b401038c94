import BrokerCore

/// An immutable view of a partition log that readers use without locks: the segment list with
/// each segment's valid size and index counts, the offsets, and the epoch cache.
///
/// The writer builds the next state privately and publishes a copy after each change; a reader
/// takes the latest published copy once per operation. Everything a snapshot describes was
/// completely written before it was published, so readers never see partial batches.
struct LogSnapshot: Sendable {
    /// Segments before the active one, by increasing base offset.
    var sealed: [SegmentState]
    var active: SegmentState
    var logStartOffset: Offset
    var highWatermark: Offset
    var recoveryPoint: Offset
    var epochs: LeaderEpochCache
    var isClosed: Bool = false

    var logEndOffset: Offset { active.nextOffset }

    var segmentCount: Int { sealed.count + 1 }

    func segment(at index: Int) -> SegmentState { index < sealed.count ? sealed[index] : active }

    /// Total bytes of all segments.
    var sizeInBytes: Int64 { sealed.reduce(active.size) { $0 + $1.size } }

    /// Index of the segment whose range contains `offset`: the last with base ≤ offset (0 if
    /// `offset` is below every base).
    func segmentIndex(containing offset: Offset) -> Int {
        if active.baseOffset <= offset { return sealed.count }
        var low = 0
        var high = sealed.count - 1
        var found = 0
        while low <= high {
            let mid = (low + high) >> 1
            if sealed[mid].baseOffset <= offset {
                found = mid
                low = mid + 1
            } else {
                high = mid - 1
            }
        }
        return found
    }
}
