// RFC 4180 reading: quoting, line ends, BOM, delimiters, missing tokens, type inference on small
// hand-made files, and one test per kind of bad input checking the error names file, line, field.

import Foundation
import XCTest
@testable import TabularData

final class CSVReaderTests: XCTestCase {
    func testQuotedFieldsWithDelimitersQuotesAndNewlines() throws {
        let text = "name,note\n\"Smith, J\",\"said \"\"hi\"\"\"\n\"multi\nline\",plain\n\"\",x\n"
        let table = try parseCSV(text).table
        XCTAssertEqual(table.rowCount, 3)
        XCTAssertEqual(table["name"]!.texts, ["Smith, J", "multi\nline", nil])
        XCTAssertEqual(table["note"]!.texts, ["said \"hi\"", "plain", "x"])
    }

    func testCRLFAndLoneCRLineEndsAndNoFinalNewline() throws {
        let crlf = try parseCSV("a,b\r\n1,x\r\n2,\"y\r\nz\"\r\n3,w").table
        XCTAssertEqual(crlf["a"]!.numbers, [1, 2, 3])
        XCTAssertEqual(crlf["b"]!.texts, ["x", "y\r\nz", "w"])
        let cr = try parseCSV("a,b\r1,x\r2,y\r").table
        XCTAssertEqual(cr["a"]!.numbers, [1, 2])
    }

    func testByteOrderMarkIsSkipped() throws {
        let table = try CSVReader.parse(Data([0xEF, 0xBB, 0xBF] + Array("id,v\n1,2\n".utf8)), source: "bom.csv").table
        XCTAssertEqual(table.columnNames, ["id", "v"])
    }

    func testConfigurableDelimiterAndMissingTokens() throws {
        var options = CSVReadOptions()
        options.delimiter = ";"
        options.missingTokens = ["?"]
        let table = try parseCSV("a;b\n1,5;?\n?;x\n2,5;NA\n", options: options).table
        // With ';' as delimiter "1,5" is text, so `a` is categorical; "NA" is an ordinary level now.
        XCTAssertEqual(table["a"]!.texts, ["1,5", nil, "2,5"])
        XCTAssertEqual(table["b"]!.texts, [nil, "x", "NA"])
    }

    func testAOneColumnHeaderHoldingAnotherDelimiterIsRefusedWithTheFix() throws {
        for (text, likely) in [("a;b;c\n1;2;x\n3;4;y\n", ";"), ("a\tb\n1\t2\n", "\\t")] {
            XCTAssertThrowsError(try CSVReader.parse(Data(text.utf8), source: "semi.csv")) { error in
                let message = "\(error)"
                XCTAssertTrue(message.hasPrefix("semi.csv:1:"), message)
                XCTAssertTrue(message.contains("looks \"\(likely)\"-delimited") && message.contains("data.delimiter"), message)
            }
        }
        var options = CSVReadOptions()
        options.delimiter = ";"
        XCTAssertEqual(try parseCSV("a;b;c\n1;2;x\n", options: options).table.columnNames, ["a", "b", "c"])
        XCTAssertEqual(try parseCSV("only\n1\n2\n").table.columnNames, ["only"], "a true one-column file still reads")
    }

    func testDefaultMissingTokensAndTrailingEmptyField() throws {
        let table = try parseCSV("x,y,z\n1,NA,a\nNaN,2,\nnull,3,b\n4,,c\n").table
        XCTAssertEqual(table["x"]!.numbers!.map { $0.isNaN }, [false, true, true, false])
        XCTAssertEqual(table["y"]!.numbers!.map { $0.isNaN }, [true, false, false, true])
        XCTAssertEqual(table["z"]!.texts, ["a", nil, "b", "c"])
        XCTAssertEqual(table.missingCount, 5)
    }

    func testBlankLinesAreSkippedInMultiColumnFiles() throws {
        let table = try parseCSV("a,b\n1,2\n\n3,4\n\n").table
        XCTAssertEqual(table["a"]!.numbers, [1, 3])
    }

    func testInferenceOfIntegerRealBooleanDatetimeAndText() throws {
        let text = """
        i,r,b,d,t,e,txt
        1,1.5,true,2024-01-31,2024-01-31T10:00:00Z,1e3,a
        -2,2,FALSE,2024-02-29,2024-03-01T00:00:01Z,-2.5E-2,b

        """
        let result = try parseCSV(text)
        XCTAssertEqual(result.table.columns.map(\.type), [
            .integer, .real, .boolean, .datetime(format: "yyyy-MM-dd"), .datetime(format: "yyyy-MM-dd'T'HH:mm:ss'Z'"), .real, .categorical,
        ])
        XCTAssertEqual(result.table["e"]!.numbers, [1000, -0.025])
        // 2024-01-31 is day 19,753 since 1970-01-01 (hand count: 54 years incl. 13 leap days = 19,723 days to 2024-01-01, + 30).
        XCTAssertEqual(result.table["d"]!.numbers![0], 19_753 * 86_400)
        // 2024-03-01T00:00:01Z = 2024-02-29 (day 19,782) + 1 day + 1 s.
        XCTAssertEqual(result.table["t"]!.numbers![1], 19_783 * 86_400 + 1)
        XCTAssertEqual(result.table["b"]!.texts, ["true", "FALSE"])
    }

