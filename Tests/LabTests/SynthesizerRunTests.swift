// The Synthesizer contract through the runner and the CLI: `generate` with a run's row count and
// seed reproduces the run's synthetic.csv byte for byte; the test rows never reach the synthesizer
// (changing them leaves synthetic.csv unchanged); metrics.json carries the generator's own
// marginals beside the shipped ones.

import XCTest
import TensorKit
import Synthesis
@testable import Lab

final class SynthesizerRunTests: XCTestCase {
    /// 90 rows: a real column, an integer column with 5 values, a binary column and a category,
    /// all correlated. `shiftTestRows` moves the real columns of the given rows far away.
    func writeMixedData(_ box: Sandbox, name: String, shiftTestRows: Set<Int> = []) throws {
        var rng = RandomStream(seed: 11)
        var lines = ["x,n,b,kind"]
        for r in 0..<90 {
            let a = rng.nextNormal(), k = rng.nextInt(below: 3)
            let n = min(4, max(0, Int((1.5 * a + 2).rounded()))), b = a + 0.5 * rng.nextNormal() > 0 ? 1 : 0
            let x = shiftTestRows.contains(r) ? 1000 + 50 * a : a
            lines.append("\(x),\(n),\(b),\(["red", "green", "blue"][k])")
        }
        try box.write(name, lines.joined(separator: "\n") + "\n")
    }

    func mixedConfig(_ box: Sandbox, name: String, data: String) throws -> ExperimentConfig {
        try box.write("\(name).json", """
        {"data": {"path": "\(data)", "target": "kind"},
         "generator": {"trunkWidths": [16], "tokenWidth": 4, "noiseSize": 8, "feedForwardWidth": 8},
         "discriminator": {"widths": [16]},
         "training": {"steps": 8, "batchSize": 16, "logEvery": 2, "validateEvery": 4},
         "evaluation": {"bootstrap": 10, "detectionFolds": 2}}
        """)
        return try ConfigLoader.load(path: box.path("\(name).json"))
    }

    func testGenerateWithTheRunsRowsAndSeedReproducesSyntheticCSV() throws {
        let box = try Sandbox()
        try writeMixedData(box, name: "mixed.csv")
        let config = try mixedConfig(box, name: "mixed", data: "mixed.csv")
        try Runner.run(config, options: RunOptions(seeds: [2], outDirectory: box.path("out"), quiet: true))
        let shipped = try XCTUnwrap(box.read("out/mixed/seed-2/synthetic.csv"))
        let rows = String(decoding: shipped, as: UTF8.self).split(separator: "\n").count - 1
        XCTAssertEqual(TabCorrCLI.main(["generate", box.path("out/mixed/seed-2"), "--rows", "\(rows)", "--seed", "2", "--out", box.path("g.csv")]), 0)
        XCTAssertEqual(box.read("g.csv"), shipped, "generate must ship exactly what the run shipped")
        // The saved model samples through the same post-processing: integer columns stay integers in the train range.
        let synthesizer = try Synthesizer.load(from: box.path("out/mixed/seed-2/model.tcmodel"))
        let table = try synthesizer.sample(rows: 200, seed: 5).shipped
        XCTAssertTrue(table["n"]!.numbers!.allSatisfy { $0 == $0.rounded() && $0 >= 0 && $0 <= 4 })
        XCTAssertEqual(Set(table["b"]!.numbers!), [0, 1])
        // metrics.json has the generator's own marginals beside the shipped ones.
        let metrics = try loadMetrics(box.path("out/mixed/seed-2/metrics.json"))
        XCTAssertNotNil(metrics["generatorMarginals.meanKSStatistic"])
        XCTAssertNotNil(metrics["marginals.meanKSStatistic"])
    }

