/// Emits test samples: for every message and version, a value with a non-default value in every
/// field present at that version (arrays with one element, tagged fields set, an unknown tagged
/// field in flexible versions). The test target declares the `GeneratedSample` protocol.
struct SampleEmitter {
    let message: MessageModel
    private let codec: MessageEmitter

    /// A tag no spec uses, for the unknown tagged field every flexible sample carries.
    static let unknownTag = 90

    init(message: MessageModel) {
        self.message = message
        self.codec = MessageEmitter(message: message)
    }

    func emit(into out: inout CodeWriter) throws {
        try emitSample(
            typeName: message.name, conformance: ": GeneratedSample", fields: message.fields,
            context: message.validVersions, into: &out)
        for structModel in message.structs {
            out.line()
            try emitSample(
                typeName: "\(message.name).\(structModel.name)", conformance: "", fields: structModel.fields,
                context: structModel.context, into: &out)
        }
    }

    private func emitSample(
        typeName: String, conformance: String, fields: [FieldModel], context: VersionRange, into out: inout CodeWriter
    ) throws {
        try out.block("extension \(typeName)\(conformance)") { out in
            try out.block("static func sample(version: Int16) -> \(typeName)") { out in
                out.line("var sample = \(typeName)()")
                for (index, field) in fields.enumerated() {
                    if let tag = field.tag, tag >= Self.unknownTag {
                        throw GeneratorError("\(typeName).\(field.specName): tag \(tag) collides with the sample's unknown tag")
                    }
                    let condition = field.versions.condition(within: context)
                    if condition == "false" { continue }
                    let value = try sampleValue(field, seed: index + 1)
                    out.conditional(condition) { $0.line("sample.\(field.identifier) = \(value)") }
                }
                if message.hasFlexibleVersions {
                    let condition = message.flexibleVersions.condition(within: context)
                    if condition != "false" {
                        out.conditional(condition) { out in
                            out.line(
                                "sample.unknownTaggedFields = [TaggedField(tag: \(Self.unknownTag), data: ByteBuffer(bytes: [0xAB, 0xCD]))]"
                            )
                        }
                    }
                }
                out.line("return sample")
            }
        }
    }

    private func sampleValue(_ field: FieldModel, seed: Int) throws -> String {
        let defaultValue = try codec.defaultExpression(field)
        return try value(of: field.type, name: field.specName, seed: seed, avoiding: defaultValue)
    }

    private func value(of type: FieldType, name: String, seed: Int, avoiding defaultValue: String) throws -> String {
        func integer(_ base: Int64) -> String {
            var candidate = base + Int64(seed)
            if String(candidate) == defaultValue { candidate += 1 }
            return String(candidate)
        }
        switch type {
        case .bool: return defaultValue == "true" ? "false" : "true"
        case .int8: return integer(0)
        case .int16: return integer(300)
        case .int32: return integer(70_000)
        case .int64: return integer(5_000_000_000)
        case .uint16: return integer(40_000)
        case .uint32: return integer(3_000_000_000)
        case .float64: return "\(Double(seed) + 0.5)"
        case .string: return swiftStringLiteral("\(name)-ü\(seed)")
        case .bytes: return "ByteBuffer(bytes: [\(seed % 256), 0xFF, 0x00])"
        case .uuid: return "KafkaUUID(high: \(seed), low: 0x0102_0304_0506_0708)"
        case .records: return "RecordsPayload.bytes(ByteBuffer(bytes: [0x00, 0x01, 0x02, \(seed % 256)]))"
        case .structure: return "\(codec.qualified(type)).sample(version: version)"
        case .array(let element):
            return "[\(try value(of: element, name: name, seed: seed, avoiding: ""))]"
        }
    }
}
