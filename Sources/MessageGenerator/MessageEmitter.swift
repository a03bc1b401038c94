/// Emits the Swift declaration and codec of one message and its nested structs.
struct MessageEmitter {
    let message: MessageModel

    // MARK: Declarations

    func emit(into out: inout CodeWriter) throws {
        let protocolName: String
        switch message.kind {
        case .request: protocolName = "KafkaRequest"
        case .response: protocolName = "KafkaResponse"
        case .data: protocolName = "KafkaDataMessage"
        }
        out.line("// MARK: - \(message.name)")
        out.line()
        out.line("/// `\(message.name)` from \(message.specFileName): versions \(message.validVersions), flexible \(message.flexibleVersions).")
        try out.block("public struct \(message.name): \(protocolName), Equatable") { out in
            if message.kind == .request {
                out.line("public typealias Response = \(responseName(of: message.name))")
            }
            if let apiKey = message.apiKey, message.kind != .data {
                out.line("public static let apiKey: Int16 = \(apiKey)")
            }
            out.line("public static let validVersions: ClosedRange<Int16> = \(message.validVersions.low)...\(message.validVersions.high)")
            out.line("public static let flexibleVersionsStart: Int16? = \(message.flexibleVersionsStart.map(String.init) ?? "nil")")
            out.line()
            try emitPropertiesAndInit(message.fields, into: &out)
        }
        for structModel in message.structs {
            out.line()
            try out.block("extension \(message.name)") { out in
                out.line("/// `\(structModel.name)`: present in versions \(structModel.context).")
                try out.block("public struct \(structModel.name): KafkaStruct") { out in
                    try emitPropertiesAndInit(structModel.fields, into: &out)
                }
            }
        }
        out.line()
        try emitCodec(typeName: message.name, fields: message.fields, context: message.validVersions, topLevel: true, into: &out)
        for structModel in message.structs {
            out.line()
            try emitCodec(
                typeName: "\(message.name).\(structModel.name)", fields: structModel.fields,
                context: structModel.context, topLevel: false, into: &out)
        }
    }

    private func emitPropertiesAndInit(_ fields: [FieldModel], into out: inout CodeWriter) throws {
        for field in fields {
            var notes = ["versions \(field.versions)"]
            if !field.nullableVersions.isEmpty { notes.append("nullable \(field.nullableVersions)") }
            if let tag = field.tag { notes.append("tag \(tag)") }
            let about = docText(field.about)
            out.line("/// \(about.isEmpty ? "" : about + " ")(\(notes.joined(separator: ", ")))")
            out.line("public var \(field.identifier): \(field.propertyType)")
        }
        if message.hasFlexibleVersions {
            out.line("/// Tagged fields this codec does not know, kept so the message re-encodes unchanged.")
            out.line("public var unknownTaggedFields: [TaggedField]")
        }
        out.line()
        var parameters = try fields.map { "\($0.identifier): \($0.propertyType) = \(try defaultExpression($0))" }
        if message.hasFlexibleVersions { parameters.append("unknownTaggedFields: [TaggedField] = []") }
        if parameters.isEmpty {
            out.line("public init() {}")
            return
        }
        out.line("public init(")
        for (index, parameter) in parameters.enumerated() {
            out.line("    \(parameter)\(index == parameters.count - 1 ? "" : ",")")
        }
        out.block(")") { out in
            for field in fields { out.line("self.\(field.identifier) = \(field.identifier)") }
            if message.hasFlexibleVersions { out.line("self.unknownTaggedFields = unknownTaggedFields") }
        }
    }

    // MARK: Codec

