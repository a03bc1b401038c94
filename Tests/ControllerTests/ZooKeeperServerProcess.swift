import Foundation
import Testing
import ZooKeeperCoordination

#if canImport(Glibc)
import Glibc
#endif

/// A real ZooKeeper server for the controller's integration tests, run through
/// `scripts/zookeeper.sh` on a free loopback port below 32768 with a fresh temporary data
/// directory, and stopped by the script (by pid).
final class ZooKeeperServerProcess: Sendable {
    let port: Int
    let dataDirectory: URL

    /// The server of the enclosing `.controllerZooKeeperServer` suite.
    @TaskLocal static var shared: ZooKeeperServerProcess?

    private init(port: Int, dataDirectory: URL) {
        self.port = port
        self.dataDirectory = dataDirectory
    }

    var connectString: ZooKeeperConnectString { ZooKeeperConnectString(servers: ["127.0.0.1:\(port)"]) }

    /// A connect string with a fresh chroot (one namespace per test).
    func freshNamespace() -> ZooKeeperConnectString {
        var connectString = self.connectString
        connectString.chroot = "/controller-test-\(UUID().uuidString.prefix(8).lowercased())"
        return connectString
    }

    static func start() async throws -> ZooKeeperServerProcess {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("martlet-ctl-zk-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var lastError: (any Error)?
        for _ in 0..<5 {
            let port = Int.random(in: 20000..<32000)
            do {
                try await runScript(["start", String(port), directory.path])
                return ZooKeeperServerProcess(port: port, dataDirectory: directory)
            } catch {
                lastError = error
            }
        }
        throw lastError ?? ScriptError(message: "no free port")
    }

    func stop() async throws {
        try await Self.runScript(["stop", dataDirectory.path])
        try? FileManager.default.removeItem(at: dataDirectory)
    }

    struct ScriptError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    private static let scriptPath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/zookeeper.sh").path

    /// Runs the script on a dedicated thread (it blocks until the server answers, then returns
    /// leaving the server in the background). A port in use makes the script fail: retried.
    private static func runScript(_ arguments: [String]) async throws {
        let logPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("martlet-ctl-zk-script-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: logPath) }
        let argv = ["/bin/bash", scriptPath] + arguments
        let status: Int32 = await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: spawnAndWait(argv, outputPath: logPath)) }.start()
        }
        guard status == 0 else {
            let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            throw ScriptError(message: "zookeeper.sh \(arguments.joined(separator: " ")) failed (\(status)): \(text)")
        }
    }

    private static func spawnAndWait(_ argv: [String], outputPath: String) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for argument in cArguments { free(argument) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, argv[0], &actions, nil, &cArguments, environ) == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return -1 }
        }
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1
    }
}

/// Starts one ZooKeeper server around a suite and stops it (by pid) afterwards.
struct ControllerZooKeeperServerTrait: SuiteTrait, TestScoping {
    var isRecursive: Bool { false }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let server = try await ZooKeeperServerProcess.start()
        do {
            try await ZooKeeperServerProcess.$shared.withValue(server) { try await function() }
        } catch {
            try? await server.stop()
            throw error
        }
        try await server.stop()
    }
}

extension Trait where Self == ControllerZooKeeperServerTrait {
    static var controllerZooKeeperServer: Self { Self() }
}
