// The declarative core of the config layer: a config section lists its fields once (key, key path,
// codec, doc), and from that list come the strict decoder (unknown keys rejected with the nearest
// valid key), the JSON written back, the JSON Schema and the Markdown reference. No reflection.

/// A config struct decoded from one JSON object.
protocol ConfigSection: Equatable {
    /// A value with every field at its default (required fields hold a placeholder).
    init()
    /// Every JSON key of the section, in documentation and output order.
    static var fields: [ConfigField<Self>] { get }
    /// Keys handled elsewhere (e.g. `extends`), offered as suggestions but not decoded here.
    static var reservedKeys: [String] { get }
    /// One sentence describing the section, for the schema and the docs.
    static var summary: String { get }
    /// Checks that involve several fields, and defaults that depend on other fields.
    mutating func finish(_ context: SectionContext) throws(ConfigError)
}

extension ConfigSection {
    static var reservedKeys: [String] { [] }
    mutating func finish(_ context: SectionContext) throws(ConfigError) {}
}

/// The JSON object a section was decoded from, for errors raised by `finish`.
struct SectionContext {
    var object: JSONValue
    var path: JSONPath

    /// An invalid-value error at the dotted `keyPath` below this object (e.g. `discriminator.pac`),
    /// located at the deepest value present there.
    func invalid(_ keyPath: String, _ message: String) -> ConfigError {
        var node = object
        var errorPath = path
        for key in keyPath.split(separator: ".").map(String.init) {
            errorPath = errorPath.appending(key: key)
            if let child = node[key] { node = child }
        }
        return configError(.invalidValue, node, errorPath, message)
    }
}

/// One key of a section: how it is decoded into, and encoded from, its property.
struct ConfigField<Root: ConfigSection> {
    let name: String
    let doc: String
    let isRequired: Bool
    let typeDescription: String
    /// The default as JSON, or nil when it is computed (then `defaultNote` says how).
    let defaultValue: JSONValue?
    let defaultNote: String?
    let schemaKeywords: [(String, JSONValue)]
    let decodeInto: (inout Root, JSONValue, JSONPath) throws(ConfigError) -> Void
    let encodeFrom: (Root, _ baseDirectory: String) -> JSONValue
    let sections: (_ docPath: String) -> [SectionDocumentation]

    /// - Parameters:
    ///   - name: the JSON key, equal to the Swift property name.
    ///   - keyPath: the property it fills.
    ///   - codec: type, checks and schema of the value.
    ///   - doc: one sentence for the schema `description` and the docs table.
    ///   - required: the key must be present (no default).
    ///   - defaultNote: for a default computed at load time, how it is computed.
    init<Value>(_ name: String, _ keyPath: WritableKeyPath<Root, Value>, _ codec: ValueCodec<Value>, _ doc: String,
                required: Bool = false, defaultNote: String? = nil) {
        self.name = name
        self.doc = doc
        self.isRequired = required
        self.typeDescription = codec.typeDescription
        self.defaultValue = required || defaultNote != nil ? nil : codec.encode(Root()[keyPath: keyPath], ".")
        self.defaultNote = defaultNote
        self.schemaKeywords = codec.schema
        self.decodeInto = { root, node, path throws(ConfigError) in root[keyPath: keyPath] = try codec.decode(node, path) }
        self.encodeFrom = { root, base in codec.encode(root[keyPath: keyPath], base) }
        self.sections = codec.sections
    }

    /// The property's JSON Schema: its codec's keywords plus description and default.
    var schema: JSONValue {
        var keywords = [("description", JSONValue.string(defaultNote.map { "\(doc) Default: \($0)." } ?? doc))]
        keywords += schemaKeywords
        if let defaultValue, !isSectionDefault { keywords.append(("default", defaultValue)) }
        return .object(keywords)
    }

    /// Whole nested sections are documented field by field, not as one big default object.
    var isSectionDefault: Bool { defaultValue?.members != nil && schemaKeywords.contains { $0.0 == "properties" } }
}

