import Foundation
import Testing
import ZooKeeperCoordination

#if canImport(Glibc)
    import Glibc
#endif

/// A real ZooKeeper server process for tests, run through `scripts/zookeeper.sh` on a free
/// loopback port below 32768 with a fresh temporary data directory. Stopped by pid.
final class ZooKeeperTestServer: Sendable {
    let port: Int
    let dataDirectory: URL

    /// The server of the enclosing `.sharedZooKeeperServer` suite.
    @TaskLocal static var shared: ZooKeeperTestServer?

    private init(port: Int, dataDirectory: URL) {
        self.port = port
        self.dataDirectory = dataDirectory
    }

    var connectString: ZooKeeperConnectString { ZooKeeperConnectString(servers: ["127.0.0.1:\(port)"]) }

    /// Starts a new server; retries on another port if the chosen one was taken meanwhile.
    static func start() async throws -> ZooKeeperTestServer {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("martlet-zk-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var lastError: (any Error)?
        for _ in 0..<5 {
            let port = freeLoopbackPort()
            do {
                try await runScript(["start", String(port), directory.path])
                return ZooKeeperTestServer(port: port, dataDirectory: directory)
            } catch {
                lastError = error
            }
        }
        throw lastError ?? ScriptError(message: "no free port")
    }

    /// Starts the server again on the same port and data directory (after `stop(keepingData:)`).
    func restart() async throws {
        try await Self.runScript(["start", String(port), dataDirectory.path])
    }

    /// Stops the server (by its pid). Removes the data directory unless `keepingData`.
    func stop(keepingData: Bool = false) async throws {
        try await Self.runScript(["stop", dataDirectory.path])
        if !keepingData { try? FileManager.default.removeItem(at: dataDirectory) }
    }

    struct ScriptError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    private static let scriptPath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/zookeeper.sh").path

    /// Runs the script with posix_spawn and waits for it on a dedicated thread (the script leaves
    /// the server running in the background; its own output goes to a log file we read on failure).
    private static func runScript(_ arguments: [String]) async throws {
        let logPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("martlet-zk-script-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: logPath) }
        let argv = ["/bin/bash", scriptPath] + arguments
        let status: Int32 = await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: spawnAndWait(argv, outputPath: logPath))
            }
            thread.start()
        }
        guard status == 0 else {
            let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            throw ScriptError(message: "zookeeper.sh \(arguments.joined(separator: " ")) failed (\(status)): \(text)")
        }
    }

    /// Spawns `argv` with stdin from /dev/null and stdout+stderr to `outputPath`; returns the exit
    /// status (-1 if it could not be spawned). Blocks the calling thread.
    ///
    /// The child gets an empty signal mask and default signal dispositions: threads of this
    /// process block signals, and a script inheriting that mask could neither be woken by
    /// `timeout` nor stop the server with SIGTERM.
    private static func spawnAndWait(_ argv: [String], outputPath: String) -> Int32 {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for argument in cArguments { free(argument) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, argv[0], &actions, &attributes, &cArguments, environ) == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return -1 }
        }
        // WIFEXITED / WEXITSTATUS
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1
    }

    /// A port in [20000, 32000) that nothing listens on right now.
    static func freeLoopbackPort() -> Int {
        while true {
            let port = Int.random(in: 20000..<32000)
            if canBind(port) { return port }
        }
    }

    private static func canBind(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

/// Starts one ZooKeeper server around a whole suite (including nested suites) and stops it after.
struct SharedZooKeeperServerTrait: SuiteTrait, TestScoping {
    var isRecursive: Bool { false }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let server = try await ZooKeeperTestServer.start()
        do {
            try await ZooKeeperTestServer.$shared.withValue(server) { try await function() }
        } catch {
            try? await server.stop()
            throw error
        }
        try await server.stop()
    }
}

extension Trait where Self == SharedZooKeeperServerTrait {
    /// Runs the suite against one real ZooKeeper server (`ZooKeeperTestServer.shared`).
    static var sharedZooKeeperServer: Self { Self() }
}

/// The root of all suites that use the shared server.
@Suite(.sharedZooKeeperServer, .timeLimit(.minutes(3)))
struct ZooKeeperIntegrationTests {}
