import Foundation

/// MessageGenerator: Kafka's JSON message specs → Swift codec.
///
///     MessageGenerator <kafka-protocol-dir> <output-root>
///
/// `<kafka-protocol-dir>` holds `messages/`, `group-coordinator/` and `error-codes.tsv` (e.g.
/// `../shared/kafka-protocol/3.9`; the path is quoted verbatim in the generated headers, so pass
/// the same relative path every time). Writes into `<output-root>` (the package root, or a temporary
/// directory when checking):
///   Sources/KafkaProtocol/Generated/*.swift      one file per API and data schema, ApiKey, lookups
///   Sources/BrokerCore/Generated/ErrorCode.swift
///   Tests/KafkaProtocolTests/Generated/*.swift   round-trip samples
/// Files are rewritten only when their content changes; stale files in the two wholly generated
/// directories are removed. Output is deterministic.

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: MessageGenerator <kafka-protocol-dir> <output-root>\n".utf8))
    exit(2)
}
do {
    try Generator(specDirectory: arguments[1], outputRoot: arguments[2]).run()
} catch {
    FileHandle.standardError.write(Data("MessageGenerator: \(error)\n".utf8))
    exit(1)
}

struct Generator {
    var specDirectory: String
    var outputRoot: String

    var specURL: URL { URL(fileURLWithPath: specDirectory) }
    /// "Kafka 3.9", from the spec directory's name.
    var kafkaLabel: String { "Kafka \(specURL.standardizedFileURL.lastPathComponent)" }

    func run() throws {
        let root = URL(fileURLWithPath: outputRoot)
        let protocolDirectory = root.appendingPathComponent("Sources/KafkaProtocol/Generated")
        let samplesDirectory = root.appendingPathComponent("Tests/KafkaProtocolTests/Generated")
        var protocolFiles: [String: String] = [:]
        var sampleFiles: [String: String] = [:]
        var sampleTypes: [String] = []

        // APIs: request + response in one file.
        var generated: [(entry: ApiEntry, request: String, response: String)] = []
        let entries = try apiEntries()
        for api in generatedAPIs {
            let requestFile = "\(api)Request.json"
            let responseFile = "\(api)Response.json"
            let request = try buildMessage(try loadSpec(at: messageURL(requestFile)), fileName: requestFile)
            let response = try buildMessage(try loadSpec(at: messageURL(responseFile)), fileName: responseFile)
            guard request.kind == .request, response.kind == .response, request.apiKey == response.apiKey,
                let entry = entries.first(where: { $0.key == request.apiKey })
            else { throw GeneratorError("\(api): request/response specs do not match") }
            let header = generatedHeader(sources: "\(kafkaLabel) specs \(requestFile), \(responseFile)", specLabel: specDirectory)
            protocolFiles["\(api).swift"] = try messageFile(header: header, messages: [request, response])
            sampleFiles["\(api)Samples.swift"] = try sampleFile(header: header, messages: [request, response])
            sampleTypes += [request.name, response.name]
            generated.append((entry, request.name, response.name))
        }

        // Data schemas.
        for path in generatedDataSchemas {
            let fileName = URL(fileURLWithPath: path).lastPathComponent
            let message = try buildMessage(try loadSpec(at: specURL.appendingPathComponent(path)), fileName: fileName)
            guard message.kind == .data else { throw GeneratorError("\(path) is not a data schema") }
            let header = generatedHeader(sources: "\(kafkaLabel) spec \(path)", specLabel: specDirectory)
            protocolFiles["\(message.name).swift"] = try messageFile(header: header, messages: [message])
            sampleFiles["\(message.name)Samples.swift"] = try sampleFile(header: header, messages: [message])
            sampleTypes.append(message.name)
        }

        // Tables.
        let tableHeader = generatedHeader(sources: "\(kafkaLabel) specs messages/*Request.json", specLabel: specDirectory)
        var apiKey = CodeWriter()
        emitApiKey(entries, into: &apiKey)
        protocolFiles["ApiKey.swift"] = tableHeader + "\n\n" + apiKey.text
        var types = CodeWriter()
        emitMessageTypes(generated, into: &types)
        let typesHeader = generatedHeader(sources: "\(kafkaLabel) specs of the APIs listed in GeneratedSchemas.swift", specLabel: specDirectory)
        protocolFiles["ApiMessageTypes.swift"] = typesHeader + "\n\n" + types.text

        var list = CodeWriter()
        list.line("/// Every generated message type, for the round-trip tests.")
        list.line("let generatedSampleTypes: [any GeneratedSample.Type] = [")
        for name in sampleTypes { list.line("    \(name).self,") }
        list.line("]")
        sampleFiles["GeneratedSampleTypes.swift"] = typesHeader + "\n\nimport KafkaProtocol\n\n" + list.text

        let tsvPath = "error-codes.tsv"
        let tsv = try String(contentsOf: specURL.appendingPathComponent(tsvPath), encoding: .utf8)
        var errorCode = CodeWriter()
        emitErrorCode(try parseErrorCodes(tsv), into: &errorCode)
        let errorHeader = generatedHeader(sources: "\(kafkaLabel) \(tsvPath)", specLabel: specDirectory)

        try writeDirectory(protocolDirectory, files: protocolFiles)
        try writeDirectory(samplesDirectory, files: sampleFiles)
        try writeFile(
            root.appendingPathComponent("Sources/BrokerCore/Generated/ErrorCode.swift"),
            contents: errorHeader + "\n\n" + errorCode.text)
    }

