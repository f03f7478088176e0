// The choice among draws (`SynthesizerOptions.draws`): one draw ships the plain sample; more draws
// ship the draw whose Pearson matrix is closest to the fit rows', which is never farther than the
// plain sample; a conditioned request ships its one draw; a saved model keeps its draws, and a
// model file written before draws existed samples its one draw.

import Foundation
import XCTest
import TensorKit
import TabularData
import Evaluation
@testable import Synthesis

final class DrawsTests: XCTestCase {
    /// 60 rows of three correlated real columns and a category.
    func table() -> Table {
        var rng = RandomStream(seed: 3)
        var x: [Double] = [], y: [Double] = [], z: [Double] = [], kind: [Int32] = []
        for _ in 0..<60 {
            let a = rng.nextNormal(), k = rng.nextInt(below: 2)
            x.append(a)
            y.append(0.8 * a + 0.6 * rng.nextNormal() + Double(k))
            z.append(-0.5 * a + rng.nextNormal())
            kind.append(Int32(k))
        }
        return Table(columns: [
            Column(name: "x", type: .real, values: .numeric(x)),
            Column(name: "y", type: .real, values: .numeric(y)),
            Column(name: "z", type: .real, values: .numeric(z)),
            Column(name: "kind", type: .categorical, values: .categorical(codes: kind, levels: ["a", "b"])),
        ])
    }

    /// A synthesizer trained for a few steps with `draws` (no validation slice: training does not depend on draws).
    func fitted(draws: Int, conditionColumn: String? = nil) throws -> Synthesizer {
        let gan = smallOptions(smallAttention, loss: .wganGP, steps: 4)
        let options = SynthesizerOptions(kind: .gan(gan), conditionColumn: conditionColumn, draws: draws)
        return try Synthesizer.fit(table(), options: options, seed: 7)
    }

    func gapToFit(_ shipped: Table) -> Double {
        let fit = Shipping.numericCorrelation(table()), synthetic = Shipping.numericCorrelation(shipped)
        return meanAbsolutePairDifference(synthetic, fit, k: 3)
    }

    func csv(_ table: Table) throws -> Data { try CSVWriter.data(table) }

    func testOneDrawShipsThePlainSampleAndMoreDrawsShipOneAtLeastAsClose() throws {
        let one = try fitted(draws: 1).sample(rows: 40, seed: 11).shipped
        let eight = try fitted(draws: 8).sample(rows: 40, seed: 11).shipped
        XCTAssertLessThanOrEqual(gapToFit(eight), gapToFit(one), "draw 0 is the plain sample, so the best of eight is at least as close")
        XCTAssertNotEqual(try csv(eight), try csv(one), "with 40 rows one of seven other draws should be closer to the fit rows' matrix")
        XCTAssertEqual(try csv(try fitted(draws: 8).sample(rows: 40, seed: 11).shipped), try csv(eight), "the choice is a function of the seed")
    }

    func testAConditionedRequestShipsItsOneDraw() throws {
        let condition = (column: "kind", value: "b")
        let one = try fitted(draws: 1, conditionColumn: "kind").sample(rows: 30, seed: 4, condition: condition).shipped
        let eight = try fitted(draws: 8, conditionColumn: "kind").sample(rows: 30, seed: 4, condition: condition).shipped
        XCTAssertEqual(try csv(eight), try csv(one))
    }

    func testAModelFileWrittenBeforeDrawsLoadsWithOneDraw() throws {
        // The file of a five-draw model with the two keys taken out of its header, as files were written before them.
        let synthesizer = try fitted(draws: 5)
        let bytes = [UInt8](try synthesizer.fileData())
        let magic = Synthesizer.fileMagic.count
        let length = Int(bytes[magic..<(magic + 8)].withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) })
        var header = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(bytes[(magic + 8)..<(magic + 8 + length)])) as? [String: Any])
        header["draws"] = nil
        header["fitCorrelation"] = nil
        let json = [UInt8](try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
        var old = Synthesizer.fileMagic
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { old.append(contentsOf: $0) }
        old += json + bytes[(magic + 8 + length)..<(bytes.count - 8)]
        withUnsafeBytes(of: fnv1a64(old).littleEndian) { old.append(contentsOf: $0) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("old-\(UUID().uuidString).tcmodel").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(old).write(to: URL(fileURLWithPath: path))
        let loaded = try Synthesizer.load(from: path)
        XCTAssertEqual(loaded.options.draws, 1)
        XCTAssertEqual(try csv(try loaded.sample(rows: 40, seed: 2).shipped), try csv(try fitted(draws: 1).sample(rows: 40, seed: 2).shipped))
    }

    func testASavedModelKeepsItsDraws() throws {
        let synthesizer = try fitted(draws: 5)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("draws-\(UUID().uuidString).tcmodel").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try synthesizer.save(to: path)
        let loaded = try Synthesizer.load(from: path)
        XCTAssertEqual(loaded.options.draws, 5)
        XCTAssertEqual(try csv(try loaded.sample(rows: 40, seed: 2).shipped), try csv(try synthesizer.sample(rows: 40, seed: 2).shipped))
    }
}
