// Tests of the located JSON layer: parsing every JSON form with line/column, rejecting malformed
// input with the right position and expectation, and deterministic serialisation (integers
// without ".0", shortest round-trip doubles, escapes, key order).

@testable import Lab
import TensorKit
import XCTest

final class ConfigJSONTests: XCTestCase {
    func testParsesEveryKindAndRecordsLocations() throws {
        // Setup: the value of "é" sits after a two-byte character, so its column counts scalars, not bytes.
        let text = "{\n  \"a\": [1, -2.5e1, true, false, null],\n  \"é\": {\"b\": \"x\"}\n}"
        // Run
        let root = try JSONParser.parse(text, file: "t.json")
        // Assert
        XCTAssertEqual(root, .object([
            ("a", .array([.integer(1), .double(-25), .bool(true), .bool(false), .null])),
            ("é", .object([("b", .string("x"))])),
        ]))
        XCTAssertEqual(root.location, SourceLocation(file: "t.json", line: 1, column: 1))
        let a = try XCTUnwrap(root.members?.first)
        XCTAssertEqual(a.keyLocation, SourceLocation(file: "t.json", line: 2, column: 3))
        XCTAssertEqual(a.value.location?.column, 8)
        guard case .array(let elements) = a.value.kind else { return XCTFail("not an array") }
        XCTAssertEqual(elements.map { $0.location!.column }, [9, 12, 20, 26, 33])
        let b = try XCTUnwrap(root["é"]?.members?.first)
        XCTAssertEqual(b.keyLocation, SourceLocation(file: "t.json", line: 3, column: 9))
        XCTAssertEqual(b.value.location, SourceLocation(file: "t.json", line: 3, column: 14))
    }

    func testNumbersKeepIntegersApartFromDoubles() throws {
        XCTAssertEqual(try kind("0"), "integer 0")
        XCTAssertEqual(try kind("-0"), "integer 0")
        XCTAssertEqual(try kind("9223372036854775807"), "integer 9223372036854775807")
        // One more than Int.max does not fit: it becomes the nearest double.
        XCTAssertEqual(try kind("9223372036854775808"), "double 9.223372036854776e+18")
        XCTAssertEqual(try kind("2.0"), "double 2.0")
        XCTAssertEqual(try kind("1E3"), "double 1000.0")
        XCTAssertEqual(try kind("2e-4"), "double 0.0002")
        XCTAssertEqual(try kind("-0.5e+1"), "double -5.0")
    }

    func testStringEscapesIncludingSurrogatePairs() throws {
        let parsed = try JSONParser.parse(#"["a\"b\\c\/d\b\f\n\r\t", "\u00e9\u0000", "\ud83d\ude00", "日本"]"#, file: "s.json")
        XCTAssertEqual(parsed, .array([.string("a\"b\\c/d\u{08}\u{0C}\n\r\t"), .string("é\u{0}"), .string("😀"), .string("日本")]))
    }

    func testSkipsByteOrderMarkAndSurroundingWhitespace() throws {
        XCTAssertEqual(try JSONParser.parse("\u{FEFF} \r\n\t[]\n", file: "b.json"), .array([]))
    }

    func testMalformedInputNamesLineColumnAndExpectation() {
        // (input, line, column, expected, found)
        let cases: [(String, Int, Int, String, String)] = [
            ("{\"a\": 1,}", 1, 9, "a string key after ','", "'}'"),
            ("{\"a\" 1}", 1, 6, "':' after the key \"a\"", "'1'"),
            ("[1 2]", 1, 4, "',' or ']' after an array element", "'2'"),
            ("{\n  \"a\": 1\n  \"b\": 2\n}", 3, 3, "',' or '}' after an object member", "'\"'"),
            ("[01]", 1, 3, "'.', 'e' or the end of the number after a leading 0", "'1'"),
            ("[1.]", 1, 4, "a digit after the decimal point", "']'"),
            ("[1e]", 1, 4, "a digit in the exponent", "']'"),
            ("[-]", 1, 3, "a digit", "']'"),
            ("\"abc", 1, 5, "'\"' to close the string", "end of input"),
            ("\"a\tb\"", 1, 3, "a character or an escape such as \\n (control characters must be escaped)", "a tab"),
            ("\"a\u{1}\"", 1, 3, "a character or an escape such as \\n (control characters must be escaped)", "control character U+0001"),
            ("\"\\x\"", 1, 3, "one of the escapes \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX", "'x'"),
            ("\"\\u12G4\"", 1, 6, "four hexadecimal digits after \\u", "'G'"),
            ("\"\\udc00\"", 1, 4, "a high surrogate before a low surrogate", "'d'"),
            ("\"\\ud83d x\"", 1, 8, "'\\u' and a low surrogate after the high surrogate \\ud83d", "' '"),
            ("[tru]", 1, 5, "'true'", "']'"),
            ("", 1, 1, "a value (object, array, string, number, true, false or null)", "end of input"),
            ("// comment\n{}", 1, 1, "a value (object, array, string, number, true, false or null)", "'/'"),
            ("{} {}", 1, 4, "end of input after the top-level value", "'{'"),
            ("{\"k\": 1, \"k\": 2}", 1, 10, "a key not used before in this object", "duplicate key \"k\" (first at line 1, column 2)"),
            ("[1e999]", 1, 2, "a number within the range of a 64-bit double", "1e999"),
        ]
        for (input, line, column, expected, found) in cases {
            XCTAssertThrowsError(try JSONParser.parse(input, file: "bad.json"), "input \(input.debugDescription)") { error in
                let error = error as! JSONParseError
                XCTAssertEqual(error.location, SourceLocation(file: "bad.json", line: line, column: column), "input \(input.debugDescription)")
                XCTAssertEqual(error.expected, expected, "input \(input.debugDescription)")
                XCTAssertEqual(error.found, found, "input \(input.debugDescription)")
            }
        }
    }

    func testNestingDeeperThanTheLimitIsAnErrorNotACrash() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        XCTAssertThrowsError(try JSONParser.parse(deep, file: "deep.json")) { error in
            XCTAssertEqual((error as! JSONParseError).expected, "at most 512 levels of nesting")
        }
        let allowed = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        XCTAssertNoThrow(try JSONParser.parse(allowed, file: "ok.json"))
    }

