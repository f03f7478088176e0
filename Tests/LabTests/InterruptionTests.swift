// Kills `tabcorr run` and `tabcorr reproduce` (real child processes, SIGINT and SIGKILL) at several
// moments picked by watching the staging folder `.seed-<k>.partial-<pid>`: early, mid-training,
// after synthetic.csv is written (evaluation and report). After every kill no `seed-<k>` folder
// may exist without a completed metainfo.json; rerunning must finish the work with metrics.json,
// synthetic.csv and model.tcmodel byte-identical to an uninterrupted run's.

import Foundation
import XCTest

final class InterruptionTests: XCTestCase {
    /// A moment to interrupt at: a condition on the experiment folder, and how long to wait after it.
    struct Moment {
        var label: String
        var signal: Int32
        var delay: TimeInterval
        var reached: (URL) -> Bool
    }

    /// Whether `pid` is a running process. A dead process that its new parent (init or a
    /// subreaper) has not reaped yet is a zombie and still answers `kill(pid, 0)`; it counts as gone.
    static func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return kill(pid, 0) == 0 }
        // The state letter follows the command name, which is in parentheses and may contain spaces.
        guard let close = stat.lastIndex(of: ")") else { return true }
        let state = stat[stat.index(after: close)...].first { $0 != " " }
        return state != "Z" && state != "X"
    }

    static func entries(_ folder: URL) -> [String] { (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] }

    /// True once a staging folder of `seed` exists holding `file` (any file when nil).
    static func staging(seed: Int, holding file: String? = nil) -> (URL) -> Bool {
        { experiment in
            entries(experiment).contains { name in
                name.hasPrefix(".seed-\(seed).partial-")
                    && (file.map { FileManager.default.fileExists(atPath: experiment.appendingPathComponent(name).appendingPathComponent($0).path) } ?? true)
            }
        }
    }

    static var moments: [Moment] { [
        Moment(label: "SIGINT at 0.2 s", signal: SIGINT, delay: 0.2, reached: { _ in true }),
        Moment(label: "SIGKILL mid-training of seed 0", signal: SIGKILL, delay: 0.3, reached: staging(seed: 0, holding: "split.json")),
        Moment(label: "SIGKILL after seed 0's synthetic.csv (evaluation, report)", signal: SIGKILL, delay: 0, reached: staging(seed: 0, holding: "synthetic.csv")),
        Moment(label: "SIGINT mid-training of seed 1", signal: SIGINT, delay: 0.3, reached: staging(seed: 1, holding: "split.json")),
        Moment(label: "SIGKILL after seed 1's model.tcmodel", signal: SIGKILL, delay: 0, reached: staging(seed: 1, holding: "model.tcmodel")),
    ] }

    /// Starts `arguments`, waits until `moment` is reached in `experiment` (or the process ends),
    /// sends the signal, and returns whether the signal hit a running process.
    func interrupt(_ arguments: [String], in folder: URL, experiment: URL, at moment: Moment) throws -> Bool {
        let logs = folder.appendingPathComponent(".logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        let process = try TabCorrBinary.start(arguments, in: folder, logs: logs)
        // Safety cap only (a hung child must not hang the suite); nothing is asserted about time.
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning && !moment.reached(experiment) && Date() < deadline { usleep(1_000) }
        if moment.delay > 0 && process.isRunning { usleep(UInt32(moment.delay * 1_000_000)) }
        let hit = process.isRunning
        if hit { kill(process.processIdentifier, moment.signal) }
        process.waitUntilExit()
        return hit && process.terminationReason == .uncaughtSignal
    }

    /// No `seed-<k>` folder without a completed metainfo.json, and no summary without finished seeds.
    func assertNothingLooksFinishedWrongly(_ experiment: URL, after label: String, file: StaticString = #filePath, line: UInt = #line) {
        for name in Self.entries(experiment) where name.hasPrefix("seed-") {
            let info = experiment.appendingPathComponent(name).appendingPathComponent("metainfo.json")
            let object = (try? Data(contentsOf: info)).flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
            XCTAssertEqual(object?["status"] as? String, "completed", "\(name) after \(label) has no completed metainfo.json", file: file, line: line)
            for artifact in ["metrics.json", "synthetic.csv", "model.tcmodel", "report.md"] {
                XCTAssertTrue(FileManager.default.fileExists(atPath: experiment.appendingPathComponent(name).appendingPathComponent(artifact).path),
                              "\(name) after \(label) lacks \(artifact)", file: file, line: line)
            }
        }
    }

    /// A summary (a run's summary.json, a suite's table) may exist only once every seed it covers
    /// has a completed folder. A signal can land after the last seed finished and the summary was
    /// written (the process is still exiting), so "interrupted" alone does not mean "no summary".
    func assertSummaryOnlyAfterEverySeed(_ summary: URL, experiments: [URL], seeds: [Int], after label: String,
                                        file: StaticString = #filePath, line: UInt = #line) {
        guard FileManager.default.fileExists(atPath: summary.path) else { return }
        for experiment in experiments {
            for seed in seeds {
                let info = experiment.appendingPathComponent("seed-\(seed)/metainfo.json")
                XCTAssertTrue(FileManager.default.fileExists(atPath: info.path),
                              "\(summary.lastPathComponent) exists after \(label) though seed-\(seed) of \(experiment.lastPathComponent) is not finished",
                              file: file, line: line)
            }
        }
    }

    func assertSameResults(_ experiment: URL, as reference: URL, seeds: [Int], file: StaticString = #filePath, line: UInt = #line) throws {
        for seed in seeds {
            for artifact in ["metrics.json", "synthetic.csv", "model.tcmodel"] {
                let a = try Data(contentsOf: experiment.appendingPathComponent("seed-\(seed)/\(artifact)"))
                let b = try Data(contentsOf: reference.appendingPathComponent("seed-\(seed)/\(artifact)"))
                XCTAssertTrue(a == b, "seed-\(seed)/\(artifact) differs from the uninterrupted run", file: file, line: line)
            }
        }
        XCTAssertEqual(Self.entries(experiment).filter { $0.contains(".partial-") }, [], "staging folders left after the final run", file: file, line: line)
    }

    func testKilledRunLeavesNoFinishedLookingSeedAndRerunIsIdentical() throws {
        let reference = try makeScratchFolder(self, "run-reference"), interrupted = try makeScratchFolder(self, "run-interrupted")
        let arguments = ["run", "tiny.json", "--out", "out", "--threads", "1", "--quiet"]
        for folder in [reference, interrupted] { try TinyRun.write(into: folder, steps: 40, seeds: [0, 1]) }
        XCTAssertEqual(try TabCorrBinary.run(arguments, in: reference).status, 0)

        let experiment = interrupted.appendingPathComponent("out/tiny")
        var hits: [String] = []
        for moment in Self.moments {
            if try interrupt(arguments, in: interrupted, experiment: experiment, at: moment) { hits.append(moment.label) }
            assertNothingLooksFinishedWrongly(experiment, after: moment.label)
            assertSummaryOnlyAfterEverySeed(experiment.appendingPathComponent("summary.json"), experiments: [experiment], seeds: [0, 1], after: moment.label)
        }
        XCTAssertFalse(hits.isEmpty, "no interruption hit a running process")
        print("interrupted tabcorr run at: \(hits.joined(separator: "; "))")
        let final = try TabCorrBinary.run(arguments, in: interrupted)
        XCTAssertEqual(final.status, 0, final.stderr)
        try assertSameResults(experiment, as: reference.appendingPathComponent("out/tiny"), seeds: [0, 1])
        XCTAssertEqual(try Data(contentsOf: experiment.appendingPathComponent("summary.json")),
                       try Data(contentsOf: reference.appendingPathComponent("out/tiny/summary.json")))
    }

    /// A two-job suite: the dataset config holds the `data` section, the generator config the rest.
    func writeSuite(into folder: URL, steps: Int = 40) throws {
        try TinyRun.csv().write(to: folder.appendingPathComponent("data.csv"), atomically: true, encoding: .utf8)
        try #"{"data": {"path": "data.csv"}}"#.write(to: folder.appendingPathComponent("ds.json"), atomically: true, encoding: .utf8)
        try ("{" + TinyRun.trainingJSON(steps: steps, validateEvery: steps) + "}").write(to: folder.appendingPathComponent("gan.json"), atomically: true, encoding: .utf8)
        try #"{"datasets": ["ds.json"], "generators": ["gan.json"], "seeds": [0, 1]}"#
            .write(to: folder.appendingPathComponent("suite.json"), atomically: true, encoding: .utf8)
    }

    func testKilledReproduceLeavesNoFinishedLookingRunAndRerunIsIdentical() throws {
        let reference = try makeScratchFolder(self, "suite-reference"), interrupted = try makeScratchFolder(self, "suite-interrupted")
        let arguments = ["reproduce", "suite.json", "--out", "out", "--quiet"]
        for folder in [reference, interrupted] { try writeSuite(into: folder) }
        let first = try TabCorrBinary.run(arguments, in: reference)
        XCTAssertEqual(first.status, 0, first.stderr)

        let experiment = interrupted.appendingPathComponent("out/suite/ds--gan")
        var hits: [String] = []
        for moment in Self.moments {
            if try interrupt(arguments, in: interrupted, experiment: experiment, at: moment) { hits.append(moment.label) }
            assertNothingLooksFinishedWrongly(experiment, after: moment.label)
            assertSummaryOnlyAfterEverySeed(interrupted.appendingPathComponent("out/suite/table.csv"), experiments: [experiment], seeds: [0, 1], after: moment.label)
        }
        XCTAssertFalse(hits.isEmpty, "no interruption hit a running process")
        print("interrupted tabcorr reproduce at: \(hits.joined(separator: "; "))")
        let final = try TabCorrBinary.run(arguments, in: interrupted)
        XCTAssertEqual(final.status, 0, final.stderr)
        try assertSameResults(experiment, as: reference.appendingPathComponent("out/suite/ds--gan"), seeds: [0, 1])
        for table in ["table.csv", "table.md"] {
            XCTAssertEqual(try Data(contentsOf: interrupted.appendingPathComponent("out/suite/\(table)")),
                           try Data(contentsOf: reference.appendingPathComponent("out/suite/\(table)")), table)
        }
    }

    func testKilledParallelReproduceLeavesNoOrphanShards() throws {
        // Shards with minutes of work left (4,000 steps take about 3 s in a debug build), so an
        // orphan would still be running when the 30 s bound below ends.
        let folder = try makeScratchFolder(self, "suite-parallel")
        try writeSuite(into: folder, steps: 400_000)
        let logs = folder.appendingPathComponent(".logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        let experiment = folder.appendingPathComponent("out/suite/ds--gan")
        let parent = try TabCorrBinary.start(["reproduce", "suite.json", "--out", "out", "--jobs", "2", "--quiet"], in: folder, logs: logs)
        let deadline = Date().addingTimeInterval(60)
        // Both shards (seed 0 in shard 1, seed 1 in shard 2) have started once both staging folders exist.
        while parent.isRunning && !(Self.staging(seed: 0)(experiment) && Self.staging(seed: 1)(experiment)) && Date() < deadline { usleep(1_000) }
        try XCTSkipUnless(parent.isRunning, "the suite finished before a shard started a seed")
        // Shards name their staging folders after their pid: collect them, then kill the parent.
        let shardPids = Self.entries(experiment).filter { $0.contains(".partial-") }.compactMap { name in name.split(separator: "-").last.flatMap { Int32($0) } }
        XCTAssertEqual(shardPids.count, 2, "\(Self.entries(experiment))")
        kill(parent.processIdentifier, SIGKILL)
        parent.waitUntilExit()
        // Wait for the event (every shard gone) rather than a fixed budget: the shards notice their
        // parent's death within 0.1 s when idle, but a loaded machine may delay them by seconds,
        // so the bound is generous and only an orphan that keeps running fails the test.
        let bound = Date().addingTimeInterval(30)
        while shardPids.contains(where: Self.isRunning) && Date() < bound { usleep(20_000) }
        XCTAssertFalse(shardPids.contains(where: Self.isRunning), "shard processes \(shardPids) outlived their killed parent by 30 s")
        for pid in shardPids where Self.isRunning(pid) { kill(pid, SIGKILL) }  // after a failure, leave no orphan behind
        assertNothingLooksFinishedWrongly(experiment, after: "SIGKILL of reproduce --jobs 2")
    }
}
