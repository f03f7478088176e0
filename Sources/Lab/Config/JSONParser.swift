// RFC 8259 JSON parser over UTF-8 bytes that records the line and column of every value and key.
// Strict: no comments, no trailing commas, no duplicate keys, no lone surrogates; a leading UTF-8
// byte-order mark is skipped. Errors say where and what was expected. Nesting is capped at 512.

/// A JSON syntax error: where it is and what the parser expected there.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var location: SourceLocation
    /// What would have been valid here, e.g. "',' or '}' after an object member".
    public var expected: String
    /// What the parser met instead, e.g. "']'" or "end of input".
    public var found: String

    public var description: String { "\(location): malformed JSON: expected \(expected), found \(found)" }
}

/// Parses one JSON document.
public enum JSONParser {
    /// Parses `text` (the whole document) into a located tree.
    ///
    /// - Parameters:
    ///   - text: the document.
    ///   - file: the name stored in every node's location and in errors.
    /// - Throws: `JSONParseError` naming file, line, column and what was expected.
    public static func parse(_ text: String, file: String) throws(JSONParseError) -> JSONValue {
        var reader = Reader(bytes: Array(text.utf8), file: file)
        if reader.bytes.starts(with: [0xEF, 0xBB, 0xBF]) { reader.index = 3 }
        reader.skipWhitespace()
        let value = try reader.parseValue(depth: 0)
        reader.skipWhitespace()
        guard reader.index == reader.bytes.count else {
            throw reader.error(expected: "end of input after the top-level value")
        }
        return value
    }
}

private struct Reader {
    let bytes: [UInt8]
    let file: String
    var index = 0
    var line = 1
    var lineStart = 0
    /// A known (byte index, column) pair on the current line, so columns are counted incrementally.
    var columnMark = (index: 0, column: 1)
    static let maximumDepth = 512