    func testNumberFormattingIsStable() {
        XCTAssertEqual(JSONValue.format(10), "10")
        XCTAssertEqual(JSONValue.format(-3), "-3")
        XCTAssertEqual(JSONValue.format(0), "0")
        XCTAssertEqual(JSONValue.format(-0.0), "0")
        XCTAssertEqual(JSONValue.format(0.1), "0.1")
        XCTAssertEqual(JSONValue.format(2e-4), "0.0002")
        XCTAssertEqual(JSONValue.format(1e-5), "1e-5")
        XCTAssertEqual(JSONValue.format(1.5e300), "1.5e300")
        XCTAssertEqual(JSONValue.format(0.1 + 0.2), "0.30000000000000004")
        XCTAssertEqual(JSONValue.format(9_007_199_254_740_992), "9007199254740992")
        XCTAssertEqual(JSONValue.format(1e16), "1e16")
        XCTAssertEqual(JSONValue.format(.nan), "null")
        XCTAssertEqual(JSONValue.integer(12).serialized(), "12")
    }

    func testDoublesRoundTripThroughText() throws {
        // Random bit patterns cover subnormals, huge and tiny exponents; non-finite ones are skipped.
        var random = RandomStream(seed: 11)
        var checked = 0
        for _ in 0..<2000 {
            let value = Double(bitPattern: random.next())
            guard value.isFinite else { continue }
            let text = JSONValue.format(value)
            let parsed = try JSONParser.parse(text, file: "n.json")
            XCTAssertEqual(parsed, .double(value), "\(value) printed as \(text)")
            checked += 1
        }
        XCTAssertGreaterThan(checked, 1900)
    }

    func testSerialisationIsDeterministicAndEscapes() throws {
        let value = JSONValue.object([
            ("b", .array([.integer(1), .double(0.5), .null])),
            ("a", .string("q\"\\\n\u{1}é")),
            ("c", .object([])),
            ("d", .array([])),
        ])
        XCTAssertEqual(value.serialized(indent: nil), #"{"b":[1,0.5,null],"a":"q\"\\\n\u0001é","c":{},"d":[]}"#)
        XCTAssertEqual(value.serialized(indent: nil, sortKeys: true), #"{"a":"q\"\\\n\u0001é","b":[1,0.5,null],"c":{},"d":[]}"#)
        XCTAssertEqual(value.serialized(indent: 2), """
            {
              "b": [
                1,
                0.5,
                null
              ],
              "a": "q\\"\\\\\\n\\u0001é",
              "c": {},
              "d": []
            }
            """)
        XCTAssertEqual(try JSONParser.parse(value.serialized(), file: "r.json"), value)
    }

    func testEqualityIgnoresLocationsAndObjectKeyOrder() throws {
        let a = try JSONParser.parse("{\"x\": 1, \"y\": [2.0]}", file: "a.json")
        let b = try JSONParser.parse("{\n\"y\": [2], \"x\": 1}", file: "b.json")
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, try JSONParser.parse("{\"x\": 1, \"y\": [2.5]}", file: "c.json"))
        XCTAssertNotEqual(JSONValue.integer(1), .string("1"))
    }

    func testTypedAccessors() throws {
        let value = try JSONParser.parse(#"{"i": 3, "d": 2.0, "h": 2.5, "s": "x", "b": true, "a": [1]}"#, file: "a.json")
        XCTAssertEqual(value["i"]?.intValue, 3)
        XCTAssertEqual(value["d"]?.intValue, 2)
        XCTAssertNil(value["h"]?.intValue)
        XCTAssertEqual(value["i"]?.doubleValue, 3)
        XCTAssertEqual(value["h"]?.doubleValue, 2.5)
        XCTAssertNil(value["s"]?.doubleValue)
        XCTAssertEqual(value["s"]?.stringValue, "x")
        XCTAssertEqual(value["b"]?.boolValue, true)
        XCTAssertEqual(value["a"]?.arrayValue, [.integer(1)])
        XCTAssertNil(value["missing"])
        XCTAssertNil(value["a"]?["i"])
    }

    private func kind(_ text: String) throws -> String {
        switch try JSONParser.parse(text, file: "k.json").kind {
        case .integer(let value): return "integer \(value)"
        case .double(let value): return "double \(value)"
        default: return "other"
        }
    }
}
