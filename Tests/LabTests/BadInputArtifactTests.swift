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

    /// `checkpoint` with its JSON header edited and the checksum recomputed (FNV-1a 64 over all
    /// bytes before it), as a writer bug or a deliberate edit would leave it.
    func resealed(_ checkpoint: Data, edit: (inout [String: Any]) -> Void) throws -> Data {
        let bytes = [UInt8](checkpoint)
        let length = Int(bytes[8..<16].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        var header = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(bytes[16..<(16 + length)])) as? [String: Any])
        edit(&header)
        let json = [UInt8](try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
        var body = Array(bytes[0..<8])
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { body.append(contentsOf: $0) }
        body += json + bytes[(16 + length)..<(bytes.count - 8)]
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in body { hash ^= UInt64(b); hash &*= 0x0000_0100_0000_01B3 }
        withUnsafeBytes(of: hash.littleEndian) { body.append(contentsOf: $0) }
        return Data(body)
    }

    /// Corruptions that keep a valid checksum reached preconditions in the network code (exit by
    /// signal); the header is now checked on load.
    func testCorruptedHeaderWithValidChecksumIsRejectedNotTrapped() throws {
        let (folder, good) = try trainedCheckpoint()
        XCTAssertEqual(try generate(from: try resealed(good) { _ in }, in: folder).status, 0, "resealing alone must keep the file valid")
        func attention(_ key: String, _ value: Int) -> (inout [String: Any]) -> Void {
            { header in
                var options = header["options"] as! [String: Any], architecture = options["architecture"] as! [String: Any]
                var attention = architecture["attention"] as! [String: Any]
                attention[key] = value
                architecture["attention"] = attention; options["architecture"] = architecture; header["options"] = options
            }
        }
        func option(_ key: String, _ value: Int) -> (inout [String: Any]) -> Void {
            { header in var options = header["options"] as! [String: Any]; options[key] = value; header["options"] = options }
        }
        func layout(_ edit: @escaping (inout [String: Any]) -> Void) -> (inout [String: Any]) -> Void {
            { header in var layout = header["layout"] as! [String: Any]; edit(&layout); header["layout"] = layout }
        }
        func firstSpan(_ key: String, _ value: Int) -> (inout [String: Any]) -> Void {
            layout { layout in var spans = layout["spans"] as! [[String: Any]]; spans[0][key] = value; layout["spans"] = spans }
        }
        let cases: [(String, (inout [String: Any]) -> Void)] = [
            ("token width 4 is not a multiple of 3 heads", attention("heads", 3)),
            ("-1 attention blocks", attention("blocks", -1)),
            ("noise size -5", option("noiseSize", -5)),
            ("pac 0", option("pac", 0)),
            ("output spans do not tile the row", firstSpan("width", 7)),
            ("output spans do not tile the row", firstSpan("start", 1000)),
            ("output layout sizes disagree", layout { $0["columnCount"] = 1 }),
            ("does not match the saved transforms", { header in
                var pipeline = header["pipeline"] as! [String: Any]
                pipeline["columns"] = Array((pipeline["columns"] as! [Any]).prefix(2))
                header["pipeline"] = pipeline
            }),
            ("condition span 99 is not a categorical span", { $0["conditionSpan"] = 99 }),
        ]
        for (expected, edit) in cases {
            assertCleanFailure(try generate(from: try resealed(good, edit: edit), in: folder),
                               mentions: ["bad.tcmodel", "not a valid TabCorr checkpoint", expected, "re-run `tabcorr run`"])
        }
    }
}
