// Bad configs, files, folders and checkpoints through the real CLI (child processes): each exits
// non-zero with one `error:` line naming the file and JSON path (or the file and what is wrong
// with it) and saying what to do. Accepted behaviour is stated in the test name.

import Foundation
import XCTest

final class BadInputConfigTests: XCTestCase {
    /// Validates config `json` (written as `bad.json` next to a good `data.csv`) with `tabcorr validate`.
    func validate(_ json: String) throws -> TabCorrBinary.Outcome {
        let folder = try makeScratchFolder(self, "config")
        try TinyRun.csv().write(to: folder.appendingPathComponent("data.csv"), atomically: true, encoding: .utf8)
        try json.write(to: folder.appendingPathComponent("bad.json"), atomically: true, encoding: .utf8)
        return try TabCorrBinary.run(["validate", "bad.json"], in: folder)
    }

    func assertRejected(_ json: String, mentions: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        assertCleanFailure(try validate(json), mentions: ["bad.json:"] + mentions, file: file, line: line)
    }

    func testNegativeZeroAndFractionalBatchSizesNameTheJSONPath() throws {
        for value in ["-3", "0", "1", "2.5", "1e300", "99999999999999999999999", "\"16\""] {
            try assertRejected(#"{"data": {"path": "data.csv"}, "training": {"batchSize": \#(value)}}"#,
                               mentions: ["bad.json:1:", "training.batchSize", "expected integer ≥ 2"])
        }
    }

