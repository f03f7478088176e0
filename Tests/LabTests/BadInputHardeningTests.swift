// Regression tests for issue 17 ("Hardening") through the real CLI: inputs that used to hang, take
// quadratic time, lose data or pass `validate` and then fail in `run`. Each test names the case;
// docs/RELIABILITY.md lists them with their messages.

import Foundation
import XCTest
@testable import Lab

final class BadInputHardeningTests: XCTestCase {
    /// Writes `json` as `bad.json` next to a good `data.csv` and runs `tabcorr <command> bad.json`.
    func runConfig(_ json: String, command: String = "validate") throws -> (TabCorrBinary.Outcome, URL) {
        let folder = try makeScratchFolder(self, "hardening")
        try TinyRun.csv().write(to: folder.appendingPathComponent("data.csv"), atomically: true, encoding: .utf8)
        try json.write(to: folder.appendingPathComponent("bad.json"), atomically: true, encoding: .utf8)
        return (try TabCorrBinary.run([command, "bad.json"], in: folder), folder)
    }

    /// Runs `body` and returns its wall-clock time in seconds.
    func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = Date()
        try body()
        return Date().timeIntervalSince(start)
    }

    // MARK: Quadratic parsing

    /// Was quadratic: 2 MB of `\\` took 17 s and 6 MB of `\u00e9` 22 s (release build). Now linear:
    /// well under a second each in a debug build; the bound is generous for a loaded machine.
    func testLongEscapedStringsParseInLinearTime() throws {
        for (escape, decoded) in [(#"\\"#, "\\"), (#"\u00e9"#, "é")] {
            let count = 1_000_000  // 2 MB of `\\`, 6 MB of `\u00e9`
            let text = String(repeating: escape, count: count)
            var outcome: TabCorrBinary.Outcome!
            let elapsed = try seconds {
                outcome = try runConfig(#"{"data": {"path": "data.csv"}, "description": "\#(text)"}"#).0
            }
            XCTAssertEqual(outcome.status, 0, outcome.stderr)
            XCTAssertLessThan(elapsed, 15, "\(escape) × \(count) took \(elapsed) s")
            // The resolved config written back holds the decoded text (escaped again for `\\`).
            XCTAssertTrue(outcome.stdout.contains(decoded == "é" ? String(repeating: "é", count: 1000) : String(repeating: #"\\"#, count: 1000)))
        }
    }

    /// Many keys in one object: the duplicate-key check and `extends` merging were linear per key.
    func testObjectWithManyKeysParsesAndMergesInLinearTime() throws {
        let columns = (0..<50_000).map { #""c\#($0)": {"type": "real"}"# }.joined(separator: ", ")
        let folder = try makeScratchFolder(self, "manykeys")
        try #"{"data": {"path": "data.csv", "columns": {\#(columns)}}}"#.write(to: folder.appendingPathComponent("base.json"), atomically: true, encoding: .utf8)
        try #"{"extends": "base.json", "data": {"columns": {\#(columns)}}}"#.write(to: folder.appendingPathComponent("run.json"), atomically: true, encoding: .utf8)
        var outcome: TabCorrBinary.Outcome!
        let elapsed = try seconds { outcome = try TabCorrBinary.run(["validate", "run.json"], in: folder) }
        // The config is accepted; validate then checks the data as run would (there is none here).
        assertCleanFailure(outcome, mentions: ["data.csv: cannot read the file"])
        XCTAssertLessThan(elapsed, 20)
    }

    /// Lists whose elements must be distinct (`seeds`, `data.dropColumns`) were checked element
    /// against element (quadratic: 100,000 seeds meant 5·10⁹ comparisons); now through a hash table.
    func testLongUniqueListsValidateInLinearTime() throws {
        let seeds = (0..<100_000).map(String.init).joined(separator: ", ")
        let columns = (0..<100_000).map { #""c\#($0)""# }.joined(separator: ", ")
        var outcome: TabCorrBinary.Outcome!
        let elapsed = try seconds {
            outcome = try runConfig(#"{"data": {"path": "data.csv", "dropColumns": [\#(columns)]}, "seeds": [\#(seeds)]}"#).0
        }
        // The config is accepted; validate then checks the data as run would (no such columns).
        assertCleanFailure(outcome, mentions: [#"data.dropColumns: no column named "c0""#])
        XCTAssertLessThan(elapsed, 20)
        let (repeated, _) = try runConfig(#"{"data": {"path": "data.csv"}, "seeds": [\#(seeds), 99999]}"#)
        assertCleanFailure(repeated, mentions: ["seeds[100000]", "repeats element [99999]"])
    }

    /// Writes `level-0.json` → `level-1.json` → … → `level-<depth>.json` (which holds `data`).
    func writeExtendsChain(depth: Int, in folder: URL) throws {
        for level in 0..<depth {
            try #"{"extends": "level-\#(level + 1).json"}"#.write(to: folder.appendingPathComponent("level-\(level).json"), atomically: false, encoding: .utf8)
        }
        try #"{"data": {"path": "data.csv"}}"#.write(to: folder.appendingPathComponent("level-\(depth).json"), atomically: true, encoding: .utf8)
    }

    /// Was quadratic with no limit (1,000 levels 14 s, 2,000 57 s). Now 64 bases are accepted and
    /// a deeper chain is refused at once, naming the chain and the limit.
    func testExtendsChainDepthIsLimitedAndTheErrorNamesTheChain() throws {
        let folder = try makeScratchFolder(self, "extendsdepth")
        try writeExtendsChain(depth: 64, in: folder)
        try TinyRun.csv().write(to: folder.appendingPathComponent("data.csv"), atomically: true, encoding: .utf8)
        let accepted = try TabCorrBinary.run(["validate", "level-0.json"], in: folder)
        XCTAssertEqual(accepted.status, 0, accepted.stderr)

        let deep = try makeScratchFolder(self, "extendsdeeper")
        try writeExtendsChain(depth: 500, in: deep)
        var outcome: TabCorrBinary.Outcome!
        let elapsed = try seconds { outcome = try TabCorrBinary.run(["validate", "level-0.json"], in: deep) }
        assertCleanFailure(outcome, mentions: ["level-64.json:1:", "extends: extends chain deeper than 64 levels",
                                               "level-0.json → level-1.json → level-2.json → … (60 more) … → level-63.json → level-64.json → level-65.json",
                                               "at most 64 bases"])
        XCTAssertLessThan(elapsed, 10)
    }

    /// A base shared through lists of bases (`extends: [next, next]` on every level) used to be
    /// loaded once per path to it: 2^20 loads for 20 levels. Each file is now merged once.
    func testSharedBasesAreMergedOnce() throws {
        let folder = try makeScratchFolder(self, "diamond")
        try TinyRun.csv().write(to: folder.appendingPathComponent("data.csv"), atomically: true, encoding: .utf8)
        for level in 0..<20 {
            try #"{"extends": ["d\#(level + 1).json", "./d\#(level + 1).json"], "training": {"steps": \#(level + 1)}}"#
                .write(to: folder.appendingPathComponent("d\(level).json"), atomically: true, encoding: .utf8)
        }
        try #"{"data": {"path": "data.csv"}}"#.write(to: folder.appendingPathComponent("d20.json"), atomically: true, encoding: .utf8)
        var outcome: TabCorrBinary.Outcome!
        let elapsed = try seconds { outcome = try TabCorrBinary.run(["validate", "d0.json"], in: folder) }
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        XCTAssertTrue(outcome.stdout.contains(#""steps": 1,"#), outcome.stdout)
        XCTAssertLessThan(elapsed, 10)
    }

    // MARK: Files that are not regular files

    /// Was a hang: the FIFO was opened (which blocks until a writer appears) before its type was checked.
    func testFIFOAsDataFileIsRefusedWithoutBlocking() throws {
        let folder = try makeScratchFolder(self, "fifo")
        let fifo = folder.appendingPathComponent("data.csv").path
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        try #"{"data": {"path": "data.csv"}, "# .appending(TinyRun.trainingJSON(steps: 2)).appending("}")
            .write(to: folder.appendingPathComponent("fifo.json"), atomically: true, encoding: .utf8)
        for arguments in [["inspect", "data.csv"], ["run", "fifo.json", "--out", "out", "--quiet"]] {
            let outcome = try runWithTimeout(arguments, in: folder, seconds: 60)
            assertCleanFailure(outcome, mentions: ["data.csv", "not a regular file: it is a FIFO (named pipe)"])
        }
        XCTAssertEqual((try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("out/fifo").path)) ?? [], [])
    }

    /// A FIFO as the model file blocked `generate` (the checkpoint was read before its type was checked).
    func testFIFOAsModelFileIsRefusedWithoutBlocking() throws {
        let folder = try makeScratchFolder(self, "fifo-model")
        XCTAssertEqual(mkfifo(folder.appendingPathComponent("pipe.tcmodel").path, 0o644), 0)
        assertCleanFailure(try runWithTimeout(["generate", "pipe.tcmodel", "--rows", "3"], in: folder, seconds: 60),
                           mentions: ["pipe.tcmodel: cannot read the checkpoint: not a regular file (it is a FIFO (named pipe))"])
    }

    /// `/dev/null` as a config said "permission denied"; a FIFO as a config would block.
    func testDeviceOrFIFOAsConfigSaysItIsNotARegularFile() throws {
        let folder = try makeScratchFolder(self, "devnull")
        assertCleanFailure(try TabCorrBinary.run(["validate", "/dev/null"], in: folder),
                           mentions: ["/dev/null: cannot read the config file: not a regular file (it is a character device)"])
        XCTAssertEqual(mkfifo(folder.appendingPathComponent("pipe.json").path, 0o644), 0)
        assertCleanFailure(try runWithTimeout(["validate", "pipe.json"], in: folder, seconds: 60),
                           mentions: ["pipe.json: cannot read the config file: not a regular file (it is a FIFO (named pipe))"])
        assertCleanFailure(try runWithTimeout(["reproduce", "pipe.json", "--out", "out"], in: folder, seconds: 60),
                           mentions: ["pipe.json: cannot read the suite file: not a regular file (it is a FIFO (named pipe))"])
        try #"{"extends": "/dev/zero", "data": {"path": "x.csv"}}"#.write(to: folder.appendingPathComponent("zero.json"), atomically: true, encoding: .utf8)
        assertCleanFailure(try runWithTimeout(["validate", "zero.json"], in: folder, seconds: 60),
                           mentions: ["zero.json:1:13: extends", "not a regular file (it is a character device)"])
    }

    /// Runs the binary, killing it (and failing the test) if it is still running after `seconds`,
    /// so a regression to a hang fails instead of blocking the suite.
    func runWithTimeout(_ arguments: [String], in folder: URL, seconds: Double,
                        file: StaticString = #filePath, line: UInt = #line) throws -> TabCorrBinary.Outcome {
        let logs = folder.appendingPathComponent(".logs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: logs) }
        let process = try TabCorrBinary.start(arguments, in: folder, logs: logs)
        let finished = DispatchSemaphore(value: 0)
        DispatchQueue.global().async { process.waitUntilExit(); finished.signal() }
        if finished.wait(timeout: .now() + seconds) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            finished.wait()
            XCTFail("tabcorr \(arguments.joined(separator: " ")) still ran after \(seconds) s (hang)", file: file, line: line)
        }
        return TabCorrBinary.Outcome(
            status: process.terminationStatus, exitedBySignal: process.terminationReason == .uncaughtSignal,
            stdout: (try? String(contentsOf: logs.appendingPathComponent("stdout"), encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: logs.appendingPathComponent("stderr"), encoding: .utf8)) ?? "")
    }
}

// MARK: Data loss and concurrent runs

extension BadInputHardeningTests {
    /// Was data loss: a `seed-0/` without metainfo.json (here the user's thesis), or a plain file
    /// named `seed-0`, was deleted and replaced by `run`. Now refused, with or without --force.
    func testSeedPathThatIsNotATabCorrRunIsNeverReplaced() throws {
        let folder = try makeScratchFolder(self, "foreignseed")
        try TinyRun.write(into: folder, steps: 2)
        let seed = folder.appendingPathComponent("out/tiny/seed-0")
        try FileManager.default.createDirectory(at: seed, withIntermediateDirectories: true)
        try "mine".write(to: seed.appendingPathComponent("thesis.tex"), atomically: true, encoding: .utf8)
        for extra in [[], ["--force"]] {
            let outcome = try TabCorrBinary.run(["run", "tiny.json", "--out", "out", "--quiet"] + extra, in: folder)
            assertCleanFailure(outcome, mentions: ["out/tiny/seed-0 exists but is not a TabCorr run folder (it has no metainfo.json)",
                                                   "move it away or choose another --out folder"])
            XCTAssertEqual(try String(contentsOf: seed.appendingPathComponent("thesis.tex"), encoding: .utf8), "mine")
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: seed.deletingLastPathComponent().path), ["seed-0"])
        }
        try FileManager.default.removeItem(at: seed)
        try "mine".write(to: seed, atomically: true, encoding: .utf8)
        for extra in [[], ["--force"]] {
            assertCleanFailure(try TabCorrBinary.run(["run", "tiny.json", "--out", "out", "--quiet"] + extra, in: folder),
                               mentions: ["out/tiny/seed-0 exists and is a file, not a TabCorr run folder"])
            XCTAssertEqual(try String(contentsOf: seed, encoding: .utf8), "mine")
        }
        // TabCorr's own folders are still replaced: a finished seed with --force.
        try FileManager.default.removeItem(at: seed)
        XCTAssertEqual(try TabCorrBinary.run(["run", "tiny.json", "--out", "out", "--quiet"], in: folder).status, 0)
        let forced = try TabCorrBinary.run(["run", "tiny.json", "--out", "out", "--quiet", "--force"], in: folder)
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: seed.deletingLastPathComponent().path).sorted(), ["seed-0", "summary.json"])
    }

    /// Was a race: a second `run` on the same --out and name (same config, or another config with
    /// the same name) deleted the first's staging folder or replaced its result. Now the second
    /// refuses while the first runs that seed; a lock left by a killed run is taken over.
    func testSecondConcurrentRunOnTheSameExperimentRefuses() throws {
        let folder = try makeScratchFolder(self, "concurrent")
        try TinyRun.write(into: folder, steps: 4000)
        let experiment = folder.appendingPathComponent("out/tiny")
        let logs = folder.appendingPathComponent(".logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        let first = try TabCorrBinary.start(["run", "tiny.json", "--out", "out", "--quiet", "--threads", "1"], in: folder, logs: logs)
        defer { if first.isRunning { kill(first.processIdentifier, SIGKILL); first.waitUntilExit() } }
        let deadline = Date().addingTimeInterval(60)
        func staging() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: experiment.path)) ?? []).filter { $0.contains(".partial-") } }
        while first.isRunning && staging().isEmpty && Date() < deadline { usleep(10_000) }
        XCTAssertTrue(first.isRunning, "the first run ended before the second started")

        try TinyRun.write(into: folder, name: "other", steps: 2)  // another config with the same name
        try #"{"name": "tiny", "extends": "other.json"}"#.write(to: folder.appendingPathComponent("renamed.json"), atomically: true, encoding: .utf8)
        for config in ["tiny.json", "renamed.json"] {
            let second = try TabCorrBinary.run(["run", config, "--out", "out", "--quiet"], in: folder)
            assertCleanFailure(second, mentions: ["out/tiny: seed 0 is being run right now by another tabcorr process (pid \(first.processIdentifier)",
                                                  "out/tiny/.seed-0.lock", "another --out folder or name"])
        }
        XCTAssertTrue(first.isRunning)
        XCTAssertEqual(staging().count, 1, "the second run touched the first's staging folder")

        // Killed by SIGKILL, the first run leaves its lock file; the next run takes it over.
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        let rerun = try TabCorrBinary.run(["run", "renamed.json", "--out", "out", "--quiet"], in: folder)
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: experiment.path).sorted(), ["seed-0", "summary.json"])
    }

    /// The locks are per seed (plus a short one around renames and summary.json), so the shards of
    /// `reproduce --jobs 2`, which run different seeds of one experiment at the same time, still work.
    /// Started through PATH as plain `tabcorr` (the README's install line), `reproduce --jobs 2`
    /// looked for its shards' executable in the current folder and failed with a Cocoa error.
    func testParallelReproduceStartedThroughPATHFindsItsExecutable() throws {
        let folder = try makeScratchFolder(self, "viapath")
        try TinyRun.csv().write(to: folder.appendingPathComponent("data.csv"), atomically: true, encoding: .utf8)
        try #"{"data": {"path": "data.csv"}, "evaluation": {"bootstrap": 0, "detectionFolds": 2}}"#.write(to: folder.appendingPathComponent("ds.json"), atomically: true, encoding: .utf8)
        try #"{"generator": {"type": "independent"}}"#.write(to: folder.appendingPathComponent("ind.json"), atomically: true, encoding: .utf8)
        try #"{"datasets": ["ds.json"], "generators": ["ind.json"], "seeds": [0, 1]}"#.write(to: folder.appendingPathComponent("suite.json"), atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "tabcorr reproduce suite.json --out out --jobs 2 --quiet"]
        process.currentDirectoryURL = folder
        process.environment = ["PATH": try TabCorrBinary.url().deletingLastPathComponent().path + ":/usr/bin:/bin"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = Pipe()
        try process.run()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/suite/table.md").path), stderr)
    }

    func testParallelReproduceShardsShareAnExperimentFolder() throws {
        let folder = try makeScratchFolder(self, "shards")
        try TinyRun.csv().write(to: folder.appendingPathComponent("data.csv"), atomically: true, encoding: .utf8)
        try #"{"data": {"path": "data.csv"}}"#.write(to: folder.appendingPathComponent("ds.json"), atomically: true, encoding: .utf8)
        try ("{" + TinyRun.trainingJSON(steps: 20, validateEvery: 20) + "}").write(to: folder.appendingPathComponent("gan.json"), atomically: true, encoding: .utf8)
        try #"{"datasets": ["ds.json"], "generators": ["gan.json"], "seeds": [0, 1]}"#
            .write(to: folder.appendingPathComponent("suite.json"), atomically: true, encoding: .utf8)
        let outcome = try TabCorrBinary.run(["reproduce", "suite.json", "--out", "out", "--jobs", "2"], in: folder)
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        // One combined progress counter over both shards (issue 18), not one counter per shard.
        let counters = outcome.stderr.split(separator: "\n").filter { $0.hasPrefix("[") }.map { $0.prefix { $0 != "]" } + "]" }
        XCTAssertEqual(counters.last, "[2/2]", outcome.stderr)
        XCTAssertFalse(counters.contains("[1/1]"), outcome.stderr)
        let experiment = folder.appendingPathComponent("out/suite/ds--gan").path
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: experiment).sorted(), ["seed-0", "seed-1", "summary.json"])
        let summary = try String(contentsOfFile: experiment + "/summary.json", encoding: .utf8)
        XCTAssertTrue(summary.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "\n", with: "").contains(#""completedSeeds":[0,1]"#), summary)
    }
}

// MARK: Numbers beyond Float, messages

extension BadInputHardeningTests {
    /// Was accepted by `validate`, then `run` failed with `EncodingError.invalidValue: inf` (beyond
    /// Float) or reported divergence (`beta1` rounding to 1); an integer field took a number that is
    /// not an integer as written but rounds to one as a Double. Now `validate` rejects them with the path.
    func testNumbersThatDoNotSurviveFloatAreRejectedByValidate() throws {
        let cases: [(String, String, [String])] = [
            ("training", #""generatorLearningRate": 1e308"#, ["training.generatorLearningRate", "within the range of a 32-bit float", "found 1e308"]),
            ("correlation", #""weight": 1e300"#, ["correlation.weight", "within the range of a 32-bit float", "found 1e300"]),
            ("correlation", #""weight": 3.5e38"#, ["correlation.weight", "within the range of a 32-bit float"]),
            ("training", #""beta1": 0.99999999999"#, ["training.beta1", "expected number in [0, 1), found 0.99999999999, which is 1 as a 32-bit float"]),
            ("training", #""discriminatorLearningRate": 1e-50"#, ["training.discriminatorLearningRate", "expected number > 0, found 1e-50, which is 0 as a 32-bit float"]),
            ("training", #""steps": 0.9999999999999999999"#, ["training.steps", "expected integer ≥ 0 or null, found number 0.9999999999999999999"]),
            ("training", #""batchSize": 4.00000000000000001e1"#, ["training.batchSize", "found number 4.00000000000000001e1"]),
        ]
        for (section, member, mentions) in cases {
            let (outcome, _) = try runConfig(#"{"data": {"path": "data.csv"}, "\#(section)": {\#(member)}}"#)
            assertCleanFailure(outcome, mentions: ["bad.json:1:"] + mentions)
        }
        let (accepted, _) = try runConfig(#"{"data": {"path": "data.csv"}, "correlation": {"weight": 3e38}, "training": {"beta1": 0.9999999, "validateEvery": 0.02e4, "logEvery": 5.0}}"#)
        XCTAssertEqual(accepted.status, 0, accepted.stderr)
    }

    /// Messages named library options (`option testFraction`, `option overrides.c`,
    /// `evaluation: targetColumn`); now the config file and JSON path.
    func testRunErrorsFromTheLibrariesNameTheJSONPath() throws {
        let training = TinyRun.trainingJSON(steps: 2)
        let cases: [(String, String, [String])] = [
            (TinyRun.csv(rows: 10), #""testFraction": 0.01"#, ["bad.json: data.testFraction: 0.01 of 10 rows leaves the train or test split empty"]),
            ("x,c\n" + (0..<30).map { "\(Double($0) * 0.5),\(["p", "q", "r"][$0 % 3])\n" }.joined(),
             #""columns": {"c": {"type": "boolean"}}"#, ["bad.json: data.columns.c: boolean needs at most 2 distinct values"]),
            (TinyRun.csv(), #""target": "nope""#, ["bad.json: data.target: \"nope\" is not a column of the data; pick one of"]),
            (TinyRun.csv(rows: 12), #""testFraction": 0.1"#,
             ["bad.json: evaluation.detectionFolds: 2 folds need at least 2 test and synthetic rows, have 1; raise data.testFraction, or lower evaluation.detectionFolds (at least 2)"]),
        ]
        for (csv, dataMember, mentions) in cases {
            let folder = try makeScratchFolder(self, "libraryterms")
            try csv.write(to: folder.appendingPathComponent("data.csv"), atomically: true, encoding: .utf8)
            try #"{"data": {"path": "data.csv", \#(dataMember)}, \#(training)}"#.write(to: folder.appendingPathComponent("bad.json"), atomically: true, encoding: .utf8)
            let outcome = try TabCorrBinary.run(["run", "bad.json", "--out", "out", "--quiet"], in: folder)
            assertCleanFailure(outcome, mentions: mentions)
            XCTAssertFalse(outcome.stderr.contains("option "), outcome.stderr)
            XCTAssertEqual((try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("out/bad").path)) ?? [], [])
        }
        let folder = try makeScratchFolder(self, "evaluatetarget")
        try TinyRun.csv().write(to: folder.appendingPathComponent("data.csv"), atomically: true, encoding: .utf8)
        let evaluate = try TabCorrBinary.run(["evaluate", "--train", "data.csv", "--test", "data.csv", "--synthetic", "data.csv", "--target", "nope"], in: folder)
        assertCleanFailure(evaluate, mentions: ["--target nope: not a column of the tables; pick one of x, y, k, c"])
        // `evaluate` has no folds option: the advice is about its files.
        try TinyRun.csv(rows: 4).write(to: folder.appendingPathComponent("small.csv"), atomically: true, encoding: .utf8)
        let small = try TabCorrBinary.run(["evaluate", "--train", "data.csv", "--test", "small.csv", "--synthetic", "data.csv"], in: folder)
        assertCleanFailure(small, mentions: ["small.csv, data.csv: the detection metric uses 5-fold cross-validation, so --test and --synthetic need at least 5 rows each; they have 4 and 120"])
        XCTAssertFalse(small.stderr.contains("lower detectionFolds"), small.stderr)
    }

    /// `inspect --delimiter ';;'` exited 1 (a data error); a bad option value is a usage error: 64.
    func testBadDelimiterOptionIsAUsageError() throws {
        let folder = try makeScratchFolder(self, "delimiter")
        try TinyRun.csv().write(to: folder.appendingPathComponent("data.csv"), atomically: true, encoding: .utf8)
        for value in [";;", "é", "\"", ""] {
            let outcome = try TabCorrBinary.run(["inspect", "data.csv", "--delimiter", value], in: folder)
            XCTAssertEqual(outcome.status, 64, "--delimiter '\(value)': \(outcome.stderr)")
            XCTAssertTrue(outcome.stderr.contains("expected one ASCII character other than a double quote, CR or LF"), outcome.stderr)
        }
        XCTAssertEqual(try TabCorrBinary.run(["inspect", "data.csv", "--delimiter", ","], in: folder).status, 0)
    }

    /// `validate` accepted what `run` rejects only later (a target that is not a column failed after
    /// 2,000 training steps); now both check the data, its columns, the split and the memory first.
    func testValidateRejectsWhatRunWouldRejectBeforeTraining() throws {
        let cases: [(String, [String])] = [
            (#"{"data": {"path": "data.csv", "target": "nope"}}"#, [#"bad.json: data.target: "nope" is not a column of the data; pick one of x, y, k, c"#]),
            (#"{"data": {"path": "data.csv"}, "evaluation": {"target": "nope"}}"#, [#"evaluation.target: "nope" is not a column"#]),
            (#"{"data": {"path": "data.csv"}, "generator": {"conditionColumn": "nope"}}"#, [#"generator.conditionColumn: "nope" is not a column"#]),
            (#"{"data": {"path": "missing.csv"}}"#, ["missing.csv: cannot read the file"]),
            (#"{"data": {"path": "data.csv", "delimiter": "é"}}"#, ["data.delimiter", "one ASCII character"]),
            (#"{"data": {"path": "data.csv"}, "generator": {"noiseSize": 2000000000}}"#, ["of memory, over the budget", "generator.noiseSize"]),
        ]
        for (json, mentions) in cases {
            let (validated, folder) = try runConfig(json)
            assertCleanFailure(validated, mentions: mentions)
            // run stops at the same point, before training: nothing is left in the results folder.
            let run = try TabCorrBinary.run(["run", "bad.json", "--out", "out", "--quiet"], in: folder)
            assertCleanFailure(run, mentions: mentions)
            XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/bad/seed-0").path), json)
        }
        XCTAssertEqual(try runConfig(#"{"data": {"path": "data.csv", "target": "k"}}"#).0.status, 0)
    }

    /// Minor cases of issue 17: `--out ""` wrote into the current folder, a NUL in `data.path` read
    /// the prefix, a repeated `--condition` kept the last one silently.
    func testEmptyOutNULPathsAndRepeatedConditionsAreRefused() throws {
        let (empty, folder) = try runConfig(#"{"data": {"path": "data.csv"}}"#, command: "validate")
        XCTAssertEqual(empty.status, 0, empty.stderr)
        let out = try TabCorrBinary.run(["run", "bad.json", "--out", ""], in: folder)
        XCTAssertEqual(out.status, 64, out.stderr)
        XCTAssertTrue(out.stderr.contains("invalid value '' for '--out <dir>': expected a non-empty value"), out.stderr)
        let (nul, _) = try runConfig(#"{"data": {"path": "data.csv\u0000.json"}}"#)
        assertCleanFailure(nul, mentions: ["data.path", "NUL character"])
        let twice = try TabCorrBinary.run(["generate", "nowhere", "--rows", "3", "--condition", "k=a", "--condition", "k=b"], in: folder)
        XCTAssertEqual(twice.status, 1)
        XCTAssertTrue(twice.stderr.contains("--condition given twice (k=a, k=b)"), twice.stderr)
    }

    /// `evaluate` with an all-empty synthetic column exited 0 and averaged over fewer columns and
    /// pairs than the floor; now an empty column fails and a constant one is warned about.
    func testEvaluateRefusesEmptyColumnsAndWarnsAboutLeftOutPairs() throws {
        let folder = try makeScratchFolder(self, "evaluatecolumns")
        let rows = (0..<40).map { ($0 % 7, Double($0) * 0.37, $0 % 2 == 0 ? "x" : "y") }
        try ("a,b,c\n" + rows.map { "\($0.0),\($0.1),\($0.2)" }.joined(separator: "\n") + "\n").write(to: folder.appendingPathComponent("real.csv"), atomically: true, encoding: .utf8)
        try ("a,b,c\n" + rows.map { "\($0.0),,\($0.2)" }.joined(separator: "\n") + "\n").write(to: folder.appendingPathComponent("empty.csv"), atomically: true, encoding: .utf8)
        try ("a,b,c\n" + rows.map { "\($0.0),1.5,\($0.2)" }.joined(separator: "\n") + "\n").write(to: folder.appendingPathComponent("constant.csv"), atomically: true, encoding: .utf8)
        let empty = try TabCorrBinary.run(["evaluate", "--train", "real.csv", "--test", "real.csv", "--synthetic", "empty.csv"], in: folder)
        assertCleanFailure(empty, mentions: [#"empty.csv: column "b" has no values"#])
        let constant = try TabCorrBinary.run(["evaluate", "--train", "real.csv", "--test", "real.csv", "--synthetic", "constant.csv"], in: folder)
        XCTAssertEqual(constant.status, 0, constant.stderr)
        XCTAssertTrue(constant.stderr.contains("warning: Pearson compares 0 of 1 column pairs for the synthetic table"), constant.stderr)
    }

    /// Raw Foundation errors (`NSCocoaErrorDomain error 512` for `--out` a folder, `Code=640` on a
    /// full disk) are said in words.
    func testWriteErrorsAreSaidInWords() throws {
        let folder = try makeScratchFolder(self, "writeerrors")
        try TinyRun.csv().write(to: folder.appendingPathComponent("data.csv"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("adir"), withIntermediateDirectories: true)
        let outcome = try TabCorrBinary.run(["evaluate", "--train", "data.csv", "--test", "data.csv", "--synthetic", "data.csv", "--out", "adir"], in: folder)
        assertCleanFailure(outcome, mentions: ["adir: is a folder; give the path of a file to write"])
        XCTAssertFalse(outcome.stderr.contains("NSCocoaErrorDomain"), outcome.stderr)
        XCTAssertEqual(plainReason(NSError(domain: NSCocoaErrorDomain, code: NSFileWriteOutOfSpaceError)), "no space left on the device")
        let wrapped = NSError(domain: NSCocoaErrorDomain, code: 512, userInfo: [NSUnderlyingErrorKey: NSError(domain: NSPOSIXErrorDomain, code: Int(ENOSPC))])
        XCTAssertEqual(plainReason(wrapped), "No space left on device")
    }

    /// Sizes that `validate` accepts used to abort the run in the allocator (exit 134) or swap for
    /// minutes; the memory estimate refuses them before training, naming the keys to lower.
    func testRunawaySizesAreRefusedBeforeAllocating() throws {
        let folder = try makeScratchFolder(self, "memory")
        try TinyRun.csv().write(to: folder.appendingPathComponent("data.csv"), atomically: true, encoding: .utf8)
        let cases: [(String, String)] = [
            (#""generator": {"noiseSize": 2000000000}"#, "generator.noiseSize"),
            (#""generator": {"trunkWidths": [100000000]}"#, "trunkWidths"),
            (#""generator": {"tokenWidth": 100000000, "heads": 1}"#, "tokenWidth"),
            (#""generator": {"feedForwardWidth": 1000000000}"#, "feedForwardWidth"),
            (#""generator": {"blocks": 1000000}"#, "blocks"),
            (#""discriminator": {"widths": [1000000000]}"#, "discriminator.widths"),
            (#""evaluation": {"bootstrap": 1000000000}"#, "evaluation.bootstrap"),
        ]
        for (index, (fragment, key)) in cases.enumerated() {
            try #"{"data": {"path": "data.csv"}, "training": {"steps": 2}, \#(fragment)}"#
                .write(to: folder.appendingPathComponent("m\(index).json"), atomically: true, encoding: .utf8)
            let outcome = try TabCorrBinary.run(["run", "m\(index).json", "--out", "out", "--quiet"], in: folder)
            assertCleanFailure(outcome, mentions: ["of memory, over the budget", "TABCORR_MEMORY_BUDGET_MB", key])
        }
    }

    /// A ";"-delimited file without data.delimiter used to train on one text column of whole rows
    /// and ship copies of them; now run and inspect refuse and name the fix.
    func testSemicolonFileWithoutItsDelimiterIsRefused() throws {
        let folder = try makeScratchFolder(self, "semicolon")
        let text = "a;b;c\n" + (0..<60).map { "\(Double($0) / 7);\(Double($0 * $0) / 11);\($0 % 2 == 0 ? "x" : "y")" }.joined(separator: "\n") + "\n"
        try text.write(to: folder.appendingPathComponent("d.csv"), atomically: true, encoding: .utf8)
        try #"{"data": {"path": "d.csv"}, "training": {"steps": 2}}"#.write(to: folder.appendingPathComponent("c.json"), atomically: true, encoding: .utf8)
        let run = try TabCorrBinary.run(["run", "c.json", "--out", "out", "--quiet"], in: folder)
        assertCleanFailure(run, mentions: ["d.csv:1:", "looks \";\"-delimited", "data.delimiter"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/c/seed-0").path))
        assertCleanFailure(try TabCorrBinary.run(["inspect", "d.csv"], in: folder), mentions: ["--delimiter"])
        XCTAssertEqual(try TabCorrBinary.run(["inspect", "d.csv", "--delimiter", ";"], in: folder).status, 0)
    }

    /// A 100,000-digit number (or key, or argument) was echoed whole in the error; now cut to 40 characters.
    func testHugeValuesAreNotEchoedWhole() throws {
        let digits = String(repeating: "9", count: 100_000)
        let key = String(repeating: "k", count: 100_000)
        for json in [#"{"data": {"path": "data.csv"}, "training": {"steps": \#(digits)}}"#,
                     #"{"data": {"path": "data.csv"}, "training": {"\#(key)": 1}}"#,
                     #"{"data": {"path": "data.csv"}, "generator": {"type": "\#(key)"}}"#] {
            let (outcome, _) = try runConfig(json)
            assertCleanFailure(outcome, mentions: ["bad.json:1:", "(100000 characters)"])
            XCTAssertLessThan(outcome.stderr.count, 1000, String(outcome.stderr.prefix(300)))
        }
        let folder = try makeScratchFolder(self, "hugeargument")
        for arguments in [["run", "x.json", "--seeds", digits], ["inspect", "x.csv", "--delimiter", key], ["run", "x.json", digits]] {
            let outcome = try TabCorrBinary.run(arguments, in: folder)
            XCTAssertEqual(outcome.status, 64, String(outcome.stderr.prefix(300)))
            XCTAssertLessThan(outcome.stderr.count, 1000, String(outcome.stderr.prefix(300)))
            XCTAssertTrue(outcome.stderr.contains("(100000 characters)"), String(outcome.stderr.prefix(300)))
        }
    }
}
