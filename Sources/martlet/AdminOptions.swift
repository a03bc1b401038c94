import ArgumentParser
import Foundation
import MartletAdmin

/// Options every `martlet topics` / `martlet groups` subcommand takes.
struct AdminConnectionOptions: ParsableArguments {
    @Option(name: .customLong("bootstrap-server"), help: "Broker(s) to connect to: host:port[,host:port...].")
    var bootstrapServer: String

    @Option(name: .customLong("command-timeout"), help: "Seconds an operation keeps retrying retriable errors.")
    var commandTimeout: Int = 60

    func validate() throws {
        do {
            _ = try BrokerAddress.parseList(bootstrapServer)
        } catch {
            throw ValidationError(error.description)
        }
        guard commandTimeout > 0 else { throw ValidationError("--command-timeout must be positive") }
    }

    /// Runs `command` with a fresh client, prints its output and exits with its status.
    func run(_ command: AdminCommand) async throws {
        let bootstrap = try BrokerAddress.parseList(bootstrapServer)
        let client = AdminClient(
            bootstrap: bootstrap,
            options: .init(
                requestTimeout: .seconds(min(commandTimeout, 30)), operationTimeout: .seconds(commandTimeout)))
        let output = await AdminCommandRunner.run(command, client: client)
        await client.close()
        if !output.stdout.isEmpty { FileHandle.standardOutput.write(Data(output.stdout.utf8)) }
        if !output.stderr.isEmpty { FileHandle.standardError.write(Data(output.stderr.utf8)) }
        if output.exitCode != 0 { throw ExitCode(output.exitCode) }
    }
}