    /// Accepted: a batch size above the number of training rows is capped to the rows (rounded down to a multiple of pac).
    func testHugeBatchSizeIsCappedToTheTrainingRows() throws {
        let folder = try makeScratchFolder(self, "hugebatch")
        let config = try TinyRun.write(into: folder, name: "huge", steps: 2)
        var text = try String(contentsOfFile: config, encoding: .utf8)
        text = text.replacingOccurrences(of: #""batchSize": 16"#, with: #""batchSize": 100000000"#)
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        let outcome = try TabCorrBinary.run(["run", config, "--out", "out", "--quiet"], in: folder)
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/huge/seed-0/synthetic.csv").path))
    }

    func testPacThatDoesNotDivideTheBatchIsRejected() throws {
        try assertRejected(#"{"data": {"path": "data.csv"}, "discriminator": {"pac": 3}, "training": {"batchSize": 16}}"#,
                           mentions: ["discriminator.pac", "must divide training.batchSize (16)"])
    }

    func testNegativeLambdaIsRejected() throws {
        try assertRejected(#"{"data": {"path": "data.csv"}, "correlation": {"weight": -0.5}}"#, mentions: ["correlation.weight", "expected number ≥ 0", "-0.5"])
    }

    func testTestFractionOutsideOpenUnitIntervalIsRejected() throws {
        for value in ["0", "1", "-0.2", "1.5"] {
            try assertRejected(#"{"data": {"path": "data.csv", "testFraction": \#(value)}}"#, mentions: ["data.testFraction", "expected number in (0, 1)"])
        }
        try assertRejected(#"{"data": {"path": "data.csv", "validationFraction": 1}}"#, mentions: ["data.validationFraction", "[0, 1)"])
    }

    func testUnknownGeneratorNameListsTheValidOnes() throws {
        try assertRejected(#"{"data": {"path": "data.csv"}, "generator": {"type": "ctgan"}}"#,
                           mentions: ["generator.type", "\"ctgan\" is not valid", "\"attention\"", "\"gaussianCopula\""])
    }

    func testMisspelledKeySuggestsTheRightOne() throws {
        try assertRejected(#"{"data": {"path": "data.csv"}, "trainig": {}}"#, mentions: ["unknown key \"trainig\"", "did you mean \"training\""])
    }

    func testMalformedAndDeeplyNestedJSONNameLineAndColumn() throws {
        try assertRejected("{\"data\": {\"path\": \"data.csv\"},\n \"training\": {\"steps\": 1", mentions: ["bad.json:2:", "malformed JSON"])
        try assertRejected(String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000),
                           mentions: ["bad.json:1:513", "at most 512 levels of nesting"])
        try assertRejected(#"{"data": {"path": "data.csv"}, "training": {"generatorLearningRate": 1e400}}"#, mentions: ["range of a 64-bit double"])
    }

    func testConfigThatIsMissingOrNotUTF8() throws {
        let folder = try makeScratchFolder(self, "configfile")
        assertCleanFailure(try TabCorrBinary.run(["validate", "nope.json"], in: folder), mentions: ["nope.json", "cannot read the config file", "no such file"])
        try Data([0x7B, 0xFF, 0x7D]).write(to: folder.appendingPathComponent("binary.json"))
        assertCleanFailure(try TabCorrBinary.run(["run", "binary.json"], in: folder), mentions: ["binary.json", "not valid UTF-8"])
    }

    func testMissingDataFileNamesTheResolvedPath() throws {
        let folder = try makeScratchFolder(self, "nodata")
        try #"{"data": {"path": "missing/nope.csv"}}"#.write(to: folder.appendingPathComponent("c.json"), atomically: true, encoding: .utf8)
        let outcome = try TabCorrBinary.run(["run", "c.json", "--out", "out", "--quiet"], in: folder)
        assertCleanFailure(outcome, mentions: ["missing/nope.csv", "cannot read the file", "Check the path"])
        XCTAssertEqual((try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("out/c").path)) ?? [], [])
    }

    func testEvaluateWithATestFileMissingATrainColumnNamesTheFile() throws {
        let folder = try makeScratchFolder(self, "evaluate")
        try TinyRun.csv().write(to: folder.appendingPathComponent("train.csv"), atomically: true, encoding: .utf8)
        try "x,y,c\n1.5,2.5,a\n2.5,3.5,b\n".write(to: folder.appendingPathComponent("test.csv"), atomically: true, encoding: .utf8)
        let outcome = try TabCorrBinary.run(["evaluate", "--train", "train.csv", "--test", "test.csv", "--synthetic", "train.csv"], in: folder)
        assertCleanFailure(outcome, mentions: ["test.csv: no column \"k\", which --train has", "x, y, c", "--test needs the same columns as --train"])
    }

    /// Issue 18: `tabcorr run data.csv` (what an SDV user types first) used to fail as malformed
    /// JSON; it now runs the default model, and a JSON that is not a config gets the one-line config.
    func testADataFileRunsTheDefaultModelAndANonConfigGetsTheSmallestConfig() throws {
        let folder = try makeScratchFolder(self, "csv-as-config")
        try TinyRun.csv().write(to: folder.appendingPathComponent("people.csv"), atomically: true, encoding: .utf8)
        let validated = try TabCorrBinary.run(["validate", "people.csv"], in: folder)
        XCTAssertEqual(validated.status, 0, validated.stderr)
        XCTAssertTrue(validated.stdout.contains(#""name": "people""#) && validated.stdout.contains(#""path": "people.csv""#), validated.stdout)
        XCTAssertTrue(validated.stderr.contains(#"people.csv: a data file, so TabCorr's default model is used on it; to change a setting, write a config: {"data":{"path":"people.csv"}}"#), validated.stderr)
        try "[1, 2]".write(to: folder.appendingPathComponent("list.json"), atomically: true, encoding: .utf8)
        assertCleanFailure(try TabCorrBinary.run(["run", "list.json"], in: folder),
                           mentions: ["list.json:1:1", #"the smallest is {"data": {"path": "your.csv"}}"#])
    }

    func testEvaluateJSONToAFileKeepsStdoutQuiet() throws {
        let folder = try makeScratchFolder(self, "evaluate-out")
        try TinyRun.csv().write(to: folder.appendingPathComponent("train.csv"), atomically: true, encoding: .utf8)
        let arguments = ["evaluate", "--train", "train.csv", "--test", "train.csv", "--synthetic", "train.csv", "--out", "m.json"]
        let quiet = try TabCorrBinary.run(arguments + ["--json"], in: folder)
        XCTAssertEqual(quiet.status, 0, quiet.stderr)
        XCTAssertEqual(quiet.stdout, "", "the JSON went to the file")
        XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("m.json"))) as? [String: Any])
        let text = try TabCorrBinary.run(arguments, in: folder)
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertFalse(text.stdout.isEmpty, "without --json the text summary still prints")
        XCTAssertFalse(text.stdout.hasPrefix("{"), text.stdout)
    }

    /// A finished seed used to be skipped even when the config had changed since, mixing two
    /// configs in one summary. Changing only `seeds` (or `description`) still resumes.
    func testChangedConfigIsNotSilentlySkippedForFinishedSeeds() throws {
        let folder = try makeScratchFolder(self, "changed")
        let config = try TinyRun.write(into: folder, steps: 2)
        XCTAssertEqual(try TabCorrBinary.run(["run", config, "--out", "out", "--quiet"], in: folder).status, 0)
        try TinyRun.write(into: folder, steps: 3)
        assertCleanFailure(try TabCorrBinary.run(["run", config, "--out", "out", "--quiet"], in: folder),
                           mentions: ["out/tiny/seed-0", "different config", "\"training\" differs", "--force"])
        try TinyRun.write(into: folder, steps: 2, seeds: [0, 1])
        let resumed = try TabCorrBinary.run(["run", config, "--out", "out"], in: folder)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("seed 0: already completed"), resumed.stderr)
        XCTAssertTrue(resumed.stdout.contains("seed 1: completed"), resumed.stdout)
    }
}