    init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
    }

    var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    /// Location of `index`; the column counts Unicode scalars (UTF-8 lead bytes) since the line start.
    var location: SourceLocation {
        mutating get {
            if index < columnMark.index { columnMark = (lineStart, 1) }
            var column = columnMark.column
            for byte in bytes[columnMark.index..<min(index, bytes.count)] where byte & 0xC0 != 0x80 { column += 1 }
            columnMark = (index, column)
            return SourceLocation(file: file, line: line, column: column)
        }
    }

    mutating func error(expected: String) -> JSONParseError {
        JSONParseError(location: location, expected: expected, found: describeCurrent())
    }

    func describeCurrent() -> String {
        guard index < bytes.count else { return "end of input" }
        var end = index + 1
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        let text = String(decoding: bytes[index..<end], as: UTF8.self)
        switch text {
        case "\n": return "a line break"
        case "\t": return "a tab"
        default: return text.unicodeScalars.first!.value < 0x20 ? "control character U+\(hex4(bytes[index]))" : "'\(text)'"
        }
    }

    mutating func skipWhitespace() {
        while let byte = peek {
            switch byte {
            case 0x20, 0x09, 0x0D: index += 1
            case 0x0A: index += 1; line += 1; lineStart = index; columnMark = (index, 1)
            default: return
            }
        }
    }

    mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        let start = location
        guard let byte = peek else { throw error(expected: "a value (object, array, string, number, true, false or null)") }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject(depth: depth, start: start)
        case UInt8(ascii: "["): return try parseArray(depth: depth, start: start)
        case UInt8(ascii: "\""): return JSONValue(.string(try parseString()), location: start)
        case UInt8(ascii: "t"): try expectLiteral("true"); return JSONValue(.bool(true), location: start)
        case UInt8(ascii: "f"): try expectLiteral("false"); return JSONValue(.bool(false), location: start)
        case UInt8(ascii: "n"): try expectLiteral("null"); return JSONValue(.null, location: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber(start: start)
        default: throw error(expected: "a value (object, array, string, number, true, false or null)")
        }
    }

    mutating func expectLiteral(_ literal: String) throws(JSONParseError) {
        for byte in literal.utf8 {
            guard peek == byte else { throw error(expected: "'\(literal)'") }
            index += 1
        }
    }

    mutating func parseObject(depth: Int, start: SourceLocation) throws(JSONParseError) -> JSONValue {
        guard depth < Reader.maximumDepth else { throw error(expected: "at most \(Reader.maximumDepth) levels of nesting") }
        index += 1
        var members: [JSONMember] = []
        var seen: [String: Int] = [:]  // key → index in members, so duplicate checks stay linear
        skipWhitespace()
        if peek == UInt8(ascii: "}") { index += 1; return JSONValue(.object(members), location: start) }
        while true {
            skipWhitespace()
            let keyLocation = location
            guard peek == UInt8(ascii: "\"") else {
                throw error(expected: members.isEmpty ? "a string key or '}'" : "a string key after ','")
            }
            let key = try parseString()
            if let firstIndex = seen.updateValue(members.count, forKey: key), let at = members[firstIndex].keyLocation {
                throw JSONParseError(location: keyLocation, expected: "a key not used before in this object",
                                     found: "duplicate key \"\(abbreviated(key))\" (first at line \(at.line), column \(at.column))")
            }
            skipWhitespace()
            guard peek == UInt8(ascii: ":") else { throw error(expected: "':' after the key \"\(abbreviated(key))\"") }
            index += 1
            skipWhitespace()
            let value = try parseValue(depth: depth + 1)
            members.append(JSONMember(key: key, keyLocation: keyLocation, value: value))
            skipWhitespace()
            switch peek {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return JSONValue(.object(members), location: start)
            default: throw error(expected: "',' or '}' after an object member")
            }
        }
    }

    mutating func parseArray(depth: Int, start: SourceLocation) throws(JSONParseError) -> JSONValue {
        guard depth < Reader.maximumDepth else { throw error(expected: "at most \(Reader.maximumDepth) levels of nesting") }
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek == UInt8(ascii: "]") { index += 1; return JSONValue(.array(elements), location: start) }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            switch peek {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return JSONValue(.array(elements), location: start)
            default: throw error(expected: "',' or ']' after an array element")
            }
        }
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`; integers that fit in `Int` stay integers.
    mutating func parseNumber(start: SourceLocation) throws(JSONParseError) -> JSONValue {
        let begin = index
        var isInteger = true
        if peek == UInt8(ascii: "-") { index += 1 }
        if peek == UInt8(ascii: "0") {
            index += 1
            if let byte = peek, isDigit(byte) { throw error(expected: "'.', 'e' or the end of the number after a leading 0") }
        } else {
            try digits(expected: "a digit")
        }
        if peek == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            try digits(expected: "a digit after the decimal point")
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { index += 1 }
            try digits(expected: "a digit in the exponent")
        }
        let text = String(decoding: bytes[begin..<index], as: UTF8.self)
        if isInteger, let value = Int(text) { return JSONValue(.integer(value), location: start) }
        guard let value = Double(text), value.isFinite else {
            throw JSONParseError(location: start, expected: "a number within the range of a 64-bit double", found: abbreviated(text))
        }
        var number = JSONValue(.double(value), location: start)
        number.literal = text
        return number
    }

    mutating func digits(expected: String) throws(JSONParseError) {
        guard let first = peek, isDigit(first) else { throw error(expected: expected) }
        while let byte = peek, isDigit(byte) { index += 1 }
    }

    func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// Builds the decoded UTF-8 bytes in one buffer and makes the `String` once at the end, so
    /// the cost is linear in the string's length however many escapes it holds.
    mutating func parseString() throws(JSONParseError) -> String {
        index += 1
        var utf8: [UInt8] = []
        var runStart = index
        while true {
            guard let byte = peek else { throw error(expected: "'\"' to close the string") }
            switch byte {
            case UInt8(ascii: "\""):
                utf8.append(contentsOf: bytes[runStart..<index])
                index += 1
                return String(decoding: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                utf8.append(contentsOf: bytes[runStart..<index])
                index += 1
                utf8.append(contentsOf: UTF8.encode(try parseEscape())!)
                runStart = index
            case 0..<0x20:
                throw error(expected: "a character or an escape such as \\n (control characters must be escaped)")
            default:
                index += 1
            }
        }
    }

    mutating func parseEscape() throws(JSONParseError) -> Unicode.Scalar {
        guard let byte = peek else { throw error(expected: "an escape character") }
        index += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let high = try hexQuad()
            if (0xDC00...0xDFFF).contains(high) {
                index -= 4
                throw error(expected: "a high surrogate before a low surrogate")
            }
            guard (0xD800...0xDBFF).contains(high) else { return Unicode.Scalar(high)! }
            guard peek == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") else {
                throw error(expected: "'\\u' and a low surrogate after the high surrogate \\u\(String(high, radix: 16))")
            }
            index += 2
            let low = try hexQuad()
            guard (0xDC00...0xDFFF).contains(low) else {
                index -= 4
                throw error(expected: "a low surrogate (\\uDC00–\\uDFFF)")
            }
            return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))!
        default:
            index -= 1
            throw error(expected: "one of the escapes \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX")
        }
    }

    mutating func hexQuad() throws(JSONParseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = peek, let digit = hexValue(byte) else { throw error(expected: "four hexadecimal digits after \\u") }
            value = value * 16 + digit
            index += 1
        }
        return value
    }

    func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }
}

private func hex4(_ byte: UInt8) -> String {
    let hex = String(byte, radix: 16, uppercase: true)
    return String(repeating: "0", count: 4 - hex.count) + hex
}