    func testBooleanNeedsTwoSpellingsAtMost() throws {
        let mixed = try parseCSV("b\nTRUE\nyes\nno\n")
        XCTAssertEqual(mixed.table["b"]!.type, .categorical)
        XCTAssertTrue(mixed.inferences[0].reason.contains("3 different spellings"), mixed.inferences[0].reason)
        var options = CSVReadOptions()
        options.schema.overrides = ["b": .boolean]
        if case .invalidOption(let name, _)? = expectDataError({ try parseCSV("b\nTRUE\nyes\nno\n", options: options) }) {
            XCTAssertEqual(name, "overrides.b")
        } else {
            XCTFail("a boolean override with 3 values must fail")
        }
        XCTAssertEqual(try parseCSV("b\nx\ny\n", options: options).table["b"]!.type, .boolean)
    }

    func testInvalidCalendarDateIsText() throws {
        let table = try parseCSV("d\n2023-02-29\n2023-03-01\n").table
        XCTAssertEqual(table["d"]!.type, .categorical)
    }

    func testIntegerThresholdAndOverrides() throws {
        let text = "code,v\n1,10\n2,20\n1,30\n3,40\n"
        var options = CSVReadOptions()
        XCTAssertEqual(try parseCSV(text, options: options).table["code"]!.type, .integer)
        options.schema.integerCategoricalMaxLevels = 3
        let typed = try parseCSV(text, options: options).table
        XCTAssertEqual(typed["code"]!.type, .categorical)
        XCTAssertEqual(typed["v"]!.type, .integer)
        options.schema.integerCategoricalMaxLevels = 0
        options.schema.overrides = ["v": .categorical, "code": .real]
        let overridden = try parseCSV(text, options: options)
        XCTAssertEqual(overridden.table["v"]!.texts, ["10", "20", "30", "40"])
        XCTAssertEqual(overridden.table["code"]!.type, .real)
        XCTAssertTrue(overridden.inferences[0].overridden)
    }

    func testNumericLevelsSortNumericallyTextLevelsByText() throws {
        var options = CSVReadOptions()
        options.schema.overrides = ["n": .categorical]
        let table = try parseCSV("n,t\n10,b\n9,a\n100,c\n9,a\n", options: options).table
        guard case .categorical(_, let numericLevels) = table["n"]!.values, case .categorical(_, let textLevels) = table["t"]!.values else {
            return XCTFail("expected categorical columns")
        }
        XCTAssertEqual(numericLevels, ["9", "10", "100"])
        XCTAssertEqual(textLevels, ["a", "b", "c"])
    }

    func testRareLevelsAreGroupedAndReported() throws {
        // Level i appears 10 − i times (i = 0…9); keep the 3 most frequent plus "(other)".
        var rows: [String] = []
        for i in 0..<10 { for _ in 0..<(10 - i) { rows.append("L\(i)") } }
        var options = CSVReadOptions()
        options.schema.maxLevels = 4
        let result = try parseCSV("c\n" + rows.joined(separator: "\n") + "\n", options: options)
        guard case .categorical(let codes, let levels) = result.table["c"]!.values else { return XCTFail("not categorical") }
        XCTAssertEqual(levels, ["L0", "L1", "L2", "(other)"])
        XCTAssertEqual(codes.filter { $0 == 3 }.count, 7 + 6 + 5 + 4 + 3 + 2 + 1)
        XCTAssertEqual(result.inferences[0].groupedLevels, 7)
        XCTAssertEqual(result.inferences[0].groupedCells, 28)
        XCTAssertTrue(result.inferences[0].reason.contains("grouped"))
    }

    func testReadingLevelLimitBoundsDistinctTextsHeld() throws {
        var options = CSVReadOptions()
        options.schema.maxLevels = 3
        options.schema.readingLevelLimit = 5
        let rows = (0..<20).map { "id\($0)" }
        let result = try parseCSV("c\n" + rows.joined(separator: "\n") + "\n", options: options)
        guard case .categorical(let codes, let levels) = result.table["c"]!.values else { return XCTFail("not categorical") }
        XCTAssertEqual(result.inferences[0].distinctValues, 5)
        XCTAssertEqual(levels.count, 3)
        XCTAssertEqual(levels.last, "(other)")
        XCTAssertEqual(codes.filter { $0 == 2 }.count, 18)
    }

    // MARK: Bad input

