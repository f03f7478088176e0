// Bad places and bad artifacts through the real CLI: an output folder that cannot be created,
// truncated or corrupted checkpoints (also corruptions that keep a valid checksum), and more rows
// than memory holds. Each exits non-zero with one clear `error:` line, never a trap.

import Foundation
import XCTest

final class BadInputArtifactTests: XCTestCase {
    func testUnwritableOutputFolderSaysWhy() throws {
        let folder = try makeScratchFolder(self, "unwritable")
        let config = try TinyRun.write(into: folder, steps: 1)
        // A regular file where a folder is needed blocks even root, unlike permission bits.
        let outcome = try TabCorrBinary.run(["run", config, "--out", "data.csv/results", "--quiet"], in: folder)
        assertCleanFailure(outcome, mentions: ["data.csv/results/tiny", "cannot create the results folder", "data.csv is a file, not a folder", "writable --out"])
    }

    /// A tiny trained run in a fresh folder; returns the folder and its checkpoint's bytes.
    func trainedCheckpoint() throws -> (URL, Data) {
        let folder = try makeScratchFolder(self, "checkpoint")
        let config = try TinyRun.write(into: folder, steps: 2)
        let outcome = try TabCorrBinary.run(["run", config, "--out", "out", "--quiet"], in: folder)
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        return (folder, try Data(contentsOf: folder.appendingPathComponent("out/tiny/seed-0/model.tcmodel")))
    }

    func generate(from bytes: Data, in folder: URL) throws -> TabCorrBinary.Outcome {
        try bytes.write(to: folder.appendingPathComponent("bad.tcmodel"))
        return try TabCorrBinary.run(["generate", "bad.tcmodel", "--rows", "5"], in: folder)
    }

    func testTruncatedEmptyAndBitFlippedCheckpointsAreRejected() throws {
        let (folder, good) = try trainedCheckpoint()
        XCTAssertEqual(try generate(from: good, in: folder).status, 0, "the untouched checkpoint must load")
        let corrupt = ["bad.tcmodel", "not a valid TabCorr checkpoint", "truncated or corrupted", "re-run `tabcorr run`"]
        assertCleanFailure(try generate(from: good.prefix(good.count / 2), in: folder), mentions: corrupt + ["checksum mismatch"])
        assertCleanFailure(try generate(from: good.prefix(10), in: folder), mentions: corrupt)
        assertCleanFailure(try generate(from: Data(), in: folder), mentions: corrupt + ["bad magic bytes"])
        for offset in [3, 20, good.count / 2, good.count - 3] {
            var flipped = good
            flipped[offset] ^= 0x10
            assertCleanFailure(try generate(from: flipped, in: folder), mentions: corrupt)
        }
        assertCleanFailure(try TabCorrBinary.run(["generate", "nowhere", "--rows", "5"], in: folder),
                           mentions: ["nowhere/model.tcmodel", "cannot read the checkpoint"])
    }

    /// More rows than half the memory holds: a message with the largest feasible count instead
    /// of an allocation failure (which aborted the process before).
    func testMoreRowsThanMemoryHoldsIsRefusedBeforeAllocating() throws {
        let (folder, _) = try trainedCheckpoint()
        for rows in ["99999999999999", "999999999999999999"] {
            assertCleanFailure(try TabCorrBinary.run(["generate", "out/tiny/seed-0", "--rows", rows], in: folder),
                               mentions: ["--rows \(rows)", "half of this machine's memory", "generate at most"])
        }
        let config = folder.appendingPathComponent("rows.json")
        try #"{"data": {"path": "data.csv"}, "generator": {"type": "identity"}, "generation": {"rows": 9000000000000}}"#
            .write(to: config, atomically: true, encoding: .utf8)
        assertCleanFailure(try TabCorrBinary.run(["run", "rows.json", "--out", "out", "--quiet"], in: folder),
                           mentions: ["generation.rows 9000000000000", "generate at most"])
    }
}