    func messageURL(_ fileName: String) -> URL {
        specURL.appendingPathComponent("messages").appendingPathComponent(fileName)
    }

    /// Every `messages/*Request.json`, sorted by API key.
    func apiEntries() throws -> [ApiEntry] {
        let directory = specURL.appendingPathComponent("messages")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix("Request.json") }
            .sorted()
        var entries: [ApiEntry] = []
        for name in names {
            let spec = try loadSpec(at: directory.appendingPathComponent(name))
            guard spec.type == "request", let key = spec.apiKey else { continue }
            entries.append(
                ApiEntry(
                    name: String(spec.name.dropLast("Request".count)), key: key,
                    validVersions: try VersionRange(parsing: spec.validVersions),
                    flexibleVersions: try VersionRange(parsing: spec.flexibleVersions)))
        }
        entries.sort { $0.key < $1.key }
        let keys = entries.map(\.key)
        guard Set(keys).count == keys.count else { throw GeneratorError("duplicate API keys in \(directory.path)") }
        return entries
    }

    func messageFile(header: String, messages: [MessageModel]) throws -> String {
        var out = CodeWriter()
        out.line("import NIOCore")
        for message in messages {
            out.line()
            try MessageEmitter(message: message).emit(into: &out)
        }
        return header + "\n\n" + out.text
    }

    func sampleFile(header: String, messages: [MessageModel]) throws -> String {
        var out = CodeWriter()
        out.line("import KafkaProtocol")
        out.line("import NIOCore")
        for message in messages {
            out.line()
            try SampleEmitter(message: message).emit(into: &out)
        }
        return header + "\n\n" + out.text
    }

    /// Writes `files` into `directory` and removes other `.swift` files there.
    func writeDirectory(_ directory: URL, files: [String: String]) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (name, contents) in files.sorted(by: { $0.key < $1.key }) {
            try writeFile(directory.appendingPathComponent(name), contents: contents)
        }
        for existing in try FileManager.default.contentsOfDirectory(atPath: directory.path)
        where existing.hasSuffix(".swift") && files[existing] == nil {
            try FileManager.default.removeItem(at: directory.appendingPathComponent(existing))
        }
    }

    func writeFile(_ url: URL, contents: String) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        if let existing = try? String(contentsOf: url, encoding: .utf8), existing == contents { return }
        try contents.write(to: url, atomically: true, encoding: .utf8)
    }
}
