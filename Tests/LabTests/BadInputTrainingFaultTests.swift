// Training faults through the real CLI: a loss that becomes infinite (absurd learning rate) stops
// the seed with a clear message, metainfo.json says "failed", model.tcmodel holds the last good
// state, summary.json lists the seed as failed and never averages it in, and `run` exits non-zero.

import Foundation
import XCTest

final class BadInputTrainingFaultTests: XCTestCase {
    func json(_ url: URL) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any], url.path)
    }

    /// Numeric leaves of a JSON object under dotted keys ("pearson.meanAbsoluteDifference"); booleans may come out as 0/1.
    func flatten(_ object: [String: Any], prefix: String = "") -> [String: Double] {
        var leaves: [String: Double] = [:]
        for (key, value) in object {
            let path = prefix.isEmpty ? key : prefix + "." + key
            if let child = value as? [String: Any] {
                leaves.merge(flatten(child, prefix: path)) { a, _ in a }
            } else if let number = value as? NSNumber {
                leaves[path] = number.doubleValue
            }
        }
        return leaves
    }

    /// The weights block of a checkpoint (between the JSON header and the trailing checksum).
    func weights(_ url: URL) throws -> Data {
        let bytes = try Data(contentsOf: url)
        let length = Int(bytes[8..<16].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        return bytes[(16 + length)..<(bytes.count - 8)]
    }

    func testDivergedSeedFailsKeepsLastGoodStateAndIsExcludedFromSummary() throws {
        let folder = try makeScratchFolder(self, "fault")
        // Seed 0 trains normally.
        let config = try TinyRun.write(into: folder, name: "fault", steps: 5)
        XCTAssertEqual(try TabCorrBinary.run(["run", config, "--out", "out", "--quiet"], in: folder).status, 0)
        // Seed 1 of the same experiment with an absurd critic learning rate: its loss becomes infinite.
        let divergent = #", "discriminatorLearningRate": 1e9"#
        try TinyRun.write(into: folder, name: "fault", steps: 20, validateEvery: 50, extraTraining: divergent)
        let outcome = try TabCorrBinary.run(["run", config, "--seeds", "1", "--out", "out", "--quiet"], in: folder)
        assertCleanFailure(outcome, mentions: ["some seeds failed", "metainfo.json", "excluded from summary.json"])
        XCTAssertTrue(outcome.stdout.contains("seed 1: failed"), outcome.stdout)

        let seed1 = folder.appendingPathComponent("out/fault/seed-1")
        let info = try json(seed1.appendingPathComponent("metainfo.json"))
        XCTAssertEqual(info["status"] as? String, "failed")
        let error = try XCTUnwrap(info["error"] as? String)
        XCTAssertTrue(error.contains("training diverged at step") && error.contains("is not finite") && error.contains("lower learning rate"), error)
        XCTAssertFalse(FileManager.default.fileExists(atPath: seed1.appendingPathComponent("metrics.json").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: seed1.appendingPathComponent("synthetic.csv").path))

        // summary.json: seed 1 listed as failed; every mean is seed 0's value alone (n = 1).
        let summary = try json(folder.appendingPathComponent("out/fault/summary.json"))
        XCTAssertEqual(summary["completedSeeds"] as? [Int], [0])
        XCTAssertEqual(summary["failedSeeds"] as? [Int], [1])
        let seed0 = flatten(try json(folder.appendingPathComponent("out/fault/seed-0/metrics.json")))
        let means = try XCTUnwrap(summary["metrics"] as? [String: [String: Any]])
        XCTAssertGreaterThan(means.count, 10)
        for (key, entry) in means {
            XCTAssertEqual(entry["n"] as? Int, 1, key)
            // Equal up to JSON printing and re-parsing (Foundation on Linux is not always correctly rounded).
            let mean = try XCTUnwrap((entry["mean"] as? NSNumber)?.doubleValue, key), value = try XCTUnwrap(seed0[key], key)
            XCTAssertEqual(mean, value, accuracy: 1e-12 * max(1, abs(value)), key)
        }

        // The checkpoint is the last good state: the same weights as a run stopped after that many
        // steps (validation only at the end, so the last step is the one kept).
        let lastGood = try XCTUnwrap(error.range(of: #"last good state \(step (\d+)\)"#, options: .regularExpression).map { error[$0] })
        let step = try XCTUnwrap(Int(lastGood.filter(\.isNumber)))
        XCTAssertGreaterThan(step, 0, "the case should diverge after at least one good step: \(error)")
        let reference = try TinyRun.write(into: folder, name: "reference", steps: step, validateEvery: 50, extraTraining: divergent)
        _ = try TabCorrBinary.run(["run", reference, "--seeds", "1", "--out", "out", "--quiet"], in: folder)
        XCTAssertEqual(try weights(seed1.appendingPathComponent("model.tcmodel")),
                       try weights(folder.appendingPathComponent("out/reference/seed-1/model.tcmodel")))
        let sampled = try TabCorrBinary.run(["generate", "out/fault/seed-1", "--rows", "5"], in: folder)
        XCTAssertEqual(sampled.status, 0, sampled.stderr)
        XCTAssertEqual(sampled.stdout.split(separator: "\n").count, 6, sampled.stdout)

        // With the learning rate fixed, the failed seed is run again (a completed one would need --force).
        try TinyRun.write(into: folder, name: "fault", steps: 5)
        let fixed = try TabCorrBinary.run(["run", config, "--seeds", "1", "--out", "out", "--quiet"], in: folder)
        XCTAssertEqual(fixed.status, 0, fixed.stderr)
        XCTAssertEqual(try json(folder.appendingPathComponent("out/fault/summary.json"))["completedSeeds"] as? [Int], [0, 1])
    }

    /// Finite losses but non-finite samples (batch-norm statistics blown up by a huge generator
    /// learning rate) used to "complete" with every synthetic value replaced by a column mean.
    func testNonFiniteSamplesFailTheSeedInsteadOfWritingMeans() throws {
        let folder = try makeScratchFolder(self, "nonfinite")
        let config = try TinyRun.write(into: folder, name: "blowup", steps: 1, extraTraining: #", "generatorLearningRate": 1e30"#)
        let outcome = try TabCorrBinary.run(["run", config, "--out", "out", "--quiet"], in: folder)
        assertCleanFailure(outcome, mentions: ["some seeds failed"])
        let seed = folder.appendingPathComponent("out/blowup/seed-0")
        let info = try json(seed.appendingPathComponent("metainfo.json"))
        XCTAssertEqual(info["status"] as? String, "failed")
        XCTAssertTrue((info["error"] as? String ?? "").contains("outputs non-finite values"), "\(info)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: seed.appendingPathComponent("synthetic.csv").path))
        assertCleanFailure(try TabCorrBinary.run(["generate", "out/blowup/seed-0", "--rows", "3"], in: folder),
                           mentions: ["out/blowup/seed-0/model.tcmodel", "outputs non-finite values", "lower learning rate"])
    }
}
