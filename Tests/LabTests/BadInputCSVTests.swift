// Bad CSV data through the real CLI (`tabcorr run` and `tabcorr inspect` as child processes):
// each case exits non-zero with one `error:` line naming the file, line and field and saying what
// to do, and leaves no seed folder behind. Cases that are accepted say their rule in the test name.

import Foundation
import XCTest

final class BadInputCSVTests: XCTestCase {
    /// Writes `bytes` as `data.csv` next to a tiny config (its `data` section extended by
    /// `dataJSON`), runs `tabcorr run`, and returns the outcome and the folder.
    func runOnData(_ bytes: Data, dataJSON: String = "") throws -> (TabCorrBinary.Outcome, URL) {
        let folder = try makeScratchFolder(self, "csv")
        try bytes.write(to: folder.appendingPathComponent("data.csv"))
        let config = #"{"data": {"path": "data.csv"\#(dataJSON)}, "# + TinyRun.trainingJSON(steps: 2) + "}"
        try config.write(to: folder.appendingPathComponent("bad.json"), atomically: true, encoding: .utf8)
        return (try TabCorrBinary.run(["run", "bad.json", "--out", "out", "--quiet"], in: folder), folder)
    }

    /// A failed run must leave nothing in the experiment folder: no seed folder, no staging folder.
    func assertNothingLeftBehind(_ folder: URL, file: StaticString = #filePath, line: UInt = #line) {
        let experiment = folder.appendingPathComponent("out/bad")
        let left = (try? FileManager.default.contentsOfDirectory(atPath: experiment.path)) ?? []
        XCTAssertEqual(left, [], "left behind in \(experiment.path)", file: file, line: line)
    }

    func assertRunFails(_ text: String, dataJSON: String = "", mentions: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        try assertRunFails(Data(text.utf8), dataJSON: dataJSON, mentions: mentions, file: file, line: line)
    }

    func assertRunFails(_ bytes: Data, dataJSON: String = "", mentions: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let (outcome, folder) = try runOnData(bytes, dataJSON: dataJSON)
        assertCleanFailure(outcome, mentions: mentions, file: file, line: line)
        assertNothingLeftBehind(folder, file: file, line: line)
    }

    func testRaggedRowNamesLineAndField() throws {
        try assertRunFails("a,b\n1,2\n3\n4,5\n", mentions: ["data.csv:3, field 2", "1 fields but the header has 2", "Quote fields"])
    }

    func testUnterminatedQuoteNamesWhereItOpened() throws {
        try assertRunFails("a,b\n1,2\n\"3,4\n5,6\n", mentions: ["data.csv:3, field 1", "never closed", "closing double quote"])
    }

    func testInvalidUTF8NamesTheLine() throws {
        try assertRunFails(Data("a,b\n1,2\n3,".utf8) + Data([0xC3, 0x28, 0xFF]) + Data("\n".utf8), mentions: ["data.csv:3", "not valid UTF-8", "Re-save"])
    }

    func testNULByteNamesTheLine() throws {
        try assertRunFails(Data("a,b\n1,2\n3,".utf8) + Data([0]) + Data("4\n".utf8), mentions: ["data.csv:3", "NUL byte", "Re-save it as UTF-8"])
    }

    func testUTF16FileIsReportedAsNotUTF8Text() throws {
        let utf16 = "a,b\n1,2\n3,4\n5,6\n7,8\n".data(using: .utf16LittleEndian)!
        let (outcome, folder) = try runOnData(Data([0xFF, 0xFE]) + utf16)
        assertCleanFailure(outcome, mentions: ["data.csv:1"])
        XCTAssertTrue(outcome.stderr.contains("UTF-8"), outcome.stderr)
        assertNothingLeftBehind(folder)
    }

    func testEmptyFileIsRejected() throws {
        try assertRunFails("", mentions: ["data.csv:1", "the file is empty", "header row and at least one data row"])
    }

    func testHeaderOnlyIsRejected() throws {
        try assertRunFails("a,b,c\n", mentions: ["data.csv:2", "no data rows", "Add data rows"])
    }

    func testDuplicateHeadersNameBothFields() throws {
        try assertRunFails("a,b,a\n1,2,3\n", mentions: ["data.csv:1", "\"a\"", "fields 1 and 3", "Rename one"])
    }

