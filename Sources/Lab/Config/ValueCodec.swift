// How one kind of config value is read from located JSON (strictly), written back, and described
// in the JSON Schema and in docs/CONFIG.md. Each codec states its checks once, and the decoder,
// the schema and the docs all come from it, so they cannot disagree.

/// Reads, writes and describes values of one Swift type.
struct ValueCodec<Value> {
    /// Human description for docs and errors, e.g. "integer ≥ 1" or `"batch" | "layer" | "none"`.
    var typeDescription: String
    /// JSON Schema keywords for the value (no description or default), in output order.
    var schema: [(String, JSONValue)]
    /// Strict decoding; errors name the node's location and `path`.
    var decode: (JSONValue, JSONPath) throws(ConfigError) -> Value
    /// Writes the value; `baseDirectory` is the directory paths are written relative to.
    var encode: (Value, _ baseDirectory: String) -> JSONValue
    /// Reference tables of the config sections this value contains, given its key path in docs.
    var sections: (_ docPath: String) -> [SectionDocumentation] = { _ in [] }
}

/// The error for `node` at `path`, located at the node (or nowhere, for values built in code).
func configError(_ kind: ConfigError.Kind, _ node: JSONValue, _ path: JSONPath, _ message: String) -> ConfigError {
    ConfigError(kind, at: node.location ?? SourceLocation(file: "<built in code>", line: 0, column: 0),
                path: path.description, message)
}

/// "string \"abc\"", "integer 3", "object": how a found value is shown in messages.
func describeFound(_ node: JSONValue) -> String {
    switch node.kind {
    case .array, .object, .null: return node.typeName
    case .double where node.literal != nil: return node.typeName + " " + abbreviated(node.literal!)
    default:
        return node.typeName + " " + abbreviated(node.serialized(indent: nil))
    }
}

func typeMismatch(_ expected: String, _ node: JSONValue, _ path: JSONPath) -> ConfigError {
    configError(.typeMismatch, node, path, "expected \(expected), found \(describeFound(node))")
}

/// Runs `decode`; a type mismatch of the node itself is re-raised naming the outer `description`
/// (e.g. "non-empty string or null" rather than the inner "string").
func decoding<Value>(_ node: JSONValue, _ path: JSONPath, as description: String,
                     _ decode: (JSONValue, JSONPath) throws(ConfigError) -> Value) throws(ConfigError) -> Value {
    do {
        return try decode(node, path)
    } catch where error.kind == .typeMismatch && error.path == path.description {
        throw typeMismatch(description, node, path)
    }
}

extension ValueCodec where Value == Bool {
    static var boolean: ValueCodec {
        ValueCodec(typeDescription: "boolean", schema: [("type", .string("boolean"))],
                   decode: { node, path throws(ConfigError) in
                       guard case .bool(let value) = node.kind else { throw typeMismatch("boolean", node, path) }
                       return value
                   },
                   encode: { value, _ in .bool(value) })
    }
}

extension ValueCodec where Value == String {
    static var string: ValueCodec {
        ValueCodec(typeDescription: "string", schema: [("type", .string("string"))],
                   decode: { node, path throws(ConfigError) in
                       guard case .string(let value) = node.kind else { throw typeMismatch("string", node, path) }
                       // A NUL would cut a file path short where the system reads it.
                       guard !value.contains("\u{0}") else {
                           throw configError(.invalidValue, node, path, "the string contains a NUL character (\\u0000); remove it")
                       }
                       return value
                   },
                   encode: { value, _ in .string(value) })
    }

