// Runs the real `tabcorr` binary as a child process for the reliability tests (bad input,
// interruption, training faults), and checks that a failure is clean: an exit status (not a
// signal), exactly one `error:` line on stderr naming what it must, and no trap or stack trace.
// Also builds the small deterministic CSV files and configs those tests drive runs with.

import Foundation
import XCTest

/// The built `tabcorr` executable and how to run it.
enum TabCorrBinary {
    struct Outcome {
        var status: Int32
        var exitedBySignal: Bool
        var stdout: String
        var stderr: String

        var errorLines: [String] { stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }.map(String.init) }
    }

    /// Markers of a Swift runtime trap, a signal or a backtrace in a child's stderr.
    static let trapMarkers = ["Fatal error", "Illegal instruction", "Stack dump", "Current stack trace", "Program crashed",
                              "Segmentation fault", "precondition failed", "Assertion failed", "backtrace", "Trace/breakpoint trap"]

    /// Folders the test bundle may sit in; SwiftPM puts `tabcorr` in the same build folder.
    static var candidates: [URL] {
        var folders: [URL] = []
        if let override = ProcessInfo.processInfo.environment["TABCORR_BINARY"] { return [URL(fileURLWithPath: override)] }
        if let executable = Bundle.main.executableURL { folders.append(executable.deletingLastPathComponent()) }
        folders.append(Bundle.main.bundleURL)
        folders.append(Bundle.main.bundleURL.deletingLastPathComponent())
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") { folders.append(bundle.bundleURL.deletingLastPathComponent()) }
        return folders.map { $0.appendingPathComponent("tabcorr") }
    }

    /// The binary next to the test bundle; fails the test (never skips) when it is missing.
    static func url(file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) { return found }
        let message = "the tabcorr binary was not found (looked at \(candidates.map(\.path).joined(separator: ", "))); "
            + "build it with `swift build --product tabcorr` in the same build folder, or set TABCORR_BINARY"
        XCTFail(message, file: file, line: line)
        throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: message])
    }

    /// Starts `tabcorr arguments` in `directory` with stdout/stderr going to files in `logs`.
    static func start(_ arguments: [String], in directory: URL, logs: URL) throws -> Process {
        let process = Process()
        process.executableURL = try url()
        process.arguments = arguments
        process.currentDirectoryURL = directory
        _ = FileManager.default.createFile(atPath: logs.appendingPathComponent("stdout").path, contents: nil)
        _ = FileManager.default.createFile(atPath: logs.appendingPathComponent("stderr").path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: logs.appendingPathComponent("stdout"))
        process.standardError = try FileHandle(forWritingTo: logs.appendingPathComponent("stderr"))
        try process.run()
        return process
    }

    /// Runs `tabcorr arguments` in `directory` to completion.
    static func run(_ arguments: [String], in directory: URL) throws -> Outcome {
        let logs = directory.appendingPathComponent(".logs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: logs) }
        let process = try start(arguments, in: directory, logs: logs)
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, exitedBySignal: process.terminationReason == .uncaughtSignal,
                       stdout: (try? String(contentsOf: logs.appendingPathComponent("stdout"), encoding: .utf8)) ?? "",
                       stderr: (try? String(contentsOf: logs.appendingPathComponent("stderr"), encoding: .utf8)) ?? "<stderr not UTF-8>")
    }
}

/// Asserts a clean failure: exit status (no signal) not 0, exactly one `error:` line containing
/// every string in `mentions`, and no trap or backtrace on stderr.
func assertCleanFailure(_ outcome: TabCorrBinary.Outcome, mentions: [String], file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertFalse(outcome.exitedBySignal, "killed by signal \(outcome.status); stderr: \(outcome.stderr)", file: file, line: line)
    XCTAssertNotEqual(outcome.status, 0, "exit status 0; stdout: \(outcome.stdout.prefix(500))", file: file, line: line)
    for marker in TabCorrBinary.trapMarkers where outcome.stderr.localizedCaseInsensitiveContains(marker) {
        XCTFail("stderr shows a trap (\(marker)): \(outcome.stderr.prefix(2000))", file: file, line: line)
    }
    let errors = outcome.errorLines
    XCTAssertEqual(errors.count, 1, "expected exactly one error: line, stderr was: \(outcome.stderr.prefix(2000))", file: file, line: line)
    guard let message = errors.first else { return }
    for text in mentions where !message.contains(text) {
        XCTFail("the error line does not mention \"\(text)\": \(message)", file: file, line: line)
    }
}

/// A temporary folder removed when the test ends.
func makeScratchFolder(_ test: XCTestCase, _ label: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("tabcorr-\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}

/// Small deterministic data and configs (formulas, no randomness) for driving real runs.
enum TinyRun {
    /// `rows` rows: x (real), y ≈ 2x (real), k (integer 0…39) and c (categorical a/b/c).
    static func csv(rows: Int = 120) -> String {
        var lines = ["x,y,k,c"]
        for i in 0..<rows {
            let x = 3 * sin(Double(i) * 0.7), y = 2 * x + cos(Double(i) * 1.3)
            lines.append("\(x),\(y),\((i * 7) % 40),\(["a", "b", "c"][(i * i) % 3])")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Training and evaluation sections of a fast attention-GAN run (`steps` generator steps).
    static func trainingJSON(steps: Int, validateEvery: Int = 5, extraTraining: String = "") -> String {
        #""generator": {"trunkWidths": [16], "tokenWidth": 4, "heads": 1, "blocks": 1, "feedForwardWidth": 8, "noiseSize": 4}, "#
            + #""discriminator": {"widths": [16], "pac": 2}, "#
            + #""training": {"steps": \#(steps), "batchSize": 16, "logEvery": 1, "validateEvery": \#(validateEvery)\#(extraTraining)}, "#
            + #""evaluation": {"bootstrap": 10, "detectionFolds": 2}"#
    }

    /// Writes `data.csv` and `name.json` (a full config) into `folder`; returns the config path.
    @discardableResult
    static func write(into folder: URL, name: String = "tiny", steps: Int = 5, seeds: [Int] = [0], validateEvery: Int = 5,
                      extraTraining: String = "", csv: String = csv()) throws -> String {
        try csv.write(to: folder.appendingPathComponent("data.csv"), atomically: true, encoding: .utf8)
        let config = #"{"seeds": \#(seeds), "data": {"path": "data.csv"}, "# + trainingJSON(steps: steps, validateEvery: validateEvery, extraTraining: extraTraining) + "}"
        let path = folder.appendingPathComponent("\(name).json")
        try config.write(to: path, atomically: true, encoding: .utf8)
        return path.path
    }
}

final class BadInputHarnessTests: XCTestCase {
    /// The harness itself: the binary is found and a good command succeeds with no error line, so
    /// the clean-failure assertions elsewhere are not passing because nothing ran.
    func testBinaryRunsAndAGoodInspectSucceeds() throws {
        let folder = try makeScratchFolder(self, "harness")
        try TinyRun.csv().write(to: folder.appendingPathComponent("data.csv"), atomically: true, encoding: .utf8)
        let outcome = try TabCorrBinary.run(["inspect", "data.csv"], in: folder)
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        XCTAssertFalse(outcome.exitedBySignal)
        XCTAssertTrue(outcome.errorLines.isEmpty)
        XCTAssertTrue(outcome.stdout.contains("x") && outcome.stdout.contains("c"), outcome.stdout)
    }
}
