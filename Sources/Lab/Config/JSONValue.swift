// A JSON document tree whose nodes remember where they came from (file, line, column), so config
// errors can point at the offending text, plus a deterministic serialiser for files we write
// (`config.resolved.json`, `Configs/schema.json`). Parsing lives in JSONParser.swift. Deliberately
// small: no streaming, no Codable bridge.

/// A place in a source file: 1-based line and column (column counted in Unicode scalars).
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, the form editors and compilers use.
    public var description: String { "\(file):\(line):\(column)" }
}

/// One JSON value with its source location (nil for values built in code).
///
/// Integers (literals without fraction or exponent that fit in `Int`) are kept apart from
/// doubles so that `2` round-trips as `2`. Objects keep their members in declared order.
/// Equality compares values only, never locations; objects compare as unordered maps and
/// numbers by value (`2` equals `2.0`).
public struct JSONValue: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable {
        case null
        case bool(Bool)
        case integer(Int)
        case double(Double)
        case string(String)
        case array([JSONValue])
        case object([JSONMember])
    }

    public var kind: Kind
    public var location: SourceLocation?
    /// A fractional or exponent number's text as written in the source (nil for values built in
    /// code): `0.9999999999999999999` is 1 as a `Double` but not an integer as written.
    public var literal: String?

    public init(_ kind: Kind, location: SourceLocation? = nil) {
        self.kind = kind
        self.location = location
    }

    public static let null = JSONValue(.null)
    public static func bool(_ value: Bool) -> JSONValue { JSONValue(.bool(value)) }
    public static func integer(_ value: Int) -> JSONValue { JSONValue(.integer(value)) }
    public static func double(_ value: Double) -> JSONValue { JSONValue(.double(value)) }
    public static func string(_ value: String) -> JSONValue { JSONValue(.string(value)) }
    public static func array(_ values: [JSONValue]) -> JSONValue { JSONValue(.array(values)) }
    /// An object from `(key, value)` pairs, in the order given.
    public static func object(_ pairs: [(String, JSONValue)]) -> JSONValue {
        JSONValue(.object(pairs.map { JSONMember(key: $0.0, value: $0.1) }))
    }

    /// The JSON type name used in error messages: null, boolean, integer, number, string, array, object.
    public var typeName: String {
        switch kind {
        case .null: return "null"
        case .bool: return "boolean"
        case .integer: return "integer"
        case .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// The members of an object, or nil for any other kind.
    public var members: [JSONMember]? {
        if case .object(let members) = kind { return members }
        return nil
    }

    /// The elements of an array, or nil for any other kind.
    public var arrayValue: [JSONValue]? {
        if case .array(let elements) = kind { return elements }
        return nil
    }

    public var stringValue: String? {
        if case .string(let value) = kind { return value }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let value) = kind { return value }
        return nil
    }

    /// An integer, or a double with an integral value that fits in `Int`.
    public var intValue: Int? {
        switch kind {
        case .integer(let value): return value
        case .double(let value): return Int(exactly: value)
        default: return nil
        }
    }

    /// Any number as a `Double`.
    public var doubleValue: Double? {
        switch kind {
        case .integer(let value): return Double(value)
        case .double(let value): return value
        default: return nil
        }
    }

    /// The value stored under `key` when this is an object holding that key.
    public subscript(key: String) -> JSONValue? {
        members?.first { $0.key == key }?.value
    }

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs.kind, rhs.kind) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.integer(a), .integer(b)): return a == b
        case let (.double(a), .double(b)): return a == b
        case let (.integer(a), .double(b)), let (.double(b), .integer(a)): return Double(a) == b && b.magnitude < 9.3e18 && Int(b) == a
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            guard a.count == b.count else { return false }
            return a.allSatisfy { member in b.contains { $0.key == member.key && $0.value == member.value } }
        default: return false
        }
    }

    /// Compact single-line JSON in declared key order.
    public var description: String { serialized(indent: nil) }
}

/// One `"key": value` pair of an object, with the location of the key.
public struct JSONMember: Sendable, Equatable {
    public var key: String
    public var keyLocation: SourceLocation?
    public var value: JSONValue

    public init(key: String, keyLocation: SourceLocation? = nil, value: JSONValue) {
        self.key = key
        self.keyLocation = keyLocation
        self.value = value
    }
}

// MARK: - Serialisation

extension JSONValue {
    /// Deterministic JSON text.
    ///
    /// - Parameters:
    ///   - indent: spaces per nesting level, or nil for one compact line.
    ///   - sortKeys: sort object keys by their UTF-8 bytes instead of keeping declared order.
    /// - Returns: the text, ending without a newline. Integers print without ".0"; a `Double`
    ///   with an integral value below 2⁵³ prints as an integer; other doubles print in the
    ///   shortest form that parses back to the same bits; NaN and infinities (not JSON) print
    ///   as `null`. Strings escape only `"`, `\` and control characters.
    public func serialized(indent: Int? = 2, sortKeys: Bool = false) -> String {
        var out = ""
        write(to: &out, indent: indent, sortKeys: sortKeys, depth: 0)
        return out
    }

    private func write(to out: inout String, indent: Int?, sortKeys: Bool, depth: Int) {
        switch kind {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .integer(let value): out += String(value)
        case .double(let value): out += JSONValue.format(value)
        case .string(let value): JSONValue.writeString(value, to: &out)
        case .array(let values):
            writeContainer(values, open: "[", close: "]", to: &out, indent: indent, depth: depth) { element, out in
                element.write(to: &out, indent: indent, sortKeys: sortKeys, depth: depth + 1)
            }
        case .object(let members):
            let ordered = sortKeys ? members.sorted { Array($0.key.utf8).lexicographicallyPrecedes($1.key.utf8) } : members
            writeContainer(ordered, open: "{", close: "}", to: &out, indent: indent, depth: depth) { member, out in
                JSONValue.writeString(member.key, to: &out)
                out += indent == nil ? ":" : ": "
                member.value.write(to: &out, indent: indent, sortKeys: sortKeys, depth: depth + 1)
            }
        }
    }

    private func writeContainer<Element>(
        _ elements: [Element], open: String, close: String, to out: inout String, indent: Int?, depth: Int,
        writeElement: (Element, inout String) -> Void
    ) {
        out += open
        guard !elements.isEmpty else { out += close; return }
        for (index, element) in elements.enumerated() {
            if index > 0 { out += "," }
            if let indent { out += "\n" + String(repeating: " ", count: indent * (depth + 1)) }
            writeElement(element, &out)
        }
        if let indent { out += "\n" + String(repeating: " ", count: indent * depth) }
        out += close
    }

    /// Shortest round-trip text for a finite double; integral values below 2⁵³ without ".0".
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 9_007_199_254_740_992 {
            return value == 0 ? "0" : String(Int64(value))
        }
        // Swift's description is the shortest round-trip form; drop a trailing ".0" and normalise
        // the exponent ("1e-05" → "1e-5", "1e+16" → "1e16") so the text does not depend on that detail.
        let text = value.description
        guard let e = text.firstIndex(of: "e") else { return text.hasSuffix(".0") ? String(text.dropLast(2)) : text }
        var exponent = text[text.index(after: e)...]
        var sign = ""
        if exponent.first == "-" { sign = "-"; exponent = exponent.dropFirst() }
        if exponent.first == "+" { exponent = exponent.dropFirst() }
        let digits = exponent.drop { $0 == "0" }
        return text[..<e] + "e" + sign + (digits.isEmpty ? "0" : digits)
    }

    static func writeString(_ value: String, to out: inout String) {
        out += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case let c where c.value < 0x20:
                let hex = String(c.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