    /// Issue 18: synthetic.csv had 17-digit values where the source has 2 decimals. Each numeric
    /// column is shipped at its train rows' precision (a full-precision column stays as it is), for
    /// the GAN and the copula alike, and generate ships the same.
    func testSyntheticValuesKeepTheSourcePrecision() throws {
        let box = try Sandbox()
        var rng = RandomStream(seed: 12)
        var lines = ["x,y,z,kind"]
        for _ in 0..<90 {
            let a = rng.nextNormal(), k = rng.nextInt(below: 3)
            lines.append("\(String(format: "%.2f", 5 + a)),\(String(format: "%.1f", 2 * a + rng.nextNormal())),\(a + rng.nextNormal()),\(["red", "green", "blue"][k])")
        }
        try box.write("coarse.csv", lines.joined(separator: "\n") + "\n")
        for generator in ["attention", "gaussianCopula"] {
            var config = try mixedConfig(box, name: "coarse", data: "coarse.csv")
            config.generator.type = GeneratorConfig.GeneratorType(rawValue: generator)!
            config.name = generator
            try Runner.run(config, options: RunOptions(seeds: [0], outDirectory: box.path("out"), quiet: true))
            let rows = String(decoding: try XCTUnwrap(box.read("out/\(generator)/seed-0/synthetic.csv")), as: UTF8.self).split(separator: "\n").dropFirst()
            let fields = rows.map { $0.split(separator: ",").map(String.init) }
            func decimals(_ text: String) -> Int { text.split(separator: ".").dropFirst().first?.count ?? 0 }
            XCTAssertTrue(fields.allSatisfy { decimals($0[0]) <= 2 && decimals($0[1]) <= 1 }, "\(generator): \(rows.prefix(3))")
            XCTAssertTrue(fields.contains { decimals($0[2]) > 6 }, "\(generator): a full-precision column keeps its precision")
        }
        let rows = String(decoding: box.read("out/attention/seed-0/synthetic.csv")!, as: UTF8.self).split(separator: "\n").count - 1
        XCTAssertEqual(TabCorrCLI.main(["generate", box.path("out/attention/seed-0"), "--rows", "\(rows)", "--seed", "0", "--out", box.path("g.csv")]), 0)
        XCTAssertEqual(box.read("g.csv"), box.read("out/attention/seed-0/synthetic.csv"))
    }

    func testChangingTheTestRowsLeavesSyntheticCSVByteIdentical() throws {
        let box = try Sandbox()
        try writeMixedData(box, name: "a.csv")
        try Runner.run(try mixedConfig(box, name: "leak", data: "a.csv"), options: RunOptions(outDirectory: box.path("outA"), quiet: true))
        let split = try JSONSerialization.jsonObject(with: XCTUnwrap(box.read("outA/leak/seed-0/split.json"))) as! [String: Any]
        let testRows = Set(try XCTUnwrap(split["test"] as? [Int]))
        XCTAssertFalse(testRows.isEmpty)
        try writeMixedData(box, name: "b.csv", shiftTestRows: testRows)
        XCTAssertNotEqual(box.read("a.csv"), box.read("b.csv"))
        try Runner.run(try mixedConfig(box, name: "leak", data: "b.csv"), options: RunOptions(outDirectory: box.path("outB"), quiet: true))
        XCTAssertEqual(box.read("outA/leak/seed-0/synthetic.csv"), box.read("outB/leak/seed-0/synthetic.csv"),
                       "the synthetic table must not depend on the test rows")
        XCTAssertNotEqual(box.read("outA/leak/seed-0/metrics.json"), box.read("outB/leak/seed-0/metrics.json"), "the metrics do")
    }
}

final class IdentifierColumnTests: XCTestCase {
    func testTextColumnsOfDistinctValuesAreLeftOutAndTheReportSaysSo() throws {
        // A tiny mixed table with a name per row (an identifier) and a repeated text column (a category).
        let box = try Sandbox()
        var rng = RandomStream(seed: 2)
        var lines = ["name,x,y,kind"]
        for r in 0..<40 {
            let a = rng.nextNormal()
            lines.append("person-\(r),\(a),\(a + rng.nextNormal()),\(["a", "b"][r % 2])")
        }
        try box.write("people.csv", lines.joined(separator: "\n") + "\n")
        let config = try mixedConfigFor(box, data: "people.csv")
        try Runner.run(config, options: RunOptions(outDirectory: box.path("out"), quiet: true))
        let synthetic = String(decoding: try XCTUnwrap(box.read("out/people/seed-0/synthetic.csv")), as: UTF8.self)
        XCTAssertTrue(synthetic.hasPrefix("x,y,kind\n"), "the identifier column is left out: \(synthetic.prefix(40))")
        XCTAssertFalse(synthetic.contains("person-"), "no name is copied into the synthetic table")
        let report = String(decoding: try XCTUnwrap(box.read("out/people/seed-0/report.md")), as: UTF8.self)
        XCTAssertTrue(report.contains("Column \"name\" was left out"), report)
        // Typing the column in data.columns keeps it.
        try box.write("keep.json", """
        {"data": {"path": "people.csv", "columns": {"name": {"type": "categorical"}}},
         "generator": {"type": "independent"}, "evaluation": {"bootstrap": 0, "detectionFolds": 2}}
        """)
        try Runner.run(try ConfigLoader.load(path: box.path("keep.json")), options: RunOptions(outDirectory: box.path("out"), quiet: true))
        XCTAssertTrue(String(decoding: try XCTUnwrap(box.read("out/keep/seed-0/synthetic.csv")), as: UTF8.self).hasPrefix("name,x,y,kind\n"))
    }