    func testSingleRowIsRejectedAsTooFewRowsToSplit() throws {
        try assertRunFails("a,b\n1,2\n", mentions: ["data.csv", "1 data rows is too few", "at least 4"])
    }

    func testAllMissingColumnNamesTheColumn() throws {
        try assertRunFails("a,b\n1,\n2,NA\n3,\n4,\n5,\n6,\n", mentions: ["data.csv", "column \"b\" has no values", "Drop the column"])
    }

    func testNumberTooLargeForDoubleIsAnErrorNotInfinity() throws {
        // Enough rows that, read as infinity, the value would reach training.
        let tail = (4...30).map { "\($0),\(Double($0) + 0.5)\n" }.joined()
        try assertRunFails("a,b\n1,2.5\n2,3.5\n3,1e400\n" + tail, mentions: ["data.csv:4, field 2", "column \"b\"", "\"1e400\"", "too large", "1.8e308"])
        let digits = String(repeating: "9", count: 400)
        try assertRunFails("a,b\n1,2\n2,3\n3,\(digits)\n" + tail, mentions: ["data.csv:4, field 2", "too large"])
    }

    func testInfAndNanTextInAColumnDeclaredRealNameTheLine() throws {
        try assertRunFails("a,b\n1,2.5\n2,inf\n3,4.5\n4,5.5\n5,6.5\n", dataJSON: #", "columns": {"b": {"type": "real"}}"#,
                           mentions: ["data.csv:3, field 2", "column \"b\" is overridden as real", "\"inf\"", "missing tokens"])
        try assertRunFails("a,b\n1,2.5\n2,3.5\n3,-Infinity\n4,5.5\n5,6.5\n", dataJSON: #", "columns": {"b": {"type": "real"}}"#,
                           mentions: ["data.csv:4, field 2", "\"-Infinity\""])
    }

    /// Accepted: "NaN", "NA", "null" and empty cells are the default missing tokens; spelled `inf`
    /// or `nan` (lower case), a value is text, so an undeclared column becomes categorical and the
    /// typing reason names the line. No non-finite number ever enters a numeric column.
    func testNaNTokenIsMissingAndInfTextMakesAnUndeclaredColumnCategorical() throws {
        let folder = try makeScratchFolder(self, "nan")
        try "a,b,c\n1,2.5,1.5\n2,NaN,2.5\n3,4.5,inf\n".write(to: folder.appendingPathComponent("data.csv"), atomically: true, encoding: .utf8)
        let outcome = try TabCorrBinary.run(["inspect", "data.csv", "--json"], in: folder)
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        let columns = try XCTUnwrap(report["columns"] as? [[String: Any]])
        XCTAssertEqual(columns.map { $0["type"] as? String }, ["integer", "real", "categorical"])
        XCTAssertEqual(columns[1]["missing"] as? Int, 1)
        XCTAssertTrue((columns[2]["typeReason"] as? String ?? "").contains("\"inf\" on line 4"), "\(columns[2])")
    }