    private func emitCodec(
        typeName: String, fields: [FieldModel], context: VersionRange, topLevel: Bool, into out: inout CodeWriter
    ) throws {
        let flexible = message.flexibleVersions.condition(within: context)
        let flexibleExpression: String
        switch flexible {
        case nil: flexibleExpression = "true"
        case "false": flexibleExpression = "false"
        default: flexibleExpression = "flexible"
        }
        let tagged = fields.filter(\.isTagged).sorted { ($0.tag ?? 0) < ($1.tag ?? 0) }
        let inline = fields.filter { !$0.isTagged && $0.versions.condition(within: context) != "false" }

        try out.block("extension \(typeName)") { out in
            // Decoder
            var body = CodeWriter()
            if topLevel {
                let error =
                    message.kind == .data
                    ? ".unsupportedSchemaVersion(schema: \(swiftStringLiteral(message.name)), version: version)"
                    : ".unsupportedVersion(apiKey: Self.apiKey, version: version)"
                body.block("guard Self.validVersions.contains(version) else") { $0.line("throw \(error)") }
            }
            body.line("self.init()")
            var reads = CodeWriter()
            for field in inline {
                try emitRead(field, context: context, flexible: flexibleExpression, into: &reads)
            }
            if message.hasFlexibleVersions, flexibleExpression != "false" {
                try reads.conditional(flexibleExpression == "true" ? nil : flexibleExpression) { out in
                    try emitTaggedRead(tagged, context: context, into: &out)
                }
            }
            // "flexible" is only chosen when the message has flexible versions in this context, so the
            // tagged-field section below always uses the variable.
            if flexibleExpression == "flexible" {
                body.line("let flexible = \(flexible ?? "true")")
            }
            for line in reads.lines { body.line(line) }
            out.block(
                "public init(from buffer: inout ByteBuffer, version: Int16) throws(KafkaProtocolError)"
            ) { out in
                for line in body.lines { out.line(line) }
            }
            out.line()

            // Encoder
            var writes = CodeWriter()
            for field in inline {
                try emitWrite(field, context: context, flexible: flexibleExpression, into: &writes)
            }
            if message.hasFlexibleVersions, flexibleExpression != "false" {
                try writes.conditional(flexibleExpression == "true" ? nil : flexibleExpression) { out in
                    try emitTaggedWrite(tagged, context: context, into: &out)
                }
            }
            out.block("public func encode(to writer: inout MessageWriter, version: Int16)") { out in
                if flexibleExpression == "flexible" {
                    out.line("let flexible = \(flexible ?? "true")")
                }
                for line in writes.lines { out.line(line) }
            }
        }
    }

    /// The compact flag of `field`: its own flexibleVersions if it has them, else the message's.
    private func compactExpression(_ field: FieldModel, flexible: String) -> String {
        guard let override = field.flexibleOverride else { return flexible }
        switch override.condition(within: field.versions) {
        case nil: return "true"
        case "false": return "false"
        case let condition?: return "(\(condition))"
        }
    }

    private func emitRead(_ field: FieldModel, context: VersionRange, flexible: String, into out: inout CodeWriter) throws {
        let compact = compactExpression(field, flexible: flexible)
        let target = "self.\(field.identifier)"
        try out.conditional(field.versions.condition(within: context)) { out in
            let nullable = field.nullableVersions.condition(within: field.versions)
            switch nullable {
            case nil where !field.nullableVersions.isEmpty:
                out.line("\(target) = \(try readExpression(field.type, nullable: true, compact: compact))")
            case nil, "false":
                out.line("\(target) = \(try readExpression(field.type, nullable: false, compact: compact))")
            case let condition?:
                let nullableRead = try readExpression(field.type, nullable: true, compact: compact)
                let plainRead = try readExpression(field.type, nullable: false, compact: compact)
                out.ifElse(condition, then: { $0.line("\(target) = \(nullableRead)") }, otherwise: { $0.line("\(target) = \(plainRead)") })
            }
        }
    }

