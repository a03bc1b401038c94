import LogStorage
import Synchronization
import SystemPackage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An in-memory ``LogFileSystem`` for tests that can damage files the way crashes and disks do.
///
/// Model: each file has its current bytes (what the page cache holds) and the bytes at its last
/// `sync()` (what the disk holds). ``crash(losingUnsyncedData:)`` ends the "process": every
/// handle opened before it fails from then on, and optionally each file reverts to its synced
/// bytes (an OS crash). Directory operations are durable at once. Index files are "mapped" by
/// handing out the file's own storage, so index writes land in the file like a shared mapping.
///
/// Faults: a torn write (the next write to a matching file stores only a prefix, then fails and
/// optionally crashes), failing syncs, and direct edits: truncate, flip a bit, overwrite, append
/// zeros, remove. Thread-safe (one lock); index memory is written without it, like real mmap.
public final class FaultInjectingFileSystem: LogFileSystem {
    struct State {
        var files: [String: FakeFile] = [:]
        var directories: Set<String> = ["/"]
        var generation = 0
        var tornWrite: (suffix: String, keepBytes: Int, crash: Bool)?
        var failingSyncSuffix: String?
        var syncs = 0
    }

    let state = Mutex(State())

    public init() {}

    // MARK: Fault injection and inspection

    /// Ends the simulated process: open handles stop working. With `losingUnsyncedData`, files
    /// also lose everything written since their last sync (an OS crash or power loss).
    public func crash(losingUnsyncedData: Bool = false) {
        state.withLock { state in
            state.generation += 1
            if losingUnsyncedData {
                for file in state.files.values { file.revertToSynced() }
            }
        }
    }

    /// The next write to a file whose path ends with `suffix` stores only its first `keepBytes`
    /// bytes and fails with EIO; with `crash`, the process then crashes (see ``crash(losingUnsyncedData:)``).
    public func tearNextWrite(toPathEndingWith suffix: String, keepBytes: Int, crash: Bool = true) {
        state.withLock { $0.tornWrite = (suffix, keepBytes, crash) }
    }

    /// Syncs of files whose path ends with `suffix` fail with EIO until cleared (nil).
    public func failSyncs(ofPathEndingWith suffix: String?) {
        state.withLock { $0.failingSyncSuffix = suffix }
    }

    /// Number of successful file syncs so far.
    public var syncCount: Int { state.withLock { $0.syncs } }

    /// The current bytes of a file, nil if missing.
    public func contents(of path: FilePath) -> [UInt8]? {
        state.withLock { $0.files[path.string]?.bytes() }
    }

    /// Replaces a file's bytes (creating it), as synced.
    public func setContents(of path: FilePath, to bytes: [UInt8]) {
        state.withLock { state in
            let file = state.files[path.string] ?? FakeFile()
            file.replace(with: bytes)
            file.markSynced()
            state.files[path.string] = file
            state.directories.insert(Self.parent(path.string))
        }
    }

    public func truncateFile(_ path: FilePath, to size: Int) {
        state.withLock { $0.files[path.string]?.truncate(to: size) }
    }

    /// Flips bit `bit` (0-7) of the byte at `offset`.
    public func flipBit(in path: FilePath, atByte offset: Int, bit: Int = 0) {
        state.withLock { state in
            guard let file = state.files[path.string], offset < file.count else { return }
            file.storage.storeBytes(of: file.storage.load(fromByteOffset: offset, as: UInt8.self) ^ UInt8(1 << bit), toByteOffset: offset, as: UInt8.self)
        }
    }

    public func overwrite(_ path: FilePath, at offset: Int, with bytes: [UInt8]) {
        state.withLock { state in
            bytes.withUnsafeBytes { state.files[path.string]?.write($0, at: offset) }
        }
    }

    /// Appends `count` zero bytes (a preallocated or zero-filled tail after a crash).
    public func appendZeros(to path: FilePath, count: Int) {
        state.withLock { state in
            guard let file = state.files[path.string] else { return }
            file.truncate(to: file.count + count)
        }
    }

    public func removeFile(_ path: FilePath) {
        _ = state.withLock { $0.files.removeValue(forKey: path.string) }
    }

    /// Size of a file, nil if missing.
    public func fileSize(_ path: FilePath) -> Int? {
        state.withLock { $0.files[path.string]?.count }
    }

    // MARK: LogFileSystem

    public func openFile(_ path: FilePath, create: Bool) throws(LogError) -> any LogFile {
        try open(path, create: create)
    }

    public func openIndex(_ path: FilePath) throws(LogError) -> any IndexFile {
        let handle = try open(path, create: true)
        return FakeIndexFile(handle: handle, sizeWhenOpened: handle.file.count)
    }