/// One table of docs/CONFIG.md: the keys of a section.
struct SectionDocumentation {
    struct Row {
        var key: String, type: String, defaultText: String, doc: String
    }
    /// Dotted key path of the section, e.g. `training` or `data.columns.<column>`; empty for the top level.
    var path: String
    var summary: String
    var rows: [Row]
}

extension ConfigSection {
    /// Decodes a section strictly: every key must be declared (keys starting with `_` are
    /// comments and skipped), required keys must be present, then `finish` runs.
    static func decode(_ node: JSONValue, path: JSONPath) throws(ConfigError) -> Self {
        guard let members = node.members else { throw typeMismatch("object", node, path) }
        let fields = Self.fields
        var result = Self()
        for member in members where !member.key.hasPrefix("_") {
            guard let field = fields.first(where: { $0.name == member.key }) else {
                throw unknownKey(member, in: node, path: path)
            }
            try field.decodeInto(&result, member.value, path.appending(key: member.key))
        }
        for field in fields where field.isRequired && node[field.name] == nil {
            throw configError(.missingKey, node, path.appending(key: field.name),
                              "required key \"\(field.name)\" is missing (\(field.doc))")
        }
        try result.finish(SectionContext(object: node, path: path))
        return result
    }

    private static func unknownKey(_ member: JSONMember, in node: JSONValue, path: JSONPath) -> ConfigError {
        let valid = fields.map(\.name) + reservedKeys
        let hint = nearestName(to: member.key, among: valid).map { "did you mean \"\($0)\"? " } ?? ""
        var error = configError(.unknownKey, member.value, path.appending(key: member.key),
                                "unknown key \"\(abbreviated(member.key))\"; \(hint)valid keys here: \(valid.joined(separator: ", "))")
        if let keyLocation = member.keyLocation { error.location = keyLocation }
        return error
    }

    /// Every field as JSON, in declared order, defaults included.
    func encode(baseDirectory: String) -> JSONValue {
        .object(Self.fields.map { ($0.name, $0.encodeFrom(self, baseDirectory)) })
    }

    /// JSON Schema of the section object: closed (`additionalProperties: false`) except for `_` comments.
    static var objectSchema: [(String, JSONValue)] {
        var keywords: [(String, JSONValue)] = [("type", .string("object"))]
        keywords.append(("properties", .object(fields.map { ($0.name, $0.schema) })))
        let required = fields.filter(\.isRequired).map { JSONValue.string($0.name) }
        if !required.isEmpty { keywords.append(("required", .array(required))) }
        keywords.append(("patternProperties", .object([("^_", .object([("description", .string("A comment; ignored."))]))])))
        keywords.append(("additionalProperties", .bool(false)))
        return keywords
    }

    /// The docs table of this section followed by those of its nested sections.
    static func documentation(path: String) -> [SectionDocumentation] {
        let rows = fields.map { field in
            SectionDocumentation.Row(
                key: field.name, type: field.typeDescription,
                defaultText: field.isRequired ? "required" : field.defaultNote ?? (field.isSectionDefault ? "see below" : "`\(field.defaultValue!.serialized(indent: nil))`"),
                doc: field.doc)
        }
        let nested = fields.flatMap { $0.sections(path.isEmpty ? $0.name : path + "." + $0.name) }
        return [SectionDocumentation(path: path, summary: summary, rows: rows)] + nested
    }
}

extension ValueCodec where Value: ConfigSection {
    /// A nested section object; when the key is absent the section keeps all its defaults.
    static func section(_ type: Value.Type) -> ValueCodec {
        ValueCodec(
            typeDescription: "object", schema: Value.objectSchema,
            decode: { node, path throws(ConfigError) in try Value.decode(node, path: path) },
            encode: { value, base in value.encode(baseDirectory: base) },
            sections: { docPath in Value.documentation(path: docPath) })
    }
}