    func testRaggedRow() {
        let error = expectDataError { try parseCSV("a,b\n1,2\n3\n4,5\n") }
        XCTAssertEqual(error, .raggedRow(CSVLocation(file: "test.csv", line: 3, column: 2), expected: 2, found: 1))
        XCTAssertTrue(error!.description.hasPrefix("test.csv:3, field 2: this row has 1 fields but the header has 2."), error!.description)
        // Too many fields, after a quoted field with an embedded newline (lines 2–3).
        let extra = expectDataError { try parseCSV("a,b\n\"x\ny\",1\n2,3,4\n") }
        XCTAssertEqual(extra, .raggedRow(CSVLocation(file: "test.csv", line: 4, column: 3), expected: 2, found: 3))
    }

    func testUnterminatedQuoteNamesOpeningLineAndField() {
        let error = expectDataError { try parseCSV("a,b\n1,2\n3,\"open\n4,5\n") }
        XCTAssertEqual(error, .unterminatedQuote(CSVLocation(file: "test.csv", line: 3, column: 2)))
    }

    func testTextAfterClosingQuote() {
        let error = expectDataError { try parseCSV("a,b\n\"x\"y,2\n") }
        XCTAssertEqual(error, .textAfterClosingQuote(CSVLocation(file: "test.csv", line: 2, column: 1)))
    }

    func testTextInColumnOverriddenAsNumeric() {
        var options = CSVReadOptions()
        options.schema.overrides = ["b": .real]
        let error = expectDataError { try parseCSV("a,b\n1,2\n3,4\n5,oops\n", options: options) }
        XCTAssertEqual(error, .notNumeric(CSVLocation(file: "test.csv", line: 4, column: 2), columnName: "b", value: "oops", requested: "real"))
        XCTAssertTrue(error!.description.contains("\"b\""))
    }

    func testEmptyFileAndHeaderOnly() {
        XCTAssertEqual(expectDataError { try parseCSV("") }, .emptyFile(file: "test.csv"))
        XCTAssertEqual(expectDataError { try CSVReader.parse(Data([0xEF, 0xBB, 0xBF]), source: "test.csv") }, .emptyFile(file: "test.csv"))
        XCTAssertEqual(expectDataError { try parseCSV("a,b\n") }, .headerOnly(file: "test.csv"))
        XCTAssertEqual(expectDataError { try parseCSV("a,b\n\n\n") }, .headerOnly(file: "test.csv"))
    }

    func testDuplicateColumnNames() {
        XCTAssertEqual(expectDataError { try parseCSV("a,b,a\n1,2,3\n") },
                       .duplicateColumnName(file: "test.csv", name: "a", firstField: 1, secondField: 3))
    }

    func testAllMissingColumn() {
        XCTAssertEqual(expectDataError { try parseCSV("a,b\n1,\n2,NA\n") }, .allMissing(file: "test.csv", columnName: "b"))
    }

    func testInvalidUTF8AndNULBytes() {
        let invalid = Data(Array("a\nok\n".utf8) + [0xC3, 0x28] + Array("\n".utf8))
        XCTAssertEqual(expectDataError { try CSVReader.parse(invalid, source: "test.csv") }, .invalidUTF8(CSVLocation(file: "test.csv", line: 3)))
        let nul = Data(Array("a\nx".utf8) + [0] + Array("\n".utf8))
        XCTAssertEqual(expectDataError { try CSVReader.parse(nul, source: "test.csv") }, .nulByte(CSVLocation(file: "test.csv", line: 2)))
        // Valid multi-byte text passes.
        XCTAssertEqual(try parseCSV("a\nÆble\n日本\n😀\n").table["a"]!.texts, ["Æble", "日本", "😀"])
    }

    func testUnknownOverrideAndBadDelimiter() {
        var options = CSVReadOptions()
        options.schema.overrides = ["nope": .real]
        XCTAssertEqual(expectDataError { try parseCSV("a\n1\n", options: options) }, .unknownColumn(name: "nope", known: ["a"]))
        options = CSVReadOptions()
        options.delimiter = "\""
        if case .invalidOption(let name, _)? = expectDataError({ try parseCSV("a\n1\n", options: options) }) {
            XCTAssertEqual(name, "delimiter")
        } else {
            XCTFail("expected invalidOption")
        }
    }

    func testMissingFileIsCannotRead() {
        if case .cannotRead(let file, _)? = expectDataError({ try CSVReader.read(file: "/nonexistent/x.csv") }) {
            XCTAssertEqual(file, "/nonexistent/x.csv")
        } else {
            XCTFail("expected cannotRead")
        }
    }

    func testOptionsDecodeWithDefaultsForMissingKeys() throws {
        let decoded = try JSONDecoder().decode(CSVReadOptions.self, from: Data(#"{"delimiter":";","schema":{"maxLevels":7}}"#.utf8))
        var expected = CSVReadOptions()
        expected.delimiter = ";"
        expected.schema.maxLevels = 7
        XCTAssertEqual(decoded, expected)
        let roundTrip = try JSONDecoder().decode(CSVReadOptions.self, from: JSONEncoder().encode(expected))
        XCTAssertEqual(roundTrip, expected)
    }
}
