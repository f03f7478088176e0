// End-to-end tests of the runner on a tiny generated table: every artifact is written, results
// are byte-identical across thread counts, finished seeds are skipped, checkpoints regenerate
// the same rows, compare and reproduce work on the results, and suite shards tile the suite.

import XCTest
import TensorKit
import Synthesis
@testable import Lab

/// A temporary folder with a small mixed-type CSV and helpers to write configs into it.
final class Sandbox {
    let root: String

    init() throws {
        root = (NSTemporaryDirectory() as NSString).appendingPathComponent("tabcorr-lab-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        var rng = RandomStream(seed: 7)
        var lines = ["x,y,z,kind"]
        for _ in 0..<80 {
            let a = rng.nextNormal(), k = rng.nextInt(below: 3)
            let b = 0.8 * a + 0.6 * rng.nextNormal(), c = -0.5 * a + rng.nextNormal() + Double(k)
            lines.append("\(a),\(b),\(c),\(["red", "green", "blue"][k])")
        }
        try write("data.csv", lines.joined(separator: "\n") + "\n")
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    /// Makes the sandbox the current directory (suites write `Results/` relative to it); call the
    /// returned closure to go back.
    func enter() -> () -> Void {
        let saved = FileManager.default.currentDirectoryPath
        precondition(FileManager.default.changeCurrentDirectoryPath(root), "cannot enter \(root)")
        return { _ = FileManager.default.changeCurrentDirectoryPath(saved) }
    }

    func path(_ name: String) -> String { (root as NSString).appendingPathComponent(name) }

    func write(_ name: String, _ text: String) throws {
        try FileManager.default.createDirectory(atPath: (path(name) as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
    }

    /// A fast config: a few training steps, light evaluation.
    func config(_ name: String = "tiny", generator: String = #""trunkWidths": [16], "tokenWidth": 4, "noiseSize": 8, "feedForwardWidth": 8"#,
                extra: String = "") throws -> ExperimentConfig {
        try write("\(name).json", """
        {"data": {"path": "data.csv", "target": "kind"},
         "generator": {\(generator)},
         "discriminator": {"widths": [16]},
         "training": {"steps": 6, "batchSize": 16, "logEvery": 2, "validateEvery": 3},
         "evaluation": {"bootstrap": 10, "detectionFolds": 2}\(extra)}
        """)
        return try ConfigLoader.load(path: path("\(name).json"))
    }

    func read(_ name: String) -> Data? { FileManager.default.contents(atPath: path(name)) }
}

final class RunnerTests: XCTestCase {
    func testRunWritesEveryArtifact() throws {
        let box = try Sandbox()
        let outcomes = try Runner.run(try box.config(), options: RunOptions(outDirectory: box.path("out"), quiet: true))
        XCTAssertEqual(outcomes.map(\.status), [.completed])
        for file in ["config.resolved.json", "split.json", "synthetic.csv", "metrics.json", "training_log.csv", "attention.csv",
                     "metainfo.json", "report.md", "report.html", "model.tcmodel", "figures/correlation-test.svg", "figures/losses.svg",
                     "figures/attention-block1.svg"] {
            XCTAssertNotNil(box.read("out/tiny/seed-0/\(file)"), "missing \(file)")
        }
        XCTAssertNotNil(box.read("out/tiny/summary.json"))
        let split = try JSONSerialization.jsonObject(with: box.read("out/tiny/seed-0/split.json")!) as! [String: [Int]]
        XCTAssertEqual(Set(split["train"]! + split["validation"]! + split["test"]!), Set(0..<80))
        XCTAssertEqual(split["test"]!.count, 16)
        let synthetic = String(decoding: box.read("out/tiny/seed-0/synthetic.csv")!, as: UTF8.self).split(separator: "\n")
        XCTAssertEqual(synthetic.first, "x,y,z,kind")
        XCTAssertEqual(synthetic.count, 1 + 64, "as many rows as the train split")
        let html = String(decoding: box.read("out/tiny/seed-0/report.html")!, as: UTF8.self)
        XCTAssertTrue(html.contains("<svg") && !html.contains("src=\"figures/"), "figures are embedded")
        let metrics = try loadMetrics(box.path("out/tiny/seed-0/metrics.json"))
        XCTAssertNotNil(metrics["pearson.synthetic.meanAbsoluteDifference"])
        XCTAssertNotNil(metrics["efficacy.macroF1Ratio"])
        XCTAssertEqual(RunRecord.status(of: box.path("out/tiny/seed-0")), "completed")
        // Issue 17: config.resolved.json names the data relative to its own folder, so it runs where it lies;
        // a folder written before that (paths relative to the original config) still counts as the same config.
        let seedFolder = box.path("out/tiny/seed-0")
        let config = try box.config()
        let resolved = try ConfigLoader.load(path: seedFolder + "/config.resolved.json")
        XCTAssertEqual(FilePath.normalized(resolved.data.path), FilePath.normalized(box.path("data.csv")))
        XCTAssertNil(RunRecord.configDifference(in: seedFolder, from: config))
        try box.write("out/tiny/seed-0/config.resolved.json", config.resolvedJSON())
        XCTAssertNil(RunRecord.configDifference(in: seedFolder, from: config), "the format before issue 17")
        // A folder written before a key existed (as if generator.gumbelTemperature were new) is the
        // same config while the key is at its default.
        var stored = try XCTUnwrap(JSONSerialization.jsonObject(with: XCTUnwrap(box.read("out/tiny/seed-0/config.resolved.json"))) as? [String: Any])
        var generator = try XCTUnwrap(stored["generator"] as? [String: Any])
        generator["gumbelTemperature"] = nil
        stored["generator"] = generator
        try JSONSerialization.data(withJSONObject: stored).write(to: URL(fileURLWithPath: seedFolder + "/config.resolved.json"))
        XCTAssertNil(RunRecord.configDifference(in: seedFolder, from: config), "a key added since, at its default")
        var otherTemperature = config
        otherTemperature.generator.gumbelTemperature = 0.5
        XCTAssertEqual(RunRecord.configDifference(in: seedFolder, from: otherTemperature), "\"generator\" differs")
        var changed = config
        changed.data.path = box.path("other.csv")
        XCTAssertEqual(RunRecord.configDifference(in: seedFolder, from: changed), "\"data\" differs")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: box.path("out/tiny")).filter { $0.contains("partial") }
        XCTAssertEqual(leftovers, [])
    }

    /// Issue 15: `tabcorr split` writes the rows a run uses, so other tools fit on TabCorr's own splits.
    func testSplitWritesTheRunsSplitsAsCSV() throws {
        let box = try Sandbox()
        try Runner.run(try box.config(), options: RunOptions(seeds: [1], outDirectory: box.path("out"), quiet: true))
        XCTAssertEqual(TabCorrCLI.main(["split", box.path("tiny.json"), "--seed", "1", "--out", box.path("split"), "--quiet"]), 64, "split has no --quiet")
        XCTAssertEqual(TabCorrCLI.main(["split", box.path("tiny.json"), "--seed", "1", "--out", box.path("split")]), 0)
        XCTAssertEqual(box.read("split/split.json"), box.read("out/tiny/seed-1/split.json"), "the run's split")
        let indices = try JSONSerialization.jsonObject(with: box.read("split/split.json")!) as! [String: [Int]]
        let source = String(decoding: box.read("data.csv")!, as: UTF8.self).split(separator: "\n").map(String.init)
        func lines(_ name: String) -> [String] { String(decoding: box.read("split/\(name)")!, as: UTF8.self).split(separator: "\n").map(String.init) }
        // Each file holds the header and the data file's rows at the split's indices, in order.
        for (file, rows) in [("train.csv", indices["train"]! + indices["validation"]!), ("fit.csv", indices["train"]!),
                             ("validation.csv", indices["validation"]!), ("test.csv", indices["test"]!)] {
            XCTAssertEqual(lines(file), [source[0]] + rows.map { source[$0 + 1] }, file)
        }
        XCTAssertEqual(lines("train.csv").count, 1 + 64)
    }

    /// Issue 15: `evaluate --config --seed` on a run's split files and synthetic.csv scores them as the
    /// run did: its metrics.json, less the generator-output marginals only a run has.
    func testEvaluateWithConfigAndSeedReproducesTheRunsMetrics() throws {
        let box = try Sandbox()
        try Runner.run(try box.config(), options: RunOptions(seeds: [1], outDirectory: box.path("out"), quiet: true))
        XCTAssertEqual(TabCorrCLI.main(["split", box.path("tiny.json"), "--seed", "1", "--out", box.path("split")]), 0)
        let files = ["--train", box.path("split/train.csv"), "--test", box.path("split/test.csv"), "--synthetic", box.path("out/tiny/seed-1/synthetic.csv")]
        XCTAssertEqual(TabCorrCLI.main(["evaluate", "--config", box.path("tiny.json"), "--seed", "1"] + files + ["--out", box.path("m.json"), "--json"]), 0)
        func object(_ name: String) throws -> NSMutableDictionary {
            try XCTUnwrap(JSONSerialization.jsonObject(with: XCTUnwrap(box.read(name)), options: .mutableContainers) as? NSMutableDictionary)
        }
        let run = try object("out/tiny/seed-1/metrics.json"), evaluated = try object("m.json")
        XCTAssertNotNil(run["generatorMarginals"])
        XCTAssertNil(evaluated["generatorMarginals"])
        run.removeObject(forKey: "generatorMarginals")
        XCTAssertEqual(run, evaluated)
        // Without --config the defaults differ (no target, more bootstrap replicates); --seed alone and --target with --config are refused.
        XCTAssertEqual(TabCorrCLI.main(["evaluate"] + files + ["--out", box.path("default.json"), "--json"]), 0)
        XCTAssertNotEqual(try object("default.json"), evaluated)
        XCTAssertEqual(TabCorrCLI.main(["evaluate", "--seed", "1"] + files), 1)
        XCTAssertEqual(TabCorrCLI.main(["evaluate", "--config", box.path("tiny.json"), "--target", "kind"] + files), 1)
    }

    func testSameSeedIsByteIdenticalWhateverTheThreadCountAndSeedsDiffer() throws {
        let box = try Sandbox()
        let config = try box.config()
        let saved = Parallel.threadCount
        defer { Parallel.threadCount = saved }
        for (threads, out) in [(1, "one"), (2, "two")] {
            Parallel.threadCount = threads
            try Runner.run(config, options: RunOptions(seeds: [0, 1], outDirectory: box.path(out), quiet: true))
        }
        for file in ["synthetic.csv", "metrics.json", "training_log.csv", "split.json"] {
            XCTAssertEqual(box.read("one/tiny/seed-0/\(file)"), box.read("two/tiny/seed-0/\(file)"), "\(file) differs across thread counts")
        }
        XCTAssertNotEqual(box.read("one/tiny/seed-0/synthetic.csv"), box.read("one/tiny/seed-1/synthetic.csv"))
    }

    func testFinishedSeedsAreSkippedUnlessForced() throws {
        let box = try Sandbox()
        let config = try box.config()
        try Runner.run(config, options: RunOptions(outDirectory: box.path("out"), quiet: true))
        let skipped = try Runner.run(config, options: RunOptions(outDirectory: box.path("out"), quiet: true))
        XCTAssertEqual(skipped.map(\.status), [.skipped])
        let forced = try Runner.run(config, options: RunOptions(outDirectory: box.path("out"), force: true, quiet: true))
        XCTAssertEqual(forced.map(\.status), [.completed])
    }

    func testEveryGeneratorTypeRuns() throws {
        let box = try Sandbox()
        for type in GeneratorConfig.GeneratorType.allCases.map(\.rawValue) {
            let config = try box.config(type, generator: #""type": "\#(type)", "trunkWidths": [16], "tokenWidth": 4, "noiseSize": 8, "feedForwardWidth": 8"#)
            let outcome = try Runner.run(config, options: RunOptions(outDirectory: box.path("out"), quiet: true))
            XCTAssertEqual(outcome.map(\.status), [.completed], type)
        }
        // The identity baseline reproduces the train split: its train-vs-synthetic difference is 0.
        let identity = try loadMetrics(box.path("out/identity/seed-0/metrics.json"))
        XCTAssertEqual(identity["pearson.syntheticVsTrain.meanAbsoluteDifference"] ?? -1, 0, accuracy: 1e-12)
        XCTAssertEqual(identity["pearson.synthetic.meanAbsoluteDifference"], identity["pearson.floor.meanAbsoluteDifference"])
    }

    func testCheckpointGeneratesTheSameRowsAndHonoursConditions() throws {
        let box = try Sandbox()
        let config = try box.config("cond", generator: #""conditionColumn": "kind", "trunkWidths": [16], "tokenWidth": 4, "noiseSize": 8, "feedForwardWidth": 8"#)
        try Runner.run(config, options: RunOptions(outDirectory: box.path("out"), quiet: true))
        let synthesizer = try Synthesizer.load(from: box.path("out/cond/seed-0/model.tcmodel"))
        XCTAssertEqual(synthesizer.options.conditionColumn, "kind")
        for (args, file) in [(["--seed", "3"], "a.csv"), (["--seed", "3"], "b.csv"), (["--seed", "4"], "c.csv"),
                             (["--seed", "3", "--condition", "kind=blue"], "d.csv")] {
            XCTAssertEqual(TabCorrCLI.main(["generate", box.path("out/cond/seed-0"), "--rows", "30", "--out", box.path(file)] + args), 0)
        }
        XCTAssertEqual(box.read("a.csv"), box.read("b.csv"))
        XCTAssertNotEqual(box.read("a.csv"), box.read("c.csv"))
        let rows = String(decoding: box.read("d.csv")!, as: UTF8.self).split(separator: "\n").dropFirst()
        XCTAssertEqual(rows.count, 30)
        XCTAssertTrue(rows.allSatisfy { $0.hasSuffix(",blue") })
        XCTAssertEqual(TabCorrCLI.main(["generate", box.path("out/cond/seed-0"), "--rows", "3", "--condition", "kind=purple"]), 1)
        // A corrupted checkpoint is a clear error.
        var bytes = box.read("out/cond/seed-0/model.tcmodel")!
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: box.path("broken.tcmodel")))
        XCTAssertThrowsError(try Synthesizer.load(from: box.path("broken.tcmodel"))) { XCTAssertTrue("\($0)".contains("checksum"), "\($0)") }
    }
}

final class CompareAndSuiteTests: XCTestCase {
    func writeMetrics(_ box: Sandbox, _ experiment: String, _ seed: Int, pearson: Double) throws {
        try box.write("res/\(experiment)/seed-\(seed)/metrics.json", #"{"pearson": {"synthetic": {"meanAbsoluteDifference": \#(pearson)}}}"#)
        try box.write("res/\(experiment)/seed-\(seed)/metainfo.json", #"{"status": "completed"}"#)
    }

    func testFlattenKeepsZeroAndOneAndSkipsBooleansAndArrays() throws {
        let flat = try flattenMetrics(Data(#"{"a": {"zero": 0, "one": 1, "half": 0.5, "flag": true, "list": [1, 2]}}"#.utf8))
        XCTAssertEqual(flat, ["a.zero": 0, "a.one": 1, "a.half": 0.5])
    }

    func testSignFlipPValueByHand() {
        // Differences 1, 2, 3: only the all-plus and all-minus assignments reach |sum| = 6 → 2/8.
        XCTAssertEqual(signFlipPValue([1, 2, 3]), 0.25)
        // 1, −1: every assignment has |sum| ≥ 0 → 1.
        XCTAssertEqual(signFlipPValue([1, -1]), 1)
    }

    func testCompareMeansDeltasAndBest() throws {
        let box = try Sandbox()
        for (seed, (a, b)) in [(0.10, 0.05), (0.12, 0.07), (0.14, 0.06)].enumerated() {
            try writeMetrics(box, "a", seed, pearson: a)
            try writeMetrics(box, "b", seed, pearson: b)
        }
        let cells = compare([try ResultSet(path: box.path("res/a")), try ResultSet(path: box.path("res/b"))],
                            metrics: [HeadlineMetric.named("pearson.synthetic.meanAbsoluteDifference")])
        XCTAssertEqual(cells.count, 2)
        XCTAssertEqual(cells[0].mean!, 0.12, accuracy: 1e-12)
        XCTAssertEqual(cells[0].std!, 0.02, accuracy: 1e-12)
        XCTAssertEqual(cells[1].delta!, 0.06 - 0.12, accuracy: 1e-12)
        XCTAssertEqual(cells[1].pValue, 0.25)
        XCTAssertEqual(cells.map(\.best), [false, true])
        let markdown = renderComparisonMarkdown(cells, results: ["a", "b"])
        XCTAssertTrue(markdown.contains("**0.0600 ± 0.0100**"), markdown)
    }

    /// Issue 18: a one-seed comparison promises no spread or p-value it does not show, the floor is
    /// not ranked, results on different data warn, and an unknown metric lists matching names.
    func testCompareLegendFloorDatasetsAndMetricNames() throws {
        let box = try Sandbox()
        for (experiment, pearson, type, data) in [("floor", 0.01, "identity", "a.csv"), ("x", 0.05, "gan", "a.csv"), ("y", 0.04, "gan", "b.csv")] {
            try writeMetrics(box, experiment, 0, pearson: pearson)
            try box.write("res/\(experiment)/seed-0/config.resolved.json", #"{"generator": {"type": "\#(type)"}, "data": {"path": "../\#(data)"}}"#)
        }
        let results = try ["floor", "x", "y"].map { try ResultSet(path: box.path("res/\($0)")) }
        let cells = compare(results, metrics: [HeadlineMetric.named("pearson.synthetic.meanAbsoluteDifference")])
        XCTAssertEqual(cells.map(\.best), [false, false, true], "the floor is not a competitor")
        XCTAssertNil(cells[0].std, "one seed has no spread")
        let markdown = renderComparisonMarkdown(cells, results: results.map(\.label))
        XCTAssertTrue(markdown.contains("One seed each") && !markdown.contains("±") && !markdown.contains("p ="), markdown)
        XCTAssertEqual(results.map(\.isFloor), [true, false, false])
        XCTAssertEqual(Set(results.compactMap(\.dataset)), ["a.csv", "b.csv"])

        let outcome = try TabCorrBinary.run(["compare", "res/floor", "res/x", "res/y", "--metric", "pearson"], in: URL(fileURLWithPath: box.root))
        XCTAssertEqual(outcome.status, 1)
        XCTAssertTrue(outcome.stderr.contains("warning: these results come from different data (a.csv; b.csv)"), outcome.stderr)
        XCTAssertTrue(outcome.stderr.contains("matching ones: pearson.synthetic.meanAbsoluteDifference"), outcome.stderr)
    }

    func writeSuite(_ box: Sandbox) throws -> String {
        try box.write("datasets/tiny.json", #"{"data": {"path": "../data.csv", "target": "kind"}, "evaluation": {"bootstrap": 5, "detectionFolds": 2}}"#)
        try box.write("models/identity.json", #"{"generator": {"type": "identity"}}"#)
        try box.write("models/independent.json", #"{"generator": {"type": "independent"}}"#)
        try box.write("suite.json", #"{"seeds": [0, 1], "datasets": ["datasets/tiny.json"], "generators": ["models/identity.json", "models/independent.json"], "table": {"metrics": ["pearson.synthetic.meanAbsoluteDifference", "marginals.meanKSStatistic"]}}"#)
        return box.path("suite.json")
    }

    func testShardsTileTheSuite() throws {
        let box = try Sandbox()
        let suite = try SuiteSpec.load(path: try writeSuite(box))
        XCTAssertEqual(suite.jobs.count, 4)
        for n in 1...5 {
            let shards = (1...n).flatMap { suite.jobs(shard: $0, of: n) }
            XCTAssertEqual(shards.count, suite.jobs.count, "shards of \(n) overlap or miss jobs")
            XCTAssertEqual(Set(shards.map { "\($0.experiment)/\($0.seed)" }), Set(suite.jobs.map { "\($0.experiment)/\($0.seed)" }))
        }
    }

    /// Issue 18: a run in progress holds a lock file and a staging folder; the progress line named
    /// it twice ("seed 0, seed 1, seed 1, seed 0").
    func testProgressLineNamesEachRunningSeedOnce() throws {
        let box = try Sandbox()
        let suite = try SuiteSpec.load(path: try writeSuite(box))
        let out = box.path("Results")
        for name in [".seed-1.lock", ".seed-1.partial-4242", ".seed-0.lock", ".seed-0.partial-4241"] {
            try box.write("Results/suite/tiny--identity/\(name)", "")
        }
        var progress = SuiteProgress(suite: suite, out: out)
        XCTAssertEqual(progress.update(), "[0/4] — running: tiny--identity seed 0, tiny--identity seed 1")
    }

    /// Issue 17: a misspelt table metric, --collect with nothing to collect, a committed row no
    /// longer in the suite and a CRLF table.csv used to pass silently or read as "—".
    func testSuiteTablesRefuseUnknownMetricsEmptyCollectsAndStaleRows() throws {
        let box = try Sandbox()
        let suitePath = try writeSuite(box)
        let leave = box.enter()
        defer { leave() }
        defer { try? FileManager.default.removeItem(atPath: TabCorrCLI.scratchPath(suiteName: "suite", suitePath: suitePath)) }
        let suite = try SuiteSpec.load(path: suitePath)
        XCTAssertThrowsError(try suite.writeTables(out: box.path("nothing"))) { XCTAssertTrue("\($0)".contains("no finished runs"), "\($0)") }
        XCTAssertEqual(TabCorrCLI.main(["reproduce", suitePath, "--quiet"]), 0)
        var misspelt = suite
        misspelt.table.metrics.append("nope.metric")
        XCTAssertThrowsError(try misspelt.writeTables(out: box.path("Results"))) {
            XCTAssertTrue("\($0)".contains(#"table.metrics: "nope.metric" is in none of the finished runs' metrics.json"#), "\($0)")
        }
        // CRLF line ends read as the same table: the check passes.
        let csv = String(decoding: box.read("Results/suite/table.csv")!, as: UTF8.self)
        try box.write("Results/suite/table.csv", csv.replacingOccurrences(of: "\n", with: "\r\n"))
        XCTAssertEqual(TabCorrCLI.main(["reproduce", suitePath, "--check", "--quiet"]), 0)
        // A committed row the suite no longer has fails the check.
        try box.write("Results/suite/table.csv", csv + "tiny,gone,pearson.synthetic.meanAbsoluteDifference,2,0.1,0.01,0\n")
        XCTAssertEqual(TabCorrCLI.main(["reproduce", suitePath, "--check", "--quiet"]), 1)
    }

    /// Issue 18: array tasks must not each run `swift build` in the shared checkout; the script
    /// runs the prebuilt binary and fails clearly without it.
    func testSlurmScriptRunsThePrebuiltBinaryAndRefusesWithoutIt() throws {
        let box = try Sandbox()
        let suite = try SuiteSpec.load(path: try writeSuite(box))
        let script = TabCorrCLI.slurmScript(suite: suite, suitePath: "suite.json", out: "Results", shards: 4)
        XCTAssertFalse(script.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix("swift build") }, script)
        try box.write("job.sh", script)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [box.path("job.sh")]
        process.currentDirectoryURL = URL(fileURLWithPath: box.root)
        process.environment = ["SLURM_ARRAY_TASK_ID": "1", "SLURM_CPUS_PER_TASK": "1", "PATH": "/usr/bin:/bin"]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 1)
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertTrue(message.contains(".build/release/tabcorr is missing; run 'swift build -c release'"), message)
    }

    /// Issue 15: the peers' committed per-seed JSONs are columns of the table; a failure or an
    /// exceeded budget is a note with its reason; wall time is shown but never compared by --check,
    /// and --check rebuilds the peers' cells from the committed files.
    func testPeersAreColumnsWithNotesAndTheCheckRebuildsThem() throws {
        let box = try Sandbox()
        _ = try writeSuite(box)
        try box.write("suite.json", #"{"seeds": [0, 1], "datasets": ["datasets/tiny.json"], "generators": ["models/identity.json"], "peers": ["sdv_x", "synthcity_y"], "#
                      + #""table": {"metrics": ["pearson.synthetic.meanAbsoluteDifference", "durationsSeconds.synthesis"]}}"#)
        let suitePath = box.path("suite.json")
        let leave = box.enter()
        defer { leave() }
        defer { try? FileManager.default.removeItem(atPath: TabCorrCLI.scratchPath(suiteName: "suite", suitePath: suitePath)) }
        func peer(_ name: String, _ seed: Int, _ json: String) throws { try box.write("Results/suite/peers/tiny--\(name)/seed-\(seed).json", json) }
        func scored(_ pearson: Double, fit: Double) -> String {
            #"{"metrics": {"pearson": {"synthetic": {"meanAbsoluteDifference": \#(pearson)}}}, "fitSeconds": \#(fit), "sampleSeconds": 0.5}"#
        }
        try peer("sdv_x", 0, scored(0.25, fit: 2.5))
        try peer("sdv_x", 1, scored(0.75, fit: 3.5))
        try peer("synthcity_y", 0, #"{"failed": "ValueError: found NaNs in sample", "exitCode": 1}"#)
        try peer("synthcity_y", 1, #"{"overBudget": 912.4, "budgetSeconds": 900}"#)
        XCTAssertEqual(TabCorrCLI.main(["reproduce", suitePath, "--quiet"]), 0)
        var table = String(decoding: box.read("Results/suite/table.md")!, as: UTF8.self)
        XCTAssertTrue(table.contains("| dataset | identity | sdv_x | synthcity_y |"), table)
        XCTAssertTrue(table.contains("| 0.500 ± 0.354 | failed † [1] |"), table)
        XCTAssertTrue(table.contains("| 3.5 ± 0.7 | failed † [1] |") && table.contains("wall time, not compared by --check"), table)
        XCTAssertTrue(table.contains("1. tiny × synthcity_y: seed 0: failed: ValueError: found NaNs in sample; seed 1: over the budget of 900 s: stopped after 912 s"), table)
        // A peer whose only unfinished seeds ran over the budget says so in its cells.
        try peer("synthcity_y", 0, #"{"overBudget": 900, "budgetSeconds": 900}"#)
        XCTAssertEqual(TabCorrCLI.main(["reproduce", suitePath, "--collect"]), 0)
        XCTAssertTrue(String(decoding: box.read("Results/suite/table.md")!, as: UTF8.self).contains("| over budget † [1] |"))
        try peer("synthcity_y", 0, #"{"failed": "ValueError: found NaNs in sample", "exitCode": 1}"#)
        XCTAssertEqual(TabCorrCLI.main(["reproduce", suitePath, "--collect"]), 0)
        let csv = String(decoding: box.read("Results/suite/table.csv")!, as: UTF8.self)
        XCTAssertTrue(csv.contains(#"tiny,synthcity_y,pearson.synthetic.meanAbsoluteDifference,0,,,2,seed 0: failed: ValueError: found NaNs in sample; seed 1: over"#), csv)

        XCTAssertEqual(TabCorrCLI.main(["reproduce", suitePath, "--check", "--quiet"]), 0, "the peers' cells are rebuilt from the committed files; wall times are not compared")
        try peer("sdv_x", 1, scored(0.5, fit: 3.5))
        XCTAssertEqual(TabCorrCLI.main(["reproduce", suitePath, "--check", "--quiet"]), 1, "a changed peer result fails the check")
        try peer("sdv_x", 1, scored(0.75, fit: 99))
        XCTAssertEqual(TabCorrCLI.main(["reproduce", suitePath, "--check", "--quiet"]), 0, "a changed wall time does not")

        try FileManager.default.removeItem(atPath: box.path("Results/suite/peers/tiny--sdv_x/seed-1.json"))
        XCTAssertEqual(TabCorrCLI.main(["reproduce", suitePath, "--collect"]), 0)
        table = String(decoding: box.read("Results/suite/table.md")!, as: UTF8.self)
        XCTAssertTrue(table.contains("| 0.250 (n = 1) |"), "a peer run on fewer seeds says so: \(table)")

        // A peer file that is neither a result nor a recorded failure is an error naming it.
        try peer("sdv_x", 1, #"{"fitSeconds": 1}"#)
        XCTAssertThrowsError(try SuiteSpec.load(path: suitePath).writeTables(out: box.path("Results"))) {
            XCTAssertTrue("\($0)".contains("tiny--sdv_x/seed-1.json: holds neither metrics nor a failure nor overBudget"), "\($0)")
        }

        try box.write("clash.json", #"{"datasets": ["datasets/tiny.json"], "generators": ["models/identity.json"], "peers": ["identity"]}"#)
        XCTAssertThrowsError(try SuiteSpec.load(path: box.path("clash.json"))) {
            XCTAssertTrue("\($0)".contains(#"peer "identity" has the name of a generator config"#), "\($0)")
        }
    }

    func testReproduceBuildsTheTableAndCheckDetectsChanges() throws {
        let box = try Sandbox()
        let suitePath = try writeSuite(box)
        let leave = box.enter()
        defer { leave() }
        XCTAssertEqual(TabCorrCLI.main(["reproduce", suitePath, "--quiet"]), 0)
        let table = String(decoding: box.read("Results/suite/table.md")!, as: UTF8.self)
        XCTAssertTrue(table.contains("| tiny | ") && table.contains("tabcorr reproduce"), table)
        let csv = String(decoding: box.read("Results/suite/table.csv")!, as: UTF8.self)
        XCTAssertEqual(csv.split(separator: "\n").count, 1 + 2 * 2)
        let scratch = TabCorrCLI.scratchPath(suiteName: "suite", suitePath: suitePath)
        XCTAssertEqual(TabCorrCLI.main(["reproduce", suitePath, "--check", "--quiet"]), 0, "a recomputation matches exactly")
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch), "a passed check leaves no scratch folder")
        try box.write("Results/suite/table.csv", csv.replacingOccurrences(of: "tiny,identity,marginals.meanKSStatistic,2,", with: "tiny,identity,marginals.meanKSStatistic,2,9"))
        XCTAssertEqual(TabCorrCLI.main(["reproduce", suitePath, "--check", "--quiet"]), 1, "a changed cell fails the check")
        // The recomputed runs stay where a rerun (or an interrupted check's rerun) picks them up.
        let kept = scratch + "/suite/tiny--identity/seed-0/metainfo.json"
        let finished = try XCTUnwrap(try? String(contentsOfFile: kept, encoding: .utf8))
        try box.write("Results/suite/table.csv", csv)
        XCTAssertEqual(TabCorrCLI.main(["reproduce", suitePath, "--check", "--quiet"]), 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch))
        XCTAssertTrue(finished.contains("completed"))
        XCTAssertEqual(TabCorrCLI.main(["reproduce", suitePath, "--collect", "--out", box.path("Results")]), 0)
    }
}