    /// A file path written relative to the config file that declares it. Decoding yields that
    /// path joined to the declaring file's directory (lexically normalised); encoding writes it
    /// relative to `baseDirectory`.
    static var path: ValueCodec {
        ValueCodec(typeDescription: "string (path)", schema: [("type", .string("string")), ("minLength", .integer(1))],
                   decode: { node, path throws(ConfigError) in
                       guard case .string(let value) = node.kind else { throw typeMismatch("string (path)", node, path) }
                       guard !value.isEmpty else { throw configError(.invalidValue, node, path, "expected a non-empty path, found an empty string") }
                       guard !value.contains("\u{0}") else {
                           throw configError(.invalidValue, node, path, "the path contains a NUL character (\\u0000), which would cut it short; remove it")
                       }
                       guard let file = node.location?.file else { return FilePath.normalized(value) }
                       return FilePath.normalized(FilePath.joined(FilePath.directory(of: file), value))
                   },
                   encode: { value, baseDirectory in .string(FilePath.relative(value, from: baseDirectory)) })
    }
}

/// Whether a JSON number literal denotes an integer exactly: `2.0`, `1e3` and `1.5e1` do;
/// `0.9999999999999999999` does not, though a `Double` rounds it to 1.
func isIntegerAsWritten(_ literal: String) -> Bool {
    let parts = literal.lowercased().split(separator: "e", maxSplits: 1, omittingEmptySubsequences: false)
    let exponentText = parts.count > 1 ? parts[1] : "0"
    // An exponent beyond Int only arises for zero or out-of-range values; clamp it.
    let exponent = Int(exponentText) ?? (exponentText.hasPrefix("-") ? -1_000_000 : 1_000_000)
    let pieces = parts[0].drop { $0 == "-" }.split(separator: ".", omittingEmptySubsequences: false)
    let digits = Array(pieces[0] + (pieces.count > 1 ? pieces[1] : ""))
    let point = pieces[0].count + exponent  // digits left of the decimal point once the exponent is applied
    return digits.indices.allSatisfy { $0 < point || digits[$0] == "0" }
}

extension ValueCodec where Value == Int {
    /// An integer ≥ `minimum`; numbers that are integers as written, such as `2.0` or `1e3`, are accepted.
    static func integer(minimum: Int) -> ValueCodec {
        let description = "integer ≥ \(minimum)"
        return ValueCodec(
            typeDescription: description,
            schema: [("type", .string("integer")), ("minimum", .integer(minimum))],
            decode: { node, path throws(ConfigError) in
                let value: Int
                switch node.kind {
                case .integer(let integer): value = integer
                case .double(let double) where double == double.rounded() && abs(double) < 9.2e18 && node.literal.map(isIntegerAsWritten) ?? true:
                    value = Int(double)
                default: throw typeMismatch(description, node, path)
                }
                guard value >= minimum else {
                    throw configError(.invalidValue, node, path, "expected \(description), found \(value)")
                }
                return value
            },
            encode: { value, _ in .integer(value) })
    }
}

/// Bounds of a number field, e.g. (0, 1] or ≥ 0.
struct NumberBounds {
    var lower: (value: Double, inclusive: Bool)?
    var upper: (value: Double, inclusive: Bool)?

    static let any = NumberBounds()
    static func atLeast(_ value: Double) -> NumberBounds { NumberBounds(lower: (value, true)) }
    static func above(_ value: Double) -> NumberBounds { NumberBounds(lower: (value, false)) }
    /// Bounds written as in mathematics: `interval("(", 0, 1, "]")` is (0, 1].
    static func interval(_ open: Character, _ low: Double, _ high: Double, _ close: Character) -> NumberBounds {
        NumberBounds(lower: (low, open == "["), upper: (high, close == "]"))
    }

    func contains(_ x: Double) -> Bool {
        if let lower, lower.inclusive ? x < lower.value : x <= lower.value { return false }
        if let upper, upper.inclusive ? x > upper.value : x >= upper.value { return false }
        return true
    }

