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
