import BrokerCore

/// An epoch and the first offset written in it.
public struct EpochEntry: Hashable, Sendable {
    public var epoch: LeaderEpoch
    public var startOffset: Offset
    public init(epoch: LeaderEpoch, startOffset: Offset) {
        self.epoch = epoch
        self.startOffset = startOffset
    }
}

/// The leader epoch cache (Kafka's `LeaderEpochFileCache`): for each epoch in which this log
/// received data, the offset of its first batch. Answers "end offset for epoch E" for
/// OffsetForLeaderEpoch and follower truncation, and is truncated together with the log.
///
/// Value type, owned by the partition's writer; persisted as `leader-epoch-checkpoint`.
/// Invariant: epochs and start offsets strictly increase.
public struct LeaderEpochCache: Hashable, Sendable {
    public private(set) var entries: [EpochEntry]

    public init(entries: [EpochEntry] = []) {
        self.entries = []
        for entry in entries { assign(epoch: entry.epoch, startOffset: entry.startOffset) }
    }

    public var latestEpoch: LeaderEpoch? { entries.last?.epoch }

    /// Records that `epoch` starts at `startOffset`. No-op if it is already the latest epoch
    /// with an earlier or equal start. Entries that would break monotonicity (an epoch ≥ this
    /// one, or a start offset ≥ this one) are removed first, as in Kafka. Returns whether the
    /// cache changed.
    @discardableResult
    public mutating func assign(epoch: LeaderEpoch, startOffset: Offset) -> Bool {
        guard epoch.rawValue >= 0, startOffset.rawValue >= 0 else { return false }
        if let last = entries.last, last.epoch == epoch, last.startOffset <= startOffset { return false }
        entries.removeAll { $0.epoch >= epoch || $0.startOffset >= startOffset }
        entries.append(EpochEntry(epoch: epoch, startOffset: startOffset))
        return true
    }

    /// Kafka's `endOffsetFor(requestedEpoch, logEndOffset)`: the epoch that is the largest known
    /// epoch ≤ `requested`, and the start offset of the next larger epoch (or the log end offset
    /// if `requested` is the latest). `(unknown, unknown)` if `requested` is unknown or above
    /// every known epoch.
    public func endOffset(forEpoch requested: LeaderEpoch, logEndOffset: Offset) -> (epoch: LeaderEpoch, endOffset: Offset) {
        guard requested != .unknown, let latest = entries.last else { return (.unknown, .unknown) }
        if latest.epoch == requested { return (requested, logEndOffset) }
        guard let higherIndex = entries.firstIndex(where: { $0.epoch > requested }) else { return (.unknown, .unknown) }
        let higher = entries[higherIndex]
        if higherIndex == 0 { return (requested, higher.startOffset) }
        return (entries[higherIndex - 1].epoch, higher.startOffset)
    }

    /// The epoch whose range contains `offset` (nil if before the first entry).
    public func epoch(containing offset: Offset) -> LeaderEpoch? {
        entries.last(where: { $0.startOffset <= offset })?.epoch
    }

    /// Removes entries starting at or after `endOffset` (the log was truncated to it).
    public mutating func truncateFromEnd(_ endOffset: Offset) {
        entries.removeAll { $0.startOffset >= endOffset }
    }

    /// The log now starts at `startOffset`: drops epochs that ended before it and moves the
    /// start of the epoch containing it up to it.
    public mutating func truncateFromStart(_ startOffset: Offset) {
        guard let keep = entries.lastIndex(where: { $0.startOffset <= startOffset }) else { return }
        entries.removeFirst(keep)
        entries[0].startOffset = startOffset
    }

    public mutating func clear() { entries.removeAll() }
}
