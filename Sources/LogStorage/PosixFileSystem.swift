#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization
import SystemPackage

/// The real file system: POSIX calls on the local disk.
///
/// Data files use `pread`/`pwrite` (data reaches the page cache; durability only after `sync()`).
/// Index files are preallocated with `ftruncate` and mapped with `mmap(MAP_SHARED)`.
/// Thread-safe.
public struct PosixFileSystem: LogFileSystem {
    public init() {}

    public func openFile(_ path: FilePath, create: Bool) throws(LogError) -> any LogFile {
        try PosixLogFile(path: path, create: create)
    }

    public func openIndex(_ path: FilePath) throws(LogError) -> any IndexFile {
        try PosixIndexFile(path: path)
    }

    public func exists(_ path: FilePath) -> Bool {
        var info = stat()
        return stat(path.string, &info) == 0
    }

    public func isDirectory(_ path: FilePath) -> Bool {
        var info = stat()
        return stat(path.string, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    public func createDirectory(_ path: FilePath) throws(LogError) {
        if isDirectory(path) { return }
        let parent = PathText.parent(of: path)
        if parent.string != "/", parent != path, !exists(parent) { try createDirectory(parent) }
        if mkdir(path.string, 0o755) != 0, errno != EEXIST { throw .io(operation: "mkdir", path: path.string, errno: errno) }
    }

    public func contentsOfDirectory(_ path: FilePath) throws(LogError) -> [String] {
        guard let directory = opendir(path.string) else { throw .io(operation: "opendir", path: path.string, errno: errno) }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    public func rename(_ from: FilePath, to: FilePath) throws(LogError) {
        if Glibc.rename(from.string, to.string) != 0 { throw .io(operation: "rename", path: from.string, errno: errno) }
    }

    public func remove(_ path: FilePath) throws(LogError) {
        if isDirectory(path) {
            for name in try contentsOfDirectory(path) { try remove(path.appending(name)) }
            if rmdir(path.string) != 0, errno != ENOENT { throw .io(operation: "rmdir", path: path.string, errno: errno) }
        } else if unlink(path.string) != 0, errno != ENOENT {
            throw .io(operation: "unlink", path: path.string, errno: errno)
        }
    }

    public func syncDirectory(_ path: FilePath) throws(LogError) {
        let fd = open(path.string, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(operation: "open directory", path: path.string, errno: errno) }
        defer { close(fd) }
        if fsync(fd) != 0 { throw .io(operation: "fsync directory", path: path.string, errno: errno) }
    }

    public func readWholeFile(_ path: FilePath) throws(LogError) -> [UInt8]? {
        guard exists(path) else { return nil }
        let file = try PosixLogFile(path: path, create: false)
        let size = Int(try file.size())
        let buffer = try file.readBuffer(at: 0, count: size)
        return Array(buffer.readableBytesView)
    }
}

/// A data file on disk. The descriptor is closed when the object is released.
final class PosixLogFile: LogFile {
    let path: FilePath
    let fd: CInt

    init(path: FilePath, create: Bool) throws(LogError) {
        self.path = path
        let flags = O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0)
        let fd = open(path.string, flags, 0o644)
        guard fd >= 0 else { throw .io(operation: "open", path: path.string, errno: errno) }
        self.fd = fd
    }

    deinit { close(fd) }

    var descriptor: CInt? { fd }

    func size() throws(LogError) -> Int64 {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .io(operation: "fstat", path: path.string, errno: errno) }
        return Int64(info.st_size)
    }

    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(LogError) -> Int {
        var total = 0
        while total < buffer.count {
            let n = pread(fd, buffer.baseAddress! + total, buffer.count - total, off_t(offset) + off_t(total))
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(operation: "pread", path: path.string, errno: errno)
            }
            if n == 0 { break }
            total += n
        }
        return total
    }

    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(LogError) {
        var total = 0
        while total < bytes.count {
            let n = pwrite(fd, bytes.baseAddress! + total, bytes.count - total, off_t(offset) + off_t(total))
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(operation: "pwrite", path: path.string, errno: errno)
            }
            total += n
        }
    }

    func sync() throws(LogError) {
        if fsync(fd) != 0 { throw .io(operation: "fsync", path: path.string, errno: errno) }
    }

    func truncate(to size: Int64) throws(LogError) {
        if ftruncate(fd, off_t(size)) != 0 { throw .io(operation: "ftruncate", path: path.string, errno: errno) }
    }
}

/// An index file on disk, accessed through `mmap(MAP_SHARED)`.
///
/// Mappings are only ever added (on growth) and all are unmapped in `deinit`, so addresses handed
/// out stay valid for the object's lifetime. The writer is the only caller of `map`/`trim`.
final class PosixIndexFile: IndexFile {
    let path: FilePath
    let sizeWhenOpened: Int
    private let file: PosixLogFile
    /// A live `mmap` region (unmapped in `deinit`); the pointer is only dereferenced by index code.
    private struct Mapping: @unchecked Sendable {
        let address: UnsafeMutableRawPointer
        let length: Int
    }
    private let mappings = Mutex<[Mapping]>([])

    init(path: FilePath) throws(LogError) {
        self.path = path
        self.file = try PosixLogFile(path: path, create: true)
        self.sizeWhenOpened = Int(try file.size())
    }

    deinit {
        mappings.withLock { list in
            for mapping in list { munmap(mapping.address, mapping.length) }
        }
    }

    /// Never read (count is 0 whenever capacity is 0); avoids mapping zero bytes.
    nonisolated(unsafe) static let emptyMapping = UnsafeMutableRawPointer.allocate(byteCount: 16, alignment: 16)

    func map(capacity: Int) throws(LogError) -> UnsafeMutableRawPointer {
        guard capacity > 0 else { return Self.emptyMapping }
        let current = Int(try file.size())
        if current < capacity { try file.truncate(to: Int64(capacity)) }
        let length = capacity
        if let existing = mappings.withLock({ list in list.last(where: { $0.length >= length })?.address }) {
            return existing
        }
        guard let address = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_SHARED, file.fd, 0), address != MAP_FAILED else {
            throw .io(operation: "mmap", path: path.string, errno: errno)
        }
        let mapping = Mapping(address: address, length: length)
        mappings.withLock { $0.append(mapping) }
        return address
    }

    func trim(to size: Int) throws(LogError) {
        try file.truncate(to: Int64(size))
    }

    func sync() throws(LogError) {
        let list = mappings.withLock { $0 }
        for mapping in list where msync(mapping.address, mapping.length, MS_SYNC) != 0 {
            // A mapping longer than a trimmed file fails with ENOMEM on the tail; fsync covers it.
            if errno != ENOMEM { throw .io(operation: "msync", path: path.string, errno: errno) }
        }
        try file.sync()
    }
}
