import ArgumentParser
import Broker
import Foundation
import Logging
import ServiceLifecycle

@main
struct Martlet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "martlet",
        abstract: "A Kafka-compatible message broker.",
        subcommands: [BrokerCommand.self, TopicsCommand.self, GroupsCommand.self])
}

struct BrokerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "broker", abstract: "Run a broker (reads Kafka's server.properties keys).")

    @Option(name: .long, help: "Path of the server.properties file.")
    var config: String

    @Option(name: .customLong("override"), help: "Override a property: --override key=value (repeatable).")
    var overrides: [String] = []

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = ProcessInfo.processInfo.environment["MARTLET_LOG_LEVEL"] ?? "info"

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "martlet")

        let text: String
        do {
            text = try String(contentsOfFile: config, encoding: .utf8)
        } catch {
            logger.critical("cannot read config file", metadata: ["path": "\(config)", "error": "\(error)"])
            throw ExitCode(2)
        }
        var pairs = JavaProperties.parse(text)
        for override in overrides {
            guard let eq = override.firstIndex(of: "=") else {
                logger.critical("--override must be key=value", metadata: ["override": "\(override)"])
                throw ExitCode(2)
            }
            pairs.append((String(override[..<eq]), String(override[override.index(after: eq)...])))
        }
        let brokerConfig: BrokerConfig
        do {
            brokerConfig = try BrokerConfig(properties: pairs)
        } catch {
            logger.critical("invalid configuration: \(error)")
            throw ExitCode(2)
        }
        for key in brokerConfig.unknownKeys {
            logger.warning("ignoring unknown configuration key", metadata: ["key": "\(key)"])
        }

        let broker = BrokerService(config: brokerConfig, logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: broker, successTerminationBehavior: .gracefullyShutdownGroup)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        do {
            try await group.run()
        } catch {
            logger.critical("broker failed: \(error)")
            throw ExitCode(1)
        }
    }
}
