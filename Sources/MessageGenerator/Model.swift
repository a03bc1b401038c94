/// The generator's resolved view of a spec: Swift names, types and the version range in which
/// each struct can occur.

indirect enum FieldType: Equatable {
    case bool, int8, int16, int32, int64, uint16, uint32, float64, string, bytes, uuid, records
    case array(FieldType)
    case structure(String)

    init(parsing text: String) {
        if text.hasPrefix("[]") {
            self = .array(FieldType(parsing: String(text.dropFirst(2))))
            return
        }
        switch text {
        case "bool": self = .bool
        case "int8": self = .int8
        case "int16": self = .int16
        case "int32": self = .int32
        case "int64": self = .int64
        case "uint16": self = .uint16
        case "uint32": self = .uint32
        case "float64": self = .float64
        case "string": self = .string
        case "bytes": self = .bytes
        case "uuid": self = .uuid
        case "records": self = .records
        default: self = .structure(text)
        }
    }

    /// The Swift type of a non-null value.
    var swiftType: String {
        switch self {
        case .bool: "Bool"
        case .int8: "Int8"
        case .int16: "Int16"
        case .int32: "Int32"
        case .int64: "Int64"
        case .uint16: "UInt16"
        case .uint32: "UInt32"
        case .float64: "Double"
        case .string: "String"
        case .bytes: "ByteBuffer"
        case .uuid: "KafkaUUID"
        case .records: "RecordsPayload"
        case .array(let element): "[\(element.swiftType)]"
        case .structure(let name): name
        }
    }
}

struct FieldModel {
    var specName: String
    /// lowerCamel, backtick-escaped when it is a keyword.
    var identifier: String
    var type: FieldType
    /// Versions in which the field is present, within the owning struct's context.
    var versions: VersionRange
    var nullableVersions: VersionRange
    var taggedVersions: VersionRange
    var tag: Int?
    /// The field's own `flexibleVersions` (only RequestHeader.ClientId has one: "none").
    var flexibleOverride: VersionRange?
    var specDefault: SpecDefault?
    var about: String

    /// The Swift property holds `nil` in some version.
    var isOptional: Bool {
        if case .records = type { return true }
        return !nullableVersions.isEmpty
    }

    var propertyType: String { isOptional ? "\(type.swiftType)?" : type.swiftType }

    var isTagged: Bool { tag != nil }

    var defaultIsNull: Bool { specDefault?.text == "null" }
}

final class StructModel {
    /// The Swift type name (the spec's struct name).
    var name: String
    var fields: [FieldModel]
    /// The message versions in which this struct can occur.
    var context: VersionRange

    init(name: String, fields: [FieldModel], context: VersionRange) {
        self.name = name
        self.fields = fields
        self.context = context
    }
}

enum MessageKind {
    case request, response, data
}

struct MessageModel {
    var name: String
    var kind: MessageKind
    var apiKey: Int?
    var validVersions: VersionRange
    var flexibleVersions: VersionRange
    var fields: [FieldModel]
    /// Nested structs in declaration order (inline definitions first, then common structs).
    var structs: [StructModel]
    /// e.g. "ProduceRequest.json".
    var specFileName: String

    var hasFlexibleVersions: Bool { !flexibleVersions.intersection(validVersions).isEmpty }

    var flexibleVersionsStart: Int? {
        let flexible = flexibleVersions.intersection(validVersions)
        return flexible.isEmpty ? nil : flexibleVersions.low
    }
}