    var text: String {
        switch (lower, upper) {
        case (nil, nil): return "number"
        case let (lower?, nil): return "number \(lower.inclusive ? "≥" : ">") \(JSONValue.format(lower.value))"
        case let (nil, upper?): return "number \(upper.inclusive ? "≤" : "<") \(JSONValue.format(upper.value))"
        case let (lower?, upper?):
            return "number in \(lower.inclusive ? "[" : "(")\(JSONValue.format(lower.value)), "
                + "\(JSONValue.format(upper.value))\(upper.inclusive ? "]" : ")")"
        }
    }

    var schema: [(String, JSONValue)] {
        var keywords: [(String, JSONValue)] = [("type", .string("number"))]
        if let lower { keywords.append((lower.inclusive ? "minimum" : "exclusiveMinimum", .double(lower.value))) }
        if let upper { keywords.append((upper.inclusive ? "maximum" : "exclusiveMaximum", .double(upper.value))) }
        return keywords
    }
}

extension ValueCodec where Value == Double {
    /// A finite number within `bounds` that stays within them as a 32-bit float (so `1e300`, or
    /// `0.99999999999` where 1 is excluded, is rejected here and not in training); integers are accepted.
    static func number(_ bounds: NumberBounds) -> ValueCodec {
        ValueCodec(
            typeDescription: bounds.text, schema: bounds.schema,
            decode: { node, path throws(ConfigError) in
                let value: Double
                switch node.kind {
                case .integer(let integer): value = Double(integer)
                case .double(let double): value = double
                default: throw typeMismatch(bounds.text, node, path)
                }
                guard bounds.contains(value) else {
                    throw configError(.invalidValue, node, path, "expected \(bounds.text), found \(JSONValue.format(value))")
                }
                // Networks, losses and optimisers compute in Float: every config number must survive the conversion.
                guard abs(value) <= Double(Float.greatestFiniteMagnitude) else {
                    throw configError(.invalidValue, node, path, "expected \(bounds.text) within the range of a 32-bit float "
                                      + "(|x| ≤ 3.4e38; TabCorr computes in 32-bit floats), found \(JSONValue.format(value))")
                }
                let rounded = Double(Float(value))
                guard bounds.contains(rounded) else {
                    throw configError(.invalidValue, node, path, "expected \(bounds.text), found \(JSONValue.format(value)), which is "
                                      + "\(JSONValue.format(rounded)) as a 32-bit float (TabCorr computes in 32-bit floats); pick a value further from the bound")
                }
                return value
            },
            encode: { value, _ in .double(value) })
    }
}

extension ValueCodec {
    /// One of the raw values of a string enum, listing the valid values (and a near match) on error.
    static func enumeration(_ type: Value.Type) -> ValueCodec
    where Value: RawRepresentable & CaseIterable, Value.RawValue == String {
        let names = Value.allCases.map(\.rawValue)
        let list = names.map { "\"\($0)\"" }.joined(separator: " | ")
        return ValueCodec(
            typeDescription: list, schema: [("type", .string("string")), ("enum", .array(names.map(JSONValue.string)))],
            decode: { node, path throws(ConfigError) in
                guard case .string(let text) = node.kind else { throw typeMismatch("one of \(list)", node, path) }
                guard let value = Value(rawValue: text) else {
                    let hint = nearestName(to: text, among: names).map { " (did you mean \"\($0)\"?)" } ?? ""
                    throw configError(.invalidValue, node, path, "\"\(abbreviated(text))\" is not valid\(hint); expected one of \(list)")
                }
                return value
            },
            encode: { value, _ in .string(value.rawValue) })
    }

    /// Adds a check the type alone cannot express; `requirement` completes "expected ...".
    func checked(_ requirement: String, schema extra: [(String, JSONValue)] = [],
                 _ isValid: @escaping (Value) -> Bool) -> ValueCodec {
        var codec = self
        let decodeBase = decode
        codec.typeDescription = requirement
        codec.schema += extra
        codec.decode = { node, path throws(ConfigError) in
            let value = try decoding(node, path, as: requirement, decodeBase)
            guard isValid(value) else { throw configError(.invalidValue, node, path, "expected \(requirement), found \(describeFound(node))") }
            return value
        }
        return codec
    }