    private func emitWrite(_ field: FieldModel, context: VersionRange, flexible: String, into out: inout CodeWriter) throws {
        let compact = compactExpression(field, flexible: flexible)
        let value = "self.\(field.identifier)"
        try out.conditional(field.versions.condition(within: context)) { out in
            let nullable = field.nullableVersions.condition(within: field.versions)
            switch nullable {
            case nil where !field.nullableVersions.isEmpty:
                out.line(try writeStatement(field.type, value: value, optional: field.isOptional, nullable: true, compact: compact))
            case nil, "false":
                out.line(try writeStatement(field.type, value: value, optional: field.isOptional, nullable: false, compact: compact))
            case let condition?:
                let nullableWrite = try writeStatement(field.type, value: value, optional: true, nullable: true, compact: compact)
                let plainWrite = try writeStatement(field.type, value: value, optional: true, nullable: false, compact: compact)
                out.ifElse(condition, then: { $0.line(nullableWrite) }, otherwise: { $0.line(plainWrite) })
            }
        }
    }

    private func emitTaggedRead(_ tagged: [FieldModel], context: VersionRange, into out: inout CodeWriter) throws {
        if tagged.isEmpty {
            out.line("self.unknownTaggedFields = try buffer.readKafkaUnknownTaggedFields()")
            return
        }
        out.line("let taggedFieldCount = try buffer.readKafkaTaggedFieldCount()")
        try out.block("for _ in 0..<taggedFieldCount") { out in
            out.line("var field = try buffer.readKafkaTaggedField()")
            try out.switchBlock("field.tag") { out in
                for field in tagged {
                    let condition = field.taggedVersions.condition(within: context)
                    if condition == "false" { continue }
                    let label = "case \(field.tag ?? 0)\(condition.map { " where \($0)" } ?? ""):"
                    out.line(label)
                    let read = try readExpression(
                        field.type, nullable: !field.nullableVersions.isEmpty, compact: "true", buffer: "field.data")
                    out.line("    self.\(field.identifier) = \(read)")
                    out.line("    try field.requireFullyRead()")
                }
                out.line("default:")
                out.line("    self.unknownTaggedFields.append(field)")
            }
        }
    }

    private func emitTaggedWrite(_ tagged: [FieldModel], context: VersionRange, into out: inout CodeWriter) throws {
        if tagged.isEmpty {
            out.line("writer.writeKafkaTaggedFields(self.unknownTaggedFields)")
            return
        }
        var flags: [(field: FieldModel, flag: String)] = []
        for field in tagged {
            let condition = field.taggedVersions.condition(within: context)
            if condition == "false" { continue }
            let flag = "write" + field.specName.prefix(1).uppercased() + field.specName.dropFirst()
            let nonDefault = try nonDefaultCondition(field)
            out.line("let \(flag) = \(condition.map { "\($0) && " } ?? "")\(nonDefault)")
            flags.append((field, flag))
        }
        out.line("var taggedFieldCount = self.unknownTaggedFields.count")
        for (_, flag) in flags { out.line("if \(flag) { taggedFieldCount += 1 }") }
        out.line("writer.writeUnsignedVarint(UInt32(truncatingIfNeeded: taggedFieldCount))")
        out.line("var unknownTaggedFields = self.unknownTaggedFields[...]")
        for (field, flag) in flags {
            let tag = field.tag ?? 0
            let write = try writeStatement(
                field.type, value: "self.\(field.identifier)", optional: field.isOptional,
                nullable: !field.nullableVersions.isEmpty, compact: "true")
            out.block("if \(flag)") { out in
                out.line("writer.writeUnknownTaggedFields(&unknownTaggedFields, below: \(tag))")
                out.closure("writer.writeKafkaTaggedField(tag: \(tag)) { (writer: inout MessageWriter) in") { out in
                    out.line(write)
                }
            }
        }
        out.line("writer.writeUnknownTaggedFields(&unknownTaggedFields, below: nil)")
    }

    // MARK: Expressions

    /// Qualifies nested struct names so codec extensions can name them.
    func qualified(_ type: FieldType) -> String {
        switch type {
        case .structure(let name): "\(message.name).\(name)"
        case .array(let element): "[\(qualified(element))]"
        default: type.swiftType
        }
    }

