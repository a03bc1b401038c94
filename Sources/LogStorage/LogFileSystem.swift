import SystemPackage

/// The file operations the log needs, behind a protocol so tests can inject faults.
///
/// Two implementations: ``PosixFileSystem`` (the real disk: `pread`/`pwrite`/`fsync`, index
/// files preallocated and `mmap`ped) and `FaultInjectingFileSystem` in BrokerTestSupport
/// (memory, with torn writes, bit flips, zero-filled tails, lost unsynced data).
///
/// Thread-safety: implementations must be safe to call from any thread. Paths are absolute.
public protocol LogFileSystem: Sendable {
    /// Opens a regular file for reading and writing, creating it (empty) if `create` is true.
    func openFile(_ path: FilePath, create: Bool) throws(LogError) -> any LogFile
    /// Opens (creating if missing) an index file whose memory can be mapped. See ``IndexFile``.
    func openIndex(_ path: FilePath) throws(LogError) -> any IndexFile
    /// Whether a file or directory exists at `path`.
    func exists(_ path: FilePath) -> Bool
    /// Creates a directory (and missing parents); no error if it exists.
    func createDirectory(_ path: FilePath) throws(LogError)
    /// Names (not paths) of the entries of a directory, unsorted.
    func contentsOfDirectory(_ path: FilePath) throws(LogError) -> [String]
    /// Whether `path` is a directory.
    func isDirectory(_ path: FilePath) -> Bool
    /// Atomically renames a file or directory (replacing an existing file at `to`).
    func rename(_ from: FilePath, to: FilePath) throws(LogError)
    /// Removes a file, or a directory with everything in it. No error if missing.
    func remove(_ path: FilePath) throws(LogError)
    /// Makes directory entries (creations, renames, removals) in `path` durable.
    func syncDirectory(_ path: FilePath) throws(LogError)
    /// The whole content of a small file, nil if it does not exist.
    func readWholeFile(_ path: FilePath) throws(LogError) -> [UInt8]?
}

extension LogFileSystem {
    /// Replaces `path` with `contents` crash-atomically: writes `path.tmp`, syncs it, renames it
    /// over `path` and syncs the directory (how Kafka writes its checkpoint files).
    public func writeFileAtomically(_ path: FilePath, contents: [UInt8]) throws(LogError) {
        let temporary = FilePath(path.string + ".tmp")
        let file = try openFile(temporary, create: true)
        try file.truncate(to: 0)
        var failure: LogError?
        contents.withUnsafeBytes { bytes in
            do throws(LogError) { try file.write(bytes, at: 0) } catch { failure = error }
        }
        if let failure { throw failure }
        try file.sync()
        try rename(temporary, to: path)
        try syncDirectory(PathText.parent(of: path))
    }
}

/// An open regular file (a segment's `.log`, a checkpoint being written).
///
/// The file stays open while any reference to this object exists (the descriptor is closed in
/// `deinit`), so a ``FileSlice`` handed to the network layer keeps a deleted segment readable
/// until the send completes. Thread-safe: positional reads and writes, no shared cursor.
public protocol LogFile: AnyObject, Sendable {
    var path: FilePath { get }
    /// Current size in bytes.
    func size() throws(LogError) -> Int64
    /// Reads up to `buffer.count` bytes at `offset`; returns the number read (short at the end).
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(LogError) -> Int
    /// Writes all of `bytes` at `offset` (extending the file as needed).
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(LogError)
    /// Flushes the file's data to stable storage (`fsync`).
    func sync() throws(LogError)
    /// Sets the size (drops the tail, or zero-extends).
    func truncate(to size: Int64) throws(LogError)
    /// The OS descriptor for zero-copy sends, nil for in-memory files. Valid while `self` lives.
    var descriptor: CInt? { get }
}

extension LogFile {
    /// Appends `bytes` at the current end of the file.
    public func append(_ bytes: UnsafeRawBufferPointer) throws(LogError) {
        try write(bytes, at: try size())
    }
}

/// An index file whose content is accessed through memory (Kafka's mmapped `.index` and
/// `.timeindex`).
///
/// `map(capacity:)` grows the file to `capacity` bytes (preallocation; the new tail reads as
/// zeros) and returns memory backed by the file; writes to it reach the file like writes to a
/// shared mapping. Earlier mappings stay valid until this object is released, so a reader that
/// obtained an address from a published snapshot can keep using it while the writer remaps.
/// `trim(to:)` shrinks the file to the valid entries; addresses below the new size stay valid.
///
/// Thread-safety: one writer (the partition's writer) calls `map`, `trim`, `sync`; readers only
/// read bytes the writer published (through the snapshot) before.
public protocol IndexFile: AnyObject, Sendable {
    var path: FilePath { get }
    /// Size of the file when it was opened (before any preallocation), in bytes.
    var sizeWhenOpened: Int { get }
    /// Maps at least `capacity` bytes (growing the file to exactly `capacity` if shorter).
    func map(capacity: Int) throws(LogError) -> UnsafeMutableRawPointer
    /// Shrinks the file to `size` bytes.
    func trim(to size: Int) throws(LogError)
    /// Flushes written entries to stable storage (`msync` + `fsync`).
    func sync() throws(LogError)
}