    /// A 10 MB field where a number is expected: the message quotes only its first 60 characters.
    func testTenMegabyteFieldIsCutInTheMessage() throws {
        var text = "a,b\n1,\"" + String(repeating: "x", count: 10_000_000) + "\"\n"
        for i in 2...6 { text += "\(i),\(Double(i) / 2)\n" }
        let (outcome, folder) = try runOnData(Data(text.utf8), dataJSON: #", "columns": {"b": {"type": "real"}}"#)
        assertCleanFailure(outcome, mentions: ["data.csv:2, field 2", "\"" + String(repeating: "x", count: 60) + "…\""])
        XCTAssertLessThan(outcome.stderr.utf8.count, 400, "the message should stay one short line")
        assertNothingLeftBehind(folder)
    }

    /// Accepted: a 10 MB field in a text column is one category; `inspect` shows it cut to 60 characters.
    func testTenMegabyteFieldInATextColumnIsReadAndShownCut() throws {
        let folder = try makeScratchFolder(self, "big")
        var text = "a,b\n1,\"" + String(repeating: "y", count: 10_000_000) + "\"\n"
        for i in 2...6 { text += "\(i),short\n" }
        try text.write(to: folder.appendingPathComponent("data.csv"), atomically: true, encoding: .utf8)
        let outcome = try TabCorrBinary.run(["inspect", "data.csv"], in: folder)
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        XCTAssertTrue(outcome.stdout.contains("2 levels: short (5), " + String(repeating: "y", count: 60) + "… (1)"), outcome.stdout.prefix(1000).description)
        XCTAssertLessThan(outcome.stdout.split(separator: "\n").map(\.utf8.count).max() ?? 0, 400)
    }

    /// Accepted: 100,000 distinct strings are read; levels beyond maxLevels (200) are grouped into
    /// "(other)" and `inspect` warns.
    func testHundredThousandDistinctStringsAreGroupedBeyondMaxLevels() throws {
        let folder = try makeScratchFolder(self, "distinct")
        var text = "a,b\n"
        for i in 0..<100_000 { text += "\(i % 97),s\(i)\n" }
        try text.write(to: folder.appendingPathComponent("data.csv"), atomically: true, encoding: .utf8)
        let outcome = try TabCorrBinary.run(["inspect", "data.csv"], in: folder)
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        XCTAssertTrue(outcome.stdout.contains("100000 distinct values exceed maxLevels (200), so 99801 rare levels (99801 cells) were grouped into \"(other)\""),
                      outcome.stdout)
        XCTAssertTrue(outcome.stdout.contains("warning: very many categories"), outcome.stdout)
    }

    /// Accepted: a constant column trains and evaluates without NaN in the results (checked in
    /// metrics.json, which JSON cannot even hold NaN in).
    func testConstantColumnRunsToCompletion() throws {
        let folder = try makeScratchFolder(self, "constant")
        let csv = TinyRun.csv().split(separator: "\n").enumerated().map { i, line in i == 0 ? line + ",same" : line + ",7" }.joined(separator: "\n") + "\n"
        let config = try TinyRun.write(into: folder, name: "constant", steps: 3, csv: csv)
        let outcome = try TabCorrBinary.run(["run", config, "--out", "out", "--quiet"], in: folder)
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        let metrics = try Data(contentsOf: folder.appendingPathComponent("out/constant/seed-0/metrics.json"))
        XCTAssertNoThrow(try JSONSerialization.jsonObject(with: metrics))
        let synthetic = try String(contentsOf: folder.appendingPathComponent("out/constant/seed-0/synthetic.csv"), encoding: .utf8)
        let constantColumn = synthetic.split(separator: "\n").dropFirst().map { $0.split(separator: ",").last.map(String.init) }
        XCTAssertEqual(Set(constantColumn), ["7"], "a constant column decodes to its single value")
    }

    /// Finite but huge values (±1.5e308) overflowed the transform's mean to -inf and the run died
    /// with "EncodingError.invalidValue" while saving the checkpoint; now refused up front.
    func testValuesTooLargeForStatisticsNameTheColumn() throws {
        let csv = "x,y\n" + (0..<40).map { "\(Double($0) / 7),\($0 % 2 == 0 ? "" : "-")1.5e308\n" }.joined()
        try assertRunFails(csv, mentions: ["data.csv", "column \"y\" holds values up to ±1.5e+308", "overflow double precision", "rescale the column"])
    }

    /// The same limit guards `evaluate`, whose metrics.json used to fail with "EncodingError.invalidValue: -nan".
    func testEvaluateWithValuesTooLargeForStatisticsNamesTheFile() throws {
        let folder = try makeScratchFolder(self, "evaluate-huge")
        try TinyRun.csv().write(to: folder.appendingPathComponent("train.csv"), atomically: true, encoding: .utf8)
        let huge = TinyRun.csv().split(separator: "\n").enumerated().map { i, line in
            i == 0 ? String(line) : line.split(separator: ",").enumerated().map { j, f in j == 1 ? "1e300" : String(f) }.joined(separator: ",")
        }.joined(separator: "\n") + "\n"
        try huge.write(to: folder.appendingPathComponent("synthetic.csv"), atomically: true, encoding: .utf8)
        let outcome = try TabCorrBinary.run(["evaluate", "--train", "train.csv", "--test", "train.csv", "--synthetic", "synthetic.csv"], in: folder)
        assertCleanFailure(outcome, mentions: ["synthetic.csv: column \"y\" holds values up to ±1e+300", "rescale the column"])
    }
}
