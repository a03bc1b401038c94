import BrokerCore
import LogStorage
import SystemPackage

/// Builds a ``LogManager`` over a ``FaultInjectingFileSystem`` (in memory), so tests of the
/// layers above storage need neither temp dirs nor `SystemPackage`.
public enum InMemoryLogManager {
    /// A LogManager with one log dir, `/data` unless `directory` says otherwise. Opening it again
    /// on the same file system simulates a broker restart.
    public static func make(
        fileSystem: FaultInjectingFileSystem, clock: any TimeSource, config: LogConfig = .default,
        directory: String = "/data"
    ) throws -> LogManager {
        try LogManager(dirs: [FilePath(directory)], config: config, fileSystem: fileSystem, clock: clock)
    }
}