    func readExpression(_ type: FieldType, nullable: Bool, compact: String, buffer: String = "buffer") throws -> String {
        switch type {
        case .bool: return "try \(buffer).readKafkaBool()"
        case .int8: return "try \(buffer).readKafkaInt8()"
        case .int16: return "try \(buffer).readKafkaInt16()"
        case .int32: return "try \(buffer).readKafkaInt32()"
        case .int64: return "try \(buffer).readKafkaInt64()"
        case .uint16: return "try \(buffer).readKafkaUInt16()"
        case .uint32: return "try \(buffer).readKafkaUInt32()"
        case .float64: return "try \(buffer).readKafkaFloat64()"
        case .uuid: return "try \(buffer).readKafkaUUID()"
        case .string:
            return "try \(buffer).readKafka\(nullable ? "Nullable" : "")String(compact: \(compact))"
        case .bytes:
            return "try \(buffer).readKafka\(nullable ? "Nullable" : "")Bytes(compact: \(compact))"
        case .records:
            return nullable
                ? "try \(buffer).readKafkaRecords(compact: \(compact))"
                : "RecordsPayload.bytes(try \(buffer).readKafkaBytes(compact: \(compact)))"
        case .structure:
            return "try \(qualified(type))(from: &\(buffer), version: version)"
        case .array(let element):
            let function = nullable ? "readKafkaNullableArray" : "readKafkaArray"
            if case .structure = element {
                return "try \(buffer).\(function)(of: \(qualified(element)).self, version: version, compact: \(compact))"
            }
            let elementRead = try readExpression(element, nullable: false, compact: compact, buffer: "buffer")
            return "try \(buffer).\(function)(compact: \(compact)) { (buffer: inout ByteBuffer) throws(KafkaProtocolError) -> \(element.swiftType) in \(elementRead) }"
        }
    }

