import BrokerCore

/// A segment's sparse offset index (`.index`): 8-byte entries of
/// `(relative offset: Int32, file position: Int32)`, big-endian, sorted by both fields.
///
/// An entry `(o, p)` means: the batch at position `p` has last offset `base + o`, and every
/// batch before `p` ends before it. Entries are added for one batch after every
/// `index.interval.bytes` of log data. The file is preallocated and mapped; the valid part is
/// the first `count` entries (the file is trimmed to them when the segment stops being active).
/// Never checksummed: sanity-checked on load and rebuilt from the log when wrong or missing.
///
/// Value type holding the file (which keeps the memory mapped); a copy published in a snapshot
/// sees exactly `count` entries, which the writer wrote before publishing.
struct OffsetIndex: @unchecked Sendable {
    static let entrySize = 8

    let file: any IndexFile
    let baseOffset: Offset
    private(set) var memory: UnsafeMutableRawPointer
    private(set) var capacity: Int
    private(set) var count: Int

    init(file: any IndexFile, baseOffset: Offset, memory: UnsafeMutableRawPointer, capacity: Int, count: Int) {
        self.file = file
        self.baseOffset = baseOffset
        self.memory = memory
        self.capacity = capacity
        self.count = count
    }

    var isFull: Bool { count >= capacity }
    var validBytes: Int { count * Self.entrySize }

    func entry(_ index: Int) -> (offset: Offset, position: Int64) {
        let raw = memory + index * Self.entrySize
        let relative = Int32(bigEndian: raw.loadUnaligned(as: Int32.self))
        let position = Int32(bigEndian: (raw + 4).loadUnaligned(as: Int32.self))
        return (baseOffset + Int64(relative), Int64(position))
    }

    var lastEntry: (offset: Offset, position: Int64)? { count > 0 ? entry(count - 1) : nil }

    /// Position to start scanning for `target`: the entry with the largest offset ≤ target,
    /// or the segment start (0).
    func lookup(_ target: Offset) -> Int64 {
        var low = 0
        var high = count - 1
        var found: Int64 = 0
        while low <= high {
            let mid = (low + high) >> 1
            let candidate = entry(mid)
            if candidate.offset <= target {
                found = candidate.position
                low = mid + 1
            } else {
                high = mid - 1
            }
        }
        return found
    }

    /// Appends an entry. The caller checks `isFull` and ordering.
    mutating func append(offset: Offset, position: Int64) {
        let raw = memory + count * Self.entrySize
        raw.storeBytes(of: Int32(truncatingIfNeeded: offset - baseOffset).bigEndian, as: Int32.self)
        (raw + 4).storeBytes(of: Int32(truncatingIfNeeded: position).bigEndian, as: Int32.self)
        count += 1
    }

    /// Drops entries whose offset is ≥ `offset` or whose position is ≥ `position`.
    mutating func truncate(toOffset offset: Offset, position: Int64) {
        while count > 0, let last = lastEntry, last.offset >= offset || last.position >= position { count -= 1 }
    }

    mutating func reset() { count = 0 }

    /// Remaps with room for `entries` entries (after a trimmed index becomes active again).
    mutating func grow(toEntries entries: Int) throws(LogError) {
        guard entries > capacity else { return }
        memory = try file.map(capacity: entries * Self.entrySize)
        capacity = entries
    }

    /// Checks the first `count` entries: increasing offsets ≥ base and positions < `logSize`.
    func isSane(logSize: Int64) -> Bool {
        var previous: (offset: Offset, position: Int64)?
        for index in 0..<count {
            let current = entry(index)
            guard current.offset >= baseOffset, current.position >= 0, current.position < logSize else { return false }
            if let previous, current.offset <= previous.offset || current.position <= previous.position { return false }
            previous = current
        }
        return true
    }
}

/// A segment's time index (`.timeindex`): 12-byte entries of
/// `(max timestamp so far: Int64, relative offset: Int32)`, big-endian.
///
/// An entry `(t, o)` means: no batch before offset `base + o` has a timestamp greater than `t`,
/// and the batch with offset `base + o` has a timestamp `t`. Entries are appended alongside
/// offset-index entries when the max timestamp grew, plus one final entry when the segment is
/// sealed. Same mapping, trimming and snapshot rules as ``OffsetIndex``.
struct TimeIndex: @unchecked Sendable {
    static let entrySize = 12

    let file: any IndexFile
    let baseOffset: Offset
    private(set) var memory: UnsafeMutableRawPointer
    private(set) var capacity: Int
    private(set) var count: Int

    init(file: any IndexFile, baseOffset: Offset, memory: UnsafeMutableRawPointer, capacity: Int, count: Int) {
        self.file = file
        self.baseOffset = baseOffset
        self.memory = memory
        self.capacity = capacity
        self.count = count
    }

    var isFull: Bool { count >= capacity }
    var validBytes: Int { count * Self.entrySize }

    func entry(_ index: Int) -> (timestamp: Int64, offset: Offset) {
        let raw = memory + index * Self.entrySize
        let timestamp = Int64(bigEndian: raw.loadUnaligned(as: Int64.self))
        let relative = Int32(bigEndian: (raw + 8).loadUnaligned(as: Int32.self))
        return (timestamp, baseOffset + Int64(relative))
    }

    var lastEntry: (timestamp: Int64, offset: Offset)? { count > 0 ? entry(count - 1) : nil }

    /// The offset to start scanning from for the first record with timestamp ≥ `target`: the
    /// entry with the largest timestamp ≤ target, or the segment's base offset.
    func lookup(_ target: Int64) -> Offset {
        var low = 0
        var high = count - 1
        var found = baseOffset
        while low <= high {
            let mid = (low + high) >> 1
            let candidate = entry(mid)
            if candidate.timestamp <= target {
                found = candidate.offset
                low = mid + 1
            } else {
                high = mid - 1
            }
        }
        return found
    }

    /// Appends `(timestamp, offset)` if the timestamp is newer than the last entry's (and the
    /// offset not older). With `force`, room is not required to be left for later entries.
    mutating func maybeAppend(timestamp: Int64, offset: Offset) {
        guard count < capacity, timestamp >= 0 else { return }
        if let last = lastEntry {
            guard timestamp > last.timestamp, offset >= last.offset else { return }
        }
        let raw = memory + count * Self.entrySize
        raw.storeBytes(of: timestamp.bigEndian, as: Int64.self)
        (raw + 8).storeBytes(of: Int32(truncatingIfNeeded: offset - baseOffset).bigEndian, as: Int32.self)
        count += 1
    }

    /// Drops entries whose offset is ≥ `offset`.
    mutating func truncate(toOffset offset: Offset) {
        while count > 0, let last = lastEntry, last.offset >= offset { count -= 1 }
    }

    mutating func reset() { count = 0 }

    mutating func grow(toEntries entries: Int) throws(LogError) {
        guard entries > capacity else { return }
        memory = try file.map(capacity: entries * Self.entrySize)
        capacity = entries
    }

    /// Checks increasing timestamps and offsets within [base, nextOffset).
    func isSane(nextOffset: Offset) -> Bool {
        var previous: (timestamp: Int64, offset: Offset)?
        for index in 0..<count {
            let current = entry(index)
            guard current.offset >= baseOffset, current.offset < max(nextOffset, baseOffset + 1) else { return false }
            if let previous, current.timestamp <= previous.timestamp || current.offset < previous.offset { return false }
            previous = current
        }
        return true
    }
}
