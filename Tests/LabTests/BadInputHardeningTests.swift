// Regression tests for issue 17 ("Hardening") through the real CLI: inputs that used to hang, take
// quadratic time, lose data or pass `validate` and then fail in `run`. Each test names the case;
// docs/RELIABILITY.md lists them with their messages.

import Foundation
import XCTest

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
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        XCTAssertLessThan(elapsed, 20)
    }

    /// Writes `level-0.json` → `level-1.json` → … → `level-<depth>.json` (which holds `data`).
    func writeExtendsChain(depth: Int, in folder: URL) throws {
        for level in 0..<depth {
            try #"{"extends": "level-\#(level + 1).json"}"#.write(to: folder.appendingPathComponent("level-\(level).json"), atomically: true, encoding: .utf8)
        }
        try #"{"data": {"path": "data.csv"}}"#.write(to: folder.appendingPathComponent("level-\(depth).json"), atomically: true, encoding: .utf8)
    }

    /// Was quadratic with no limit (1,000 levels 14 s, 2,000 57 s). Now 64 bases are accepted and
    /// a deeper chain is refused at once, naming the chain and the limit.
    func testExtendsChainDepthIsLimitedAndTheErrorNamesTheChain() throws {
        let folder = try makeScratchFolder(self, "extendsdepth")
        try writeExtendsChain(depth: 64, in: folder)
        let accepted = try TabCorrBinary.run(["validate", "level-0.json"], in: folder)
        XCTAssertEqual(accepted.status, 0, accepted.stderr)

        let deep = try makeScratchFolder(self, "extendsdeeper")
        try writeExtendsChain(depth: 2000, in: deep)
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

    /// `/dev/null` as a config said "permission denied"; a FIFO as a config would block.
    func testDeviceOrFIFOAsConfigSaysItIsNotARegularFile() throws {
        let folder = try makeScratchFolder(self, "devnull")
        assertCleanFailure(try TabCorrBinary.run(["validate", "/dev/null"], in: folder),
                           mentions: ["/dev/null: cannot read the config file: not a regular file (it is a character device)"])
        XCTAssertEqual(mkfifo(folder.appendingPathComponent("pipe.json").path, 0o644), 0)
        assertCleanFailure(try runWithTimeout(["validate", "pipe.json"], in: folder, seconds: 60),
                           mentions: ["pipe.json: cannot read the config file: not a regular file (it is a FIFO (named pipe))"])
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