    /// The value or JSON `null`.
    static func optional<Wrapped>(_ wrapped: ValueCodec<Wrapped>) -> ValueCodec where Value == Wrapped? {
        var schema = wrapped.schema
        for (index, keyword) in schema.enumerated() {
            switch (keyword.0, keyword.1.kind) {
            case ("type", .string(let name)): schema[index].1 = .array([.string(name), .string("null")])
            case ("enum", .array(let values)): schema[index].1 = .array(values + [.null])
            default: break
            }
        }
        let description = wrapped.typeDescription + " or null"
        return ValueCodec(
            typeDescription: description, schema: schema,
            decode: { node, path throws(ConfigError) in
                if case .null = node.kind { return nil }
                return try decoding(node, path, as: description, wrapped.decode)
            },
            encode: { value, base in value.map { wrapped.encode($0, base) } ?? .null },
            sections: wrapped.sections)
    }

    /// A JSON array whose elements all use `element`; `unique` rejects repeated elements.
    static func array<Element: Hashable>(of element: ValueCodec<Element>, minCount: Int = 0, unique: Bool = false) -> ValueCodec
    where Value == [Element] {
        var schema: [(String, JSONValue)] = [("type", .string("array")), ("items", schemaObject(element.schema))]
        if minCount > 0 { schema.append(("minItems", .integer(minCount))) }
        if unique { schema.append(("uniqueItems", .bool(true))) }
        let conditions = (unique ? ["distinct"] : []) + (minCount > 0 ? ["at least \(minCount)"] : [])
        let description = "array of \(element.typeDescription)" + (conditions.isEmpty ? "" : " (\(conditions.joined(separator: ", ")))")
        return ValueCodec(
            typeDescription: description, schema: schema,
            decode: { node, path throws(ConfigError) in
                guard case .array(let nodes) = node.kind else { throw typeMismatch(description, node, path) }
                guard nodes.count >= minCount else {
                    throw configError(.invalidValue, node, path, "expected at least \(minCount) element(s), found \(nodes.count)")
                }
                var values: [Element] = []
                var firstIndex: [Element: Int] = [:]  // so the uniqueness check stays linear
                for (index, item) in nodes.enumerated() {
                    let value = try element.decode(item, path.appending(index: index))
                    if unique {
                        if let earlier = firstIndex[value] {
                            throw configError(.invalidValue, item, path.appending(index: index), "repeats element [\(earlier)]; list each value once")
                        }
                        firstIndex[value] = index
                    }
                    values.append(value)
                }
                return values
            },
            encode: { values, base in .array(values.map { element.encode($0, base) }) },
            sections: element.sections)
    }

    /// A JSON object with free keys (e.g. column names), each value using `element`; written with sorted keys.
    static func dictionary<Element>(of element: ValueCodec<Element>, keyName: String) -> ValueCodec
    where Value == [String: Element] {
        ValueCodec(
            typeDescription: "object: \(keyName) → \(element.typeDescription)",
            schema: [("type", .string("object")), ("additionalProperties", schemaObject(element.schema))],
            decode: { node, path throws(ConfigError) in
                guard let members = node.members else { throw typeMismatch("object mapping \(keyName) names to \(element.typeDescription)", node, path) }
                var result: [String: Element] = [:]
                for member in members { result[member.key] = try element.decode(member.value, path.appending(key: member.key)) }
                return result
            },
            encode: { values, base in
                .object(values.keys.sorted { Array($0.utf8).lexicographicallyPrecedes($1.utf8) }.map { ($0, element.encode(values[$0]!, base)) })
            },
            sections: { docPath in element.sections(docPath + ".<\(keyName)>") })
    }
}

/// A JSON object built from ordered schema keywords.
func schemaObject(_ keywords: [(String, JSONValue)]) -> JSONValue { .object(keywords) }