    private func open(_ path: FilePath, create: Bool) throws(LogError) -> FakeFileHandle {
        try state.withLock { (state) throws(LogError) -> FakeFileHandle in
            let key = path.string
            guard state.directories.contains(Self.parent(key)) else {
                throw .io(operation: "open", path: key, errno: ENOENT)
            }
            if let file = state.files[key] { return FakeFileHandle(fileSystem: self, file: file, path: path, generation: state.generation) }
            guard create else { throw .io(operation: "open", path: key, errno: ENOENT) }
            let file = FakeFile()
            state.files[key] = file
            return FakeFileHandle(fileSystem: self, file: file, path: path, generation: state.generation)
        }
    }

    public func exists(_ path: FilePath) -> Bool {
        state.withLock { $0.files[path.string] != nil || $0.directories.contains(path.string) }
    }

    public func isDirectory(_ path: FilePath) -> Bool {
        state.withLock { $0.directories.contains(path.string) }
    }

    public func createDirectory(_ path: FilePath) throws(LogError) {
        state.withLock { state in
            var current = path.string
            while !current.isEmpty, current != "/" {
                state.directories.insert(current)
                current = Self.parent(current)
            }
        }
    }

    public func contentsOfDirectory(_ path: FilePath) throws(LogError) -> [String] {
        try state.withLock { (state) throws(LogError) -> [String] in
            guard state.directories.contains(path.string) else { throw .io(operation: "opendir", path: path.string, errno: ENOENT) }
            var names: [String] = []
            for key in state.files.keys where Self.parent(key) == path.string {
                names.append(Self.name(key))
            }
            for key in state.directories where key != path.string && Self.parent(key) == path.string {
                names.append(Self.name(key))
            }
            return names
        }
    }

    public func rename(_ from: FilePath, to: FilePath) throws(LogError) {
        try state.withLock { (state) throws(LogError) in
            if let file = state.files.removeValue(forKey: from.string) {
                state.files[to.string] = file
                return
            }
            guard state.directories.contains(from.string) else { throw .io(operation: "rename", path: from.string, errno: ENOENT) }
            let prefix = from.string + "/"
            for key in state.directories where key == from.string || key.hasPrefix(prefix) {
                state.directories.remove(key)
                state.directories.insert(to.string + key.dropFirst(from.string.count))
            }
            for (key, file) in state.files where key.hasPrefix(prefix) {
                state.files.removeValue(forKey: key)
                state.files[to.string + key.dropFirst(from.string.count)] = file
            }
        }
    }

    public func remove(_ path: FilePath) throws(LogError) {
        state.withLock { state in
            state.files.removeValue(forKey: path.string)
            guard state.directories.contains(path.string) else { return }
            let prefix = path.string + "/"
            state.directories = state.directories.filter { $0 != path.string && !$0.hasPrefix(prefix) }
            state.files = state.files.filter { !$0.key.hasPrefix(prefix) }
        }
    }

    public func syncDirectory(_ path: FilePath) throws(LogError) {}

    public func readWholeFile(_ path: FilePath) throws(LogError) -> [UInt8]? {
        contents(of: path)
    }

    // MARK: Handle support

    /// Parent directory of an absolute path string ("/" for top-level entries).
    static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }

    /// Last path component of an absolute path string.
    static func name(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    func checkAlive(_ generation: Int, _ path: FilePath) throws(LogError) {
        let current = state.withLock { $0.generation }
        if current != generation { throw .io(operation: "use after crash", path: path.string, errno: EBADF) }
    }

    /// Applies a pending torn-write fault to this write; returns the bytes to keep, or nil.
    func takeTornWrite(for path: FilePath) -> (keepBytes: Int, crash: Bool)? {
        state.withLock { state in
            guard let torn = state.tornWrite, path.string.hasSuffix(torn.suffix) else { return nil }
            state.tornWrite = nil
            return (torn.keepBytes, torn.crash)
        }
    }

    func sync(_ file: FakeFile, path: FilePath) throws(LogError) {
        try state.withLock { (state) throws(LogError) in
            if let suffix = state.failingSyncSuffix, path.string.hasSuffix(suffix) {
                throw .io(operation: "fsync", path: path.string, errno: EIO)
            }
            file.markSynced()
            state.syncs += 1
        }
    }

    func withLock<T>(_ body: () throws(LogError) -> T) throws(LogError) -> T {
        try state.withLock { (_) throws(LogError) -> T in try body() }
    }
}

/// The bytes of one in-memory file. Storage only grows; replaced storage is kept until the file
/// is released so that "mapped" index memory stays valid. Guarded by the file system's lock,
/// except index memory (see ``FaultInjectingFileSystem``).
final class FakeFile: @unchecked Sendable {
    private(set) var storage: UnsafeMutableRawPointer
    private(set) var capacity: Int
    private(set) var count = 0
    private var synced: [UInt8] = []
    private var retired: [UnsafeMutableRawPointer] = []