    func mixedConfigFor(_ box: Sandbox, data: String) throws -> ExperimentConfig {
        try box.write("people.json", """
        {"data": {"path": "\(data)"},
         "generator": {"trunkWidths": [16], "tokenWidth": 4, "noiseSize": 8, "feedForwardWidth": 8},
         "discriminator": {"widths": [16]},
         "training": {"steps": 4, "batchSize": 16, "validateEvery": 2},
         "evaluation": {"bootstrap": 0, "detectionFolds": 2}}
        """)
        return try ConfigLoader.load(path: box.path("people.json"))
    }
}

final class ReportGeneratorMarginalsTests: XCTestCase {
    func testTheReportShowsTheGeneratorsOwnMeanKSBesideTheShippedOne() throws {
        let box = try Sandbox()
        try Runner.run(try box.config(), options: RunOptions(outDirectory: box.path("out"), quiet: true))
        let report = String(decoding: try XCTUnwrap(box.read("out/tiny/seed-0/report.md")), as: UTF8.self)
        XCTAssertTrue(report.contains("| mean KS | "), report)
        XCTAssertTrue(report.contains("| mean KS of the generator's own output (before marginal matching) | "), report)
        // Issue 18: which direction is better, a verdict against the floor and the independent
        // bound, what "train rows" are, and why a bootstrap interval need not contain the estimate.
        XCTAssertTrue(report.contains("| metric | value | better |") && report.contains("| lower, down to 0.5 (indistinguishable) |"), report)
        XCTAssertTrue(report.contains("**Verdict:** Pearson mean |Δr|") && report.contains("independent bound"), report)
        XCTAssertTrue(report.contains("split.json") && report.contains("can lie above the estimate"), report)
    }

    /// The report.md of the independent baseline on `columns` normal columns of `rows` rows.
    func wideReport(columns: Int, rows: Int) throws -> String {
        let box = try Sandbox()
        var rng = RandomStream(seed: 3)
        let names = (0..<columns).map { "c\($0)" }
        let lines = (0..<rows).map { _ in names.map { _ in String(format: "%.3f", rng.nextNormal()) }.joined(separator: ",") }
        try box.write("wide.csv", ([names.joined(separator: ",")] + lines).joined(separator: "\n") + "\n")
        try box.write("wide.json", #"{"data": {"path": "wide.csv"}, "generator": {"type": "independent"}, "evaluation": {"bootstrap": 0, "detectionFolds": 2, "metrics": ["pearson", "marginals"]}}"#)
        try Runner.run(try ConfigLoader.load(path: box.path("wide.json")), options: RunOptions(outDirectory: box.path("out"), quiet: true))
        return String(decoding: try XCTUnwrap(box.read("out/wide/seed-0/report.md")), as: UTF8.self)
    }

    func testAWideTableSaysWhichMarginalsAreNotDrawn() throws {
        let report = try wideReport(columns: 30, rows: 60)
        XCTAssertTrue(report.contains("Marginals are drawn for the first 24 of 30 columns; not drawn: c24, c25, c26, c27, c28, c29"), report)
        XCTAssertEqual(report.components(separatedBy: "## Marginal of").count - 1, 24)
        XCTAssertTrue(report.contains("## Pearson correlation, test split"), "30 columns still get heat maps")
    }

    func testAVeryWideTableLeavesTheHeatMapsOutAndSaysSo() throws {
        let report = try wideReport(columns: 101, rows: 20)
        XCTAssertTrue(report.contains("heat maps are left out above 100 numeric columns (this table has 101)"), report)
        XCTAssertFalse(report.contains("## Pearson correlation, test split"), report)
    }
}

final class GenerateFolderTests: XCTestCase {
    func testGenerateAcceptsAnExperimentFolderWithOneSeedAndListsSeveral() throws {
        let box = try Sandbox()
        try Runner.run(try box.config(), options: RunOptions(seeds: [3], outDirectory: box.path("out"), quiet: true))
        XCTAssertEqual(TabCorrCLI.main(["generate", box.path("out/tiny"), "--rows", "5", "--seed", "3", "--out", box.path("a.csv")]), 0)
        XCTAssertEqual(TabCorrCLI.main(["generate", box.path("out/tiny/seed-3"), "--rows", "5", "--seed", "3", "--out", box.path("b.csv")]), 0)
        XCTAssertEqual(box.read("a.csv"), box.read("b.csv"), "the only seed is the one sampled")
        try Runner.run(try box.config(), options: RunOptions(seeds: [4], outDirectory: box.path("out"), quiet: true))
        XCTAssertThrowsError(try TabCorrCLI.modelFile(box.path("out/tiny"))) {
            XCTAssertTrue("\($0)".contains("2 trained seeds (seed-3, seed-4)"), "\($0)")
        }
    }
}