/// Resolves a spec into a `MessageModel`, checking the features the emitter relies on.
func buildMessage(_ spec: SpecFile, fileName: String) throws -> MessageModel {
    let valid = try VersionRange(parsing: spec.validVersions)
    let flexible = try VersionRange(parsing: spec.flexibleVersions)
    let kind: MessageKind
    switch spec.type {
    case "request": kind = .request
    case "response": kind = .response
    case "header", "data": kind = .data
    default: throw GeneratorError("\(fileName): unsupported message type \(spec.type)")
    }

    let commonSpecs = spec.commonStructs ?? []
    let commonNames = Set(commonSpecs.map(\.name))

    // Contexts of common structs are the hull of every use; a fixpoint covers common structs
    // that use other common structs.
    var commonContexts: [String: VersionRange] = [:]
    func collectUses(_ fields: [SpecField], context: VersionRange) throws {
        for field in fields {
            let fieldContext = try VersionRange(parsing: field.versions).intersection(context)
            let base = baseStructName(FieldType(parsing: field.type))
            if let base, field.fields == nil, commonNames.contains(base) {
                commonContexts[base] = (commonContexts[base] ?? .empty).hull(fieldContext)
            }
            if let nested = field.fields { try collectUses(nested, context: fieldContext) }
        }
    }
    var previous: [String: VersionRange] = ["": .empty]
    while previous != commonContexts {
        previous = commonContexts
        try collectUses(spec.fields, context: valid)
        for common in commonSpecs {
            try collectUses(common.fields, context: commonContexts[common.name] ?? .empty)
        }
    }

    var structs: [StructModel] = []
    var definedNames: Set<String> = []
    func define(_ name: String, fields specFields: [SpecField], context: VersionRange) throws {
        guard !definedNames.contains(name) else { throw GeneratorError("\(fileName): struct \(name) defined twice") }
        guard !reservedTypeNames.contains(name), name != spec.name else {
            throw GeneratorError("\(fileName): struct name \(name) is reserved")
        }
        definedNames.insert(name)
        let model = StructModel(name: name, fields: [], context: context)
        structs.append(model)
        model.fields = try resolveFields(specFields, context: context)
    }
    func resolveFields(_ specFields: [SpecField], context: VersionRange) throws -> [FieldModel] {
        var result: [FieldModel] = []
        for field in specFields {
            let model = try resolveField(field, context: context, flexible: flexible, fileName: fileName)
            if let base = baseStructName(model.type) {
                if let nested = field.fields {
                    try define(base, fields: nested, context: model.versions)
                } else if !commonNames.contains(base) {
                    throw GeneratorError("\(fileName): field \(field.name) uses undefined struct \(base)")
                }
            }
            result.append(model)
        }
        let identifiers = result.map(\.identifier)
        if Set(identifiers).count != identifiers.count {
            throw GeneratorError("\(fileName): duplicate field names in \(identifiers)")
        }
        return result
    }

    let fields = try resolveFields(spec.fields, context: valid)
    for common in commonSpecs {
        try define(common.name, fields: common.fields, context: commonContexts[common.name] ?? .empty)
    }
    return MessageModel(
        name: spec.name, kind: kind, apiKey: spec.apiKey, validVersions: valid, flexibleVersions: flexible,
        fields: fields, structs: structs, specFileName: fileName)
}

func baseStructName(_ type: FieldType) -> String? {
    switch type {
    case .structure(let name): name
    case .array(let element): baseStructName(element)
    default: nil
    }
}

private func resolveField(
    _ field: SpecField, context: VersionRange, flexible: VersionRange, fileName: String
) throws -> FieldModel {
    let location = "\(fileName): field \(field.name)"
    let versions = try VersionRange(parsing: field.versions).intersection(context)
    let nullable = try VersionRange(parsing: field.nullableVersions ?? "none").intersection(versions)
    let tagged = try VersionRange(parsing: field.taggedVersions ?? "none").intersection(versions)
    let type = FieldType(parsing: field.type)
    let tag = try field.tag.map { value -> Int in
        guard let tag = Int(value.text), tag >= 0 else { throw GeneratorError("\(location): bad tag \(value.text)") }
        return tag
    }
    if tag != nil || field.taggedVersions != nil {
        guard tag != nil, tagged == versions else {
            throw GeneratorError("\(location): fields tagged in only some of their versions are not supported")
        }
        guard flexible.contains(tagged) else { throw GeneratorError("\(location): tagged outside flexible versions") }
        if case .records = type { throw GeneratorError("\(location): tagged records are not supported") }
    }
    if case .structure = type, !nullable.isEmpty {
        throw GeneratorError("\(location): nullable structs are not supported")
    }
    switch type {
    case .string, .bytes, .records, .array: break
    default:
        if !nullable.isEmpty { throw GeneratorError("\(location): type \(field.type) cannot be nullable") }
    }
    if case .array(let element) = type, case .array = element {
        throw GeneratorError("\(location): nested arrays are not supported")
    }
    if case .array(.records) = type { throw GeneratorError("\(location): arrays of records are not supported") }
    if case .array(.bytes) = type { throw GeneratorError("\(location): arrays of bytes are not supported") }
    let model = FieldModel(
        specName: field.name,
        identifier: escapedIdentifier(lowerCamel(field.name)),
        type: type,
        versions: versions,
        nullableVersions: nullable,
        taggedVersions: tagged,
        tag: tag,
        flexibleOverride: try field.flexibleVersions.map { try VersionRange(parsing: $0) },
        specDefault: field.default,
        about: field.about ?? "")
    if model.defaultIsNull && !model.isOptional {
        throw GeneratorError("\(location): default null on a field that is never nullable")
    }
    return model
}