    func writeStatement(_ type: FieldType, value: String, optional: Bool, nullable: Bool, compact: String) throws -> String {
        switch type {
        case .bool: return "writer.writeBool(\(value))"
        case .int8: return "writer.writeInt8(\(value))"
        case .int16: return "writer.writeInt16(\(value))"
        case .int32: return "writer.writeInt32(\(value))"
        case .int64: return "writer.writeInt64(\(value))"
        case .uint16: return "writer.writeUInt16(\(value))"
        case .uint32: return "writer.writeUInt32(\(value))"
        case .float64: return "writer.writeFloat64(\(value))"
        case .uuid: return "writer.writeUUID(\(value))"
        case .string:
            if nullable { return "writer.writeKafkaNullableString(\(value), compact: \(compact))" }
            return "writer.writeKafkaString(\(value)\(optional ? " ?? \"\"" : ""), compact: \(compact))"
        case .bytes:
            if nullable { return "writer.writeKafkaNullableBytes(\(value), compact: \(compact))" }
            return "writer.writeKafkaBytes(\(value)\(optional ? " ?? ByteBuffer()" : ""), compact: \(compact))"
        case .records:
            if nullable { return "writer.writeKafkaRecords(\(value), compact: \(compact))" }
            return "writer.writeKafkaRecords(\(value) ?? RecordsPayload.bytes(ByteBuffer()), compact: \(compact))"
        case .structure:
            return "\(value).encode(to: &writer, version: version)"
        case .array(let element):
            if case .structure = element {
                if nullable { return "writer.writeKafkaNullableArray(\(value), version: version, compact: \(compact))" }
                return "writer.writeKafkaArray(\(value)\(optional ? " ?? []" : ""), version: version, compact: \(compact))"
            }
            let elementWrite = try writeStatement(element, value: "element", optional: false, nullable: false, compact: compact)
            let function = nullable ? "writeKafkaNullableArray" : "writeKafkaArray"
            let argument = nullable || !optional ? value : "\(value) ?? []"
            return "writer.\(function)(\(argument), compact: \(compact)) { (writer: inout MessageWriter, element: \(element.swiftType)) in \(elementWrite) }"
        }
    }

    /// The Swift default of a property: the spec's `default`, else Kafka's zero value.
    func defaultExpression(_ field: FieldModel) throws -> String {
        if field.isOptional && (field.defaultIsNull || field.type == .records) { return "nil" }
        let text = field.specDefault?.text
        switch field.type {
        case .bool:
            guard let text else { return "false" }
            switch text.lowercased() {
            case "true": return "true"
            case "false": return "false"
            default: throw GeneratorError("\(field.specName): bad bool default \(text)")
            }
        case .int8, .int16, .int32, .int64, .uint16, .uint32:
            guard let text else { return "0" }
            return String(try integerDefault(text, type: field.type, field: field.specName))
        case .float64:
            guard let text else { return "0.0" }
            guard let value = Double(text) else { throw GeneratorError("\(field.specName): bad float default \(text)") }
            return "\(value)"
        case .string:
            return swiftStringLiteral(text ?? "")
        case .bytes:
            if let text, !text.isEmpty { throw GeneratorError("\(field.specName): bytes default \(text) unsupported") }
            return "ByteBuffer()"
        case .uuid:
            if let text, text != "0", !text.isEmpty { throw GeneratorError("\(field.specName): uuid default \(text) unsupported") }
            return "KafkaUUID.zero"
        case .records:
            return "nil"
        case .array:
            if let text, !text.isEmpty { throw GeneratorError("\(field.specName): array default \(text) unsupported") }
            return "[]"
        case .structure(let name):
            if let text, !text.isEmpty { throw GeneratorError("\(field.specName): struct default \(text) unsupported") }
            return "\(name)()"
        }
    }

    /// A condition that holds when a tagged field differs from its default (Kafka writes it then).
    func nonDefaultCondition(_ field: FieldModel) throws -> String {
        let value = "self.\(field.identifier)"
        let defaultValue = try defaultExpression(field)
        if defaultValue == "nil" { return "\(value) != nil" }
        switch field.type {
        case .array where !field.isOptional: return "!\(value).isEmpty"
        case .bytes where !field.isOptional: return "\(value).readableBytes != 0"
        case .structure: return "\(value) != \(qualified(field.type))()"
        default: return "\(value) != \(defaultValue)"
        }
    }
}

/// "ProduceRequest" → "ProduceResponse".
func responseName(of requestName: String) -> String {
    String(requestName.dropLast("Request".count)) + "Response"
}

/// Parses a spec integer default ("-1", "0x7fffffff") and checks it fits `type`.
func integerDefault(_ text: String, type: FieldType, field: String) throws -> Int64 {
    var digits = Substring(text.trimmingCharacters(in: .whitespaces))
    var negative = false
    if digits.hasPrefix("-") {
        negative = true
        digits = digits.dropFirst()
    }
    let parsed: Int64?
    if digits.hasPrefix("0x") || digits.hasPrefix("0X") {
        parsed = Int64(digits.dropFirst(2), radix: 16)
    } else {
        parsed = Int64(digits)
    }
    guard let magnitude = parsed else { throw GeneratorError("\(field): bad integer default \(text)") }
    let value = negative ? -magnitude : magnitude
    let range: ClosedRange<Int64>
    switch type {
    case .int8: range = Int64(Int8.min)...Int64(Int8.max)
    case .int16: range = Int64(Int16.min)...Int64(Int16.max)
    case .int32: range = Int64(Int32.min)...Int64(Int32.max)
    case .uint16: range = 0...Int64(UInt16.max)
    case .uint32: range = 0...Int64(UInt32.max)
    default: range = Int64.min...Int64.max
    }
    guard range.contains(value) else { throw GeneratorError("\(field): default \(text) out of range") }
    return value
}
