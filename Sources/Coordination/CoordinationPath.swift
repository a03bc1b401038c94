/// Znode path rules and helpers (ZooKeeper's `PathUtils` rules).
///
/// A valid path starts with `/`, has no empty, `.` or `..` components, no trailing `/` (except the
/// root itself, and except a sequential create's prefix such as `/queue/`), and no NUL or control
/// characters.
public enum CoordinationPath {
    public static let root = "/"

    /// Whether `path` is a valid znode path. `sequentialPrefix` allows a trailing `/`.
    public static func isValid(_ path: String, sequentialPrefix: Bool = false) -> Bool {
        let scalars = Array(path.unicodeScalars)
        guard let first = scalars.first, first == "/" else { return false }
        if scalars.count == 1 { return true }
        if scalars.last == "/" && !sequentialPrefix { return false }
        for scalar in scalars where isForbidden(scalar) { return false }
        let components = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        for (index, component) in components.enumerated() {
            let isLast = index == components.count - 1
            if component.isEmpty && !(isLast && sequentialPrefix) { return false }
            if component == "." || component == ".." { return false }
        }
        return true
    }

    /// Throws `CoordinationError.invalidPath` unless `path` is valid.
    public static func validate(_ path: String, sequentialPrefix: Bool = false) throws {
        guard isValid(path, sequentialPrefix: sequentialPrefix) else { throw CoordinationError.invalidPath(path) }
    }

    /// The parent path (`/` for top-level nodes), or nil for the root.
    public static func parent(of path: String) -> String? {
        guard path != root, let slash = path.lastIndex(of: "/") else { return nil }
        return slash == path.startIndex ? root : String(path[..<slash])
    }

    /// The last component of `path` (empty for the root).
    public static func name(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// `parent` + `/` + `child`.
    public static func join(_ parent: String, _ child: String) -> String {
        parent == root ? "/" + child : parent + "/" + child
    }

    /// All proper ancestors of `path` from the top down, excluding the root: `/a/b/c` → `/a`, `/a/b`.
    public static func ancestors(of path: String) -> [String] {
        var result: [String] = []
        var current = parent(of: path)
        while let node = current, node != root {
            result.append(node)
            current = parent(of: node)
        }
        return result.reversed()
    }

    /// ZooKeeper's 10-digit, zero-padded sequence suffix.
    public static func sequenceSuffix(_ counter: Int32) -> String {
        let digits = String(counter)
        if counter < 0 { return digits }
        return String(repeating: "0", count: max(0, 10 - digits.count)) + digits
    }

    private static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0xE000...0xF8FF, 0xFFF0...0xFFFF: true
        default: false
        }
    }
}
