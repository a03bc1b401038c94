/// Emitters for the cross-message tables: `ApiKey`, request/response type lookup and `ErrorCode`.

/// One API as declared by its request spec.
struct ApiEntry {
    var name: String
    var key: Int
    var validVersions: VersionRange
    var flexibleVersions: VersionRange

    var caseName: String { escapedIdentifier(lowerCamel(name)) }
}

/// `ApiKey`: every API key in the specs, with Kafka's header-version rules.
func emitApiKey(_ entries: [ApiEntry], into out: inout CodeWriter) {
    let names = Set(entries.map(\.name))
    out.line("/// Every Kafka API key defined by the specs, with the request's versions and header rules.")
    out.block("public enum ApiKey: Int16, Sendable, CaseIterable, CustomStringConvertible") { out in
        for entry in entries { out.line("case \(entry.caseName) = \(entry.key)") }
        out.line()
        out.line("/// Kafka's name for the API, e.g. \"Produce\".")
        out.block("public var name: String") { out in
            out.switchBlock("self") { out in
                for entry in entries { out.line("case .\(entry.caseName): return \(swiftStringLiteral(entry.name))") }
            }
        }
        out.line()
        out.line("public var description: String { name }")
        out.line()
        out.line("/// The request spec's `validVersions`.")
        out.block("public var validVersions: ClosedRange<Int16>") { out in
            out.switchBlock("self") { out in
                for entry in entries {
                    out.line("case .\(entry.caseName): return \(entry.validVersions.low)...\(entry.validVersions.high)")
                }
            }
        }
        out.line()
        out.line("/// The first flexible version of the request spec; `nil` if never flexible.")
        out.block("public var flexibleVersionsStart: Int16?") { out in
            out.switchBlock("self") { out in
                for entry in entries {
                    let start = entry.flexibleVersions.isEmpty ? "nil" : String(entry.flexibleVersions.low)
                    out.line("case .\(entry.caseName): return \(start)")
                }
            }
        }
        out.line()
        out.line("/// Whether `apiVersion` of this API uses flexible encodings.")
        out.block("public func isFlexible(_ apiVersion: Int16) -> Bool") { out in
            out.line("flexibleVersionsStart.map { apiVersion >= $0 } ?? false")
        }
        out.line()
        out.line("/// The request header version: 2 for flexible versions, else 1; 0 only for ControlledShutdown v0,")
        out.line("/// whose header has no client id. Versions above the newest known one use the newest header,")
        out.line("/// so an ApiVersions request from a newer client can still be parsed and answered.")
        out.block("public func requestHeaderVersion(_ apiVersion: Int16) -> Int16") { out in
            if names.contains("ControlledShutdown") {
                out.line("if self == .controlledShutdown && apiVersion == 0 { return 0 }")
            }
            out.line("return isFlexible(apiVersion) ? 2 : 1")
        }
        out.line()
        out.line("/// The response header version: 1 for flexible versions, else 0. ApiVersions responses always")
        out.line("/// use version 0 (Kafka's ApiMessageTypeGenerator rule), so any client can read the error code.")
        out.block("public func responseHeaderVersion(_ apiVersion: Int16) -> Int16") { out in
            if names.contains("ApiVersions") {
                out.line("if self == .apiVersions { return 0 }")
            }
            out.line("return isFlexible(apiVersion) ? 1 : 0")
        }
    }
}