    init() {
        capacity = 64
        storage = .allocate(byteCount: capacity, alignment: 16)
        storage.initializeMemory(as: UInt8.self, repeating: 0, count: capacity)
    }

    deinit {
        storage.deallocate()
        for old in retired { old.deallocate() }
    }

    func reserve(_ needed: Int) {
        guard needed > capacity else { return }
        var newCapacity = capacity
        while newCapacity < needed { newCapacity *= 2 }
        let fresh = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        fresh.initializeMemory(as: UInt8.self, repeating: 0, count: newCapacity)
        fresh.copyMemory(from: storage, byteCount: count)
        retired.append(storage)
        storage = fresh
        capacity = newCapacity
    }

    func bytes() -> [UInt8] { Array(UnsafeRawBufferPointer(start: storage, count: count)) }

    func replace(with bytes: [UInt8]) {
        count = 0
        bytes.withUnsafeBytes { write($0, at: 0) }
        count = bytes.count
    }

    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) {
        let end = offset + bytes.count
        reserve(end)
        if offset > count { (storage + count).initializeMemory(as: UInt8.self, repeating: 0, count: offset - count) }
        if let base = bytes.baseAddress, !bytes.isEmpty { (storage + offset).copyMemory(from: base, byteCount: bytes.count) }
        count = max(count, end)
    }

    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) -> Int {
        guard offset < count, let base = buffer.baseAddress else { return 0 }
        let n = min(buffer.count, count - offset)
        base.copyMemory(from: storage + offset, byteCount: n)
        return n
    }

    func truncate(to size: Int) {
        reserve(size)
        if size > count { (storage + count).initializeMemory(as: UInt8.self, repeating: 0, count: size - count) }
        count = size
    }

    func markSynced() { synced = bytes() }

    func revertToSynced() {
        let target = synced
        count = 0
        target.withUnsafeBytes { write($0, at: 0) }
        count = target.count
    }
}

/// An open in-memory file. Fails after a simulated crash.
final class FakeFileHandle: LogFile {
    let fileSystem: FaultInjectingFileSystem
    let file: FakeFile
    let path: FilePath
    let generation: Int

    init(fileSystem: FaultInjectingFileSystem, file: FakeFile, path: FilePath, generation: Int) {
        self.fileSystem = fileSystem
        self.file = file
        self.path = path
        self.generation = generation
    }

    var descriptor: CInt? { nil }

    func size() throws(LogError) -> Int64 {
        try fileSystem.checkAlive(generation, path)
        return try fileSystem.withLock { () throws(LogError) in Int64(file.count) }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(LogError) -> Int {
        try fileSystem.checkAlive(generation, path)
        return try fileSystem.withLock { () throws(LogError) in file.read(into: buffer, at: Int(offset)) }
    }

    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(LogError) {
        try fileSystem.checkAlive(generation, path)
        if let torn = fileSystem.takeTornWrite(for: path) {
            let kept = UnsafeRawBufferPointer(rebasing: bytes[..<min(torn.keepBytes, bytes.count)])
            try fileSystem.withLock { () throws(LogError) in file.write(kept, at: Int(offset)) }
            if torn.crash { fileSystem.crash() }
            throw .io(operation: "pwrite (torn)", path: path.string, errno: EIO)
        }
        try fileSystem.withLock { () throws(LogError) in file.write(bytes, at: Int(offset)) }
    }

    func sync() throws(LogError) {
        try fileSystem.checkAlive(generation, path)
        try fileSystem.sync(file, path: path)
    }

    func truncate(to size: Int64) throws(LogError) {
        try fileSystem.checkAlive(generation, path)
        try fileSystem.withLock { () throws(LogError) in file.truncate(to: Int(size)) }
    }
}

/// An in-memory index file: "mapping" returns the file's storage.
final class FakeIndexFile: IndexFile {
    let handle: FakeFileHandle
    let sizeWhenOpened: Int

    init(handle: FakeFileHandle, sizeWhenOpened: Int) {
        self.handle = handle
        self.sizeWhenOpened = sizeWhenOpened
    }

    var path: FilePath { handle.path }

    func map(capacity: Int) throws(LogError) -> UnsafeMutableRawPointer {
        try handle.fileSystem.checkAlive(handle.generation, handle.path)
        return try handle.fileSystem.withLock { () throws(LogError) in
            if handle.file.count < capacity { handle.file.truncate(to: capacity) }
            handle.file.reserve(capacity)
            return handle.file.storage
        }
    }

    func trim(to size: Int) throws(LogError) {
        try handle.truncate(to: Int64(size))
    }

    func sync() throws(LogError) {
        try handle.sync()
    }
}