/// `ApiKey.requestType` / `responseType` and `decodeRequestBody`, over the generated APIs.
func emitMessageTypes(_ apis: [(entry: ApiEntry, request: String, response: String)], into out: inout CodeWriter) {
    out.line("import NIOCore")
    out.line()
    out.block("extension ApiKey") { out in
        out.line("/// The generated request body type, or `nil` when this codec has none for the API.")
        out.block("public var requestType: (any KafkaRequest.Type)?") { out in
            out.switchBlock("self") { out in
                for api in apis { out.line("case .\(api.entry.caseName): return \(api.request).self") }
                out.line("default: return nil")
            }
        }
        out.line()
        out.line("/// The generated response body type, or `nil` when this codec has none for the API.")
        out.block("public var responseType: (any KafkaResponse.Type)?") { out in
            out.switchBlock("self") { out in
                for api in apis { out.line("case .\(api.entry.caseName): return \(api.response).self") }
                out.line("default: return nil")
            }
        }
    }
    out.line()
    out.line("/// Decodes the body of a request whose header named `apiKey` and `version`, leaving any bytes")
    out.line("/// after the body unread (Kafka ignores them too).")
    out.line("///")
    out.line("/// Throws `.unknownApiKey` for a key outside Kafka's table, `.unsupportedApiKey` for an API without")
    out.line("/// a generated codec, `.unsupportedVersion` for a version outside the spec's `validVersions`, and")
    out.line("/// a decoding error for malformed bytes.")
    out.block(
        "public func decodeRequestBody(apiKey: Int16, version: Int16, from buffer: inout ByteBuffer) throws(KafkaProtocolError) -> any KafkaRequest"
    ) { out in
        out.switchBlock("apiKey") { out in
            for api in apis {
                out.line("case \(api.entry.key): return try \(api.request)(from: &buffer, version: version)")
            }
            out.line("default: throw ApiKey(rawValue: apiKey) == nil ? .unknownApiKey(apiKey) : .unsupportedApiKey(apiKey)")
        }
    }
}

/// One row of error-codes.tsv.
struct ErrorEntry {
    var code: Int
    var name: String
    var message: String?
}

/// Parses error-codes.tsv (header line, then code, NAME, message separated by tabs) and adds
/// NONE (0), which Kafka defines with a null message and the table leaves out.
func parseErrorCodes(_ text: String) throws -> [ErrorEntry] {
    var entries: [ErrorEntry] = []
    for (index, line) in text.split(whereSeparator: \.isNewline).enumerated() where index > 0 {
        let columns = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
        guard columns.count == 3, let code = Int(columns[0]) else {
            throw GeneratorError("error-codes.tsv line \(index + 1): expected code, name, message")
        }
        entries.append(ErrorEntry(code: code, name: String(columns[1]), message: String(columns[2])))
    }
    if !entries.contains(where: { $0.code == 0 }) {
        entries.append(ErrorEntry(code: 0, name: "NONE", message: nil))
    }
    entries.sort { $0.code < $1.code }
    let codes = entries.map(\.code)
    guard Set(codes).count == codes.count else { throw GeneratorError("error-codes.tsv: duplicate codes") }
    return entries
}

func emitErrorCode(_ entries: [ErrorEntry], into out: inout CodeWriter) {
    out.line("/// Kafka's error codes (`org.apache.kafka.common.protocol.Errors`), as carried in responses.")
    out.line("///")
    out.line("/// `ErrorCode(rawValue:)` is `nil` for a code this table does not know.")
    out.block("public enum ErrorCode: Int16, Sendable, CaseIterable, CustomStringConvertible") { out in
        for entry in entries {
            if let message = entry.message { out.line("/// \(docText(message))") }
            out.line("case \(escapedIdentifier(lowerCamelFromScreamingSnake(entry.name))) = \(entry.code)")
        }
        out.line()
        out.line("/// Kafka's constant name, e.g. \"NOT_LEADER_OR_FOLLOWER\".")
        out.block("public var kafkaName: String") { out in
            out.switchBlock("self") { out in
                for entry in entries {
                    out.line("case .\(escapedIdentifier(lowerCamelFromScreamingSnake(entry.name))): return \(swiftStringLiteral(entry.name))")
                }
            }
        }
        out.line()
        out.line("/// Kafka's default message for the error; `nil` for `.none`.")
        out.block("public var defaultMessage: String?") { out in
            out.switchBlock("self") { out in
                for entry in entries {
                    let message = entry.message.map(swiftStringLiteral) ?? "nil"
                    out.line("case .\(escapedIdentifier(lowerCamelFromScreamingSnake(entry.name))): return \(message)")
                }
            }
        }
        out.line()
        out.line("public var description: String { kafkaName }")
    }
}
