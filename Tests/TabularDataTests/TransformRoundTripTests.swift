// Round-trip property tests of the encoding pipeline over seeded random tables, for every numeric
// transform: numeric values come back within 1e-5 relative (to the value or the column's spread),
// integers and categories exactly, missing cells stay missing; encoded spans respect their
// activation's range; decode accepts soft generator outputs and clips to the train range.

import Foundation
import XCTest
import TensorKit
import TestSupport
@testable import TabularData

final class TransformRoundTripTests: XCTestCase {
    /// A mixed table: normal reals, a bimodal real, integers, datetimes, text with missing, boolean.
    func randomTable(seed: UInt64, rows: Int) -> Table {
        var rng = RandomStream(seed: seed).child("transform-table")
        func maybeMissing(_ v: Double) -> Double { rng.nextUniform() < 0.1 ? .nan : v }
        let normal = (0..<rows).map { _ in maybeMissing(50 + 10 * rng.nextNormal()) }
        let bimodal = (0..<rows).map { _ in maybeMissing(rng.nextUniform() < 0.3 ? -5 + 0.5 * rng.nextNormal() : 8 + 2 * rng.nextNormal()) }
        let integers = (0..<rows).map { _ in Double(rng.nextInt(below: 1000)) }
        let times = (0..<rows).map { _ in maybeMissing(1_600_000_000 + Double(rng.nextInt(below: 86_400 * 30))) }
        let codes = (0..<rows).map { _ in rng.nextUniform() < 0.1 ? Int32(-1) : Int32(rng.nextInt(below: 4)) }
        let flags = (0..<rows).map { _ in Int32(rng.nextInt(below: 2)) }
        return Table(columns: [
            Column(name: "normal", type: .real, values: .numeric(normal)),
            Column(name: "bimodal", type: .real, values: .numeric(bimodal)),
            Column(name: "count", type: .integer, values: .numeric(integers)),
            Column(name: "when", type: .datetime(format: "yyyy-MM-dd HH:mm:ss"), values: .numeric(times)),
            Column(name: "colour", type: .categorical, values: .categorical(codes: codes, levels: ["blue", "green", "red", "yellow"])),
            Column(name: "flag", type: .boolean, values: .categorical(codes: flags, levels: ["false", "true"])),
        ])
    }

    /// Numeric closeness: |a − e| ≤ 1e-5 · max(|e|, spread), NaN only where expected is NaN.
    func assertRoundTrip(_ back: Table, _ original: Table, _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(back.columnNames, original.columnNames, label, file: file, line: line)
        XCTAssertEqual(back.columns.map(\.type), original.columns.map(\.type), label, file: file, line: line)
        for (b, o) in zip(back.columns, original.columns) {
            switch (b.values, o.values) {
            case (.numeric(let got), .numeric(let want)):
                let present = want.filter { !$0.isNaN }
                let mean = present.reduce(0, +) / Double(present.count)
                let spread = (present.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(present.count)).squareRoot()
                var bad = 0
                for (g, w) in zip(got, want) {
                    if w.isNaN { if !g.isNaN { bad += 1 }; continue }
                    if o.type == .integer ? g != w : !(abs(g - w) <= 1e-5 * max(abs(w), spread)) { bad += 1 }
                }
                XCTAssertEqual(bad, 0, "\(label) column \(o.name): \(bad) cells differ", file: file, line: line)
            case (.categorical, .categorical):
                XCTAssertEqual(b.texts, o.texts, "\(label) column \(o.name)", file: file, line: line)
            default:
                XCTFail("\(label) column \(o.name): kind changed", file: file, line: line)
            }
        }
    }

    func testEveryTransformRoundTripsOnSeededRandomTables() throws {
        for kind in NumericTransformKind.allCases {
            try withEverySeed(0..<4) { seed in
                let table = randomTable(seed: seed, rows: 300)
                let pipeline = try TransformPipeline.fit(table, options: TransformOptions(numeric: kind))
                let encoded = try pipeline.encode(table)
                XCTAssertEqual(encoded.count, table.rowCount * pipeline.encodedWidth)
                assertSpansRespectActivations(pipeline, encoded, rows: table.rowCount, "\(kind) seed \(seed)")
                assertRoundTrip(pipeline.decode(encoded, rows: table.rowCount), table, "\(kind) seed \(seed)")
            }
        }
    }

    func testRoundTripWithoutMissingIndicatorsKeepsCompleteRows() throws {
        let table = randomTable(seed: 9, rows: 200)
        var options = TransformOptions()
        options.missingIndicators = false
        let pipeline = try TransformPipeline.fit(table, options: options)
        XCTAssertFalse(pipeline.spans.contains { $0.role == .missingIndicator })
        let back = pipeline.decode(try pipeline.encode(table), rows: table.rowCount)
        // Without indicators nothing decodes as missing; complete cells still round-trip.
        XCTAssertEqual(back.missingCount, 0)
        let normal = table["normal"]!.numbers!, decoded = back["normal"]!.numbers!
        for (d, o) in zip(decoded, normal) where !o.isNaN { XCTAssertEqual(d, o, accuracy: 1e-5 * abs(o)) }
    }

    /// tanh spans lie in [−1, 1]; softmax spans are one-hot (or all zero); indicators are 0/1.
    func assertSpansRespectActivations(_ p: TransformPipeline, _ x: [Float], rows: Int, _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(p.spans.reduce(0) { $0 + $1.width }, p.encodedWidth, label, file: file, line: line)
        var next = 0
        for span in p.spans {
            XCTAssertEqual(span.start, next, "\(label) span \(span.name) not contiguous", file: file, line: line)
            next += span.width
            for r in 0..<rows {
                let cells = (0..<span.width).map { x[r * p.encodedWidth + span.start + $0] }
                switch span.activation {
                case .tanh: XCTAssertTrue(cells.allSatisfy { abs($0) <= 1 }, "\(label) \(span.name) row \(r)", file: file, line: line)
                case .softmax:
                    XCTAssertTrue(cells.allSatisfy { $0 == 0 || $0 == 1 } && cells.reduce(0, +) <= 1, "\(label) \(span.name) row \(r)", file: file, line: line)
                case .identity:
                    if span.role == .missingIndicator { XCTAssertTrue(cells[0] == 0 || cells[0] == 1, label, file: file, line: line) }
                }
            }
        }
    }

    func testDecodeAcceptsSoftOutputsAndClipsAndRounds() throws {
        let table = Table(columns: [
            Column(name: "x", type: .real, values: .numeric([1, 2, .nan, 4])),
            Column(name: "k", type: .integer, values: .numeric([10, 20, 30, 40])),
            Column(name: "c", type: .categorical, values: .categorical(codes: [0, 1, 1, -1], levels: ["a", "b"])),
        ])
        let pipeline = try TransformPipeline.fit(table, options: TransformOptions(numeric: .standard))
        XCTAssertEqual(pipeline.spans.map(\.name), ["x", "x.missing", "k", "c"])
        XCTAssertEqual(pipeline.spans.map(\.width), [1, 1, 1, 3])
        XCTAssertEqual(pipeline.spans.map(\.role), [.value, .missingIndicator, .value, .category])
        // One raw generator row: huge x (clipped to max 4), indicator 0.4 (present), k between
        // 20 and 30 in encoded space (rounded), soft category scores with "b" largest.
        let kStd = (125.0).squareRoot()  // population std of 10, 20, 30, 40
        let raw: [Float] = [100, 0.4, Float((23.4 - 25) / kStd), 0.2, 0.5, 0.3,
                            -100, 0.9, 100, 0.1, 0.1, 0.8]
        let back = pipeline.decode(raw, rows: 2)
        XCTAssertEqual(back["x"]!.numbers![0], 4)
        XCTAssertTrue(back["x"]!.numbers![1].isNaN)
        XCTAssertEqual(back["k"]!.numbers!, [23, 40])
        XCTAssertEqual(back["c"]!.texts, ["b", nil])
    }

    func testStandardAndMinMaxAreAffineHandComputed() throws {
        let x: [Double] = [1, 2, 3, 5]
        let table = Table(columns: [Column(name: "x", type: .real, values: .numeric(x))])
        let standard = try TransformPipeline.fit(table, options: TransformOptions(numeric: .standard))
        // mean 2.75, population variance (3.0625 + 0.5625 + 0.0625 + 5.0625)/4 = 2.1875.
        let std = 2.1875.squareRoot()
        assertClose(try standard.encode(table), x.map { Float(($0 - 2.75) / std) })
        XCTAssertEqual(standard.spans[0].activation, .identity)
        let minMax = try TransformPipeline.fit(table, options: TransformOptions(numeric: .minMax))
        assertClose(try minMax.encode(table), [-1, -0.5, 0, 1])
        XCTAssertEqual(minMax.spans[0].activation, .tanh)
    }

    func testConstantColumnsEncodeAndDecode() throws {
        let table = Table(columns: [Column(name: "z", type: .integer, values: .numeric([0, 0, 0]))])
        for kind in NumericTransformKind.allCases {
            let pipeline = try TransformPipeline.fit(table, options: TransformOptions(numeric: kind))
            let encoded = try pipeline.encode(table)
            XCTAssertTrue(encoded.allSatisfy { $0.isFinite }, "\(kind)")
            XCTAssertEqual(pipeline.decode(encoded, rows: 3)["z"]!.numbers!, [0, 0, 0], "\(kind)")
        }
    }

    func testUnseenLevelPolicies() throws {
        let train = Table(columns: [Column(name: "c", type: .categorical, values: .categorical(codes: [0, 1, 1], levels: ["a", "b", "c"]))])
        let test = Table(columns: [Column(name: "c", type: .categorical, values: .categorical(codes: [2, 0], levels: ["a", "b", "c"]))])
        var options = TransformOptions()
        let missing = try TransformPipeline.fit(train, options: options)
        XCTAssertEqual(missing.spans[0].width, 2)  // "c" never occurs in train
        XCTAssertEqual(try missing.encode(test), [0, 0, 1, 0])
        options.unseenLevels = .mostFrequent
        XCTAssertEqual(try TransformPipeline.fit(train, options: options).encode(test), [0, 1, 1, 0])
        options.unseenLevels = .error
        XCTAssertEqual(expectDataError { try TransformPipeline.fit(train, options: options).encode(test) }, .unseenLevel(columnName: "c", level: "c"))
        // With a missing slot (train has a missing cell), unseen levels go to that slot.
        let trainWithMissing = Table(columns: [Column(name: "c", type: .categorical, values: .categorical(codes: [0, 1, -1], levels: ["a", "b", "c"]))])
        XCTAssertEqual(try TransformPipeline.fit(trainWithMissing).encode(test), [0, 0, 1, 1, 0, 0])
    }

    func testEncodeMatchesLevelsByTextAndRejectsOtherSchemas() throws {
        let train = Table(columns: [Column(name: "c", type: .categorical, values: .categorical(codes: [0, 1], levels: ["a", "b"]))])
        let reordered = Table(columns: [Column(name: "c", type: .categorical, values: .categorical(codes: [0, 1], levels: ["b", "a"]))])
        let pipeline = try TransformPipeline.fit(train)
        XCTAssertEqual(try pipeline.encode(reordered), [0, 1, 1, 0])
        let renamed = Table(columns: [Column(name: "d", type: .categorical, values: .categorical(codes: [0], levels: ["a"]))])
        if case .schemaMismatch? = expectDataError({ try pipeline.encode(renamed) }) {} else { XCTFail("expected schemaMismatch") }
        let numeric = Table(columns: [Column(name: "c", type: .real, values: .numeric([1]))])
        if case .schemaMismatch? = expectDataError({ try pipeline.encode(numeric) }) {} else { XCTFail("expected schemaMismatch") }
    }

    func testFittedOnTrainOnlyClipsTestValuesToTrainRange() throws {
        let table = try CSVReader.read(file: datasetPath("penguins.csv"))
        var stream = RandomStream(seed: 3).child("split")
        let split = try DataSplit.shuffled(permutation: stream.permutation(table.rowCount))
        let train = table.selecting(rows: split.train), test = table.selecting(rows: split.test)
        let pipeline = try TransformPipeline.fit(train, options: TransformOptions(numeric: .quantileNormal))
        let back = pipeline.decode(try pipeline.encode(test), rows: test.rowCount)
        for name in ["bill_length_mm", "body_mass_g"] {
            let trainValues = train[name]!.numbers!.filter { !$0.isNaN }
            let decoded = back[name]!.numbers!.filter { !$0.isNaN }
            XCTAssertGreaterThanOrEqual(decoded.min()!, trainValues.min()!, name)
            XCTAssertLessThanOrEqual(decoded.max()!, trainValues.max()!, name)
        }
        assertRoundTrip(pipeline.decode(try pipeline.encode(train), rows: train.rowCount), train, "penguins train")
    }

    func testPipelineSurvivesJSONRoundTrip() throws {
        let table = randomTable(seed: 1, rows: 100)
        var options = TransformOptions(numeric: .modeSpecific)
        options.numericOverrides = ["count": .minMax, "when": .quantileNormal]
        let pipeline = try TransformPipeline.fit(table, options: options)
        let restored = try JSONDecoder().decode(TransformPipeline.self, from: JSONEncoder().encode(pipeline))
        XCTAssertEqual(restored, pipeline)
        XCTAssertEqual(try restored.encode(table), try pipeline.encode(table))
        XCTAssertEqual(pipeline.spans.first { $0.name == "count" }?.activation, .tanh)
        XCTAssertEqual(pipeline.spans.first { $0.name == "bimodal.mode" }?.activation, .softmax)
    }

    func testDiscreteQuantileMapRoundTripsDequantisesAndRampsBetweenSteps() throws {
        // An integer column with 3 values (shares 0.5, 0.3, 0.2) gets the step map; so does a real column whose values
        // repeat, but not one with a value per row.
        let values: [Double] = Array(repeating: 0, count: 50) + Array(repeating: 1, count: 30) + Array(repeating: 5, count: 20)
        let table = Table(columns: [
            Column(name: "level", type: .integer, values: .numeric(values)),
            Column(name: "real", type: .real, values: .numeric(values.map { $0 + 0.5 })),
            Column(name: "spread", type: .real, values: .numeric(values.indices.map { Double($0) / 7 })),
        ])
        let pipeline = try TransformPipeline.fit(table, options: TransformOptions(numeric: .quantileNormal))
        guard case .discreteNormal(let map) = pipeline.columns[0].numeric else { return XCTFail("integer column should get the step map") }
        guard case .discreteNormal = pipeline.columns[1].numeric else { return XCTFail("a real column of repeated values gets the step map") }
        guard case .quantileNormal = pipeline.columns[2].numeric else { return XCTFail("a real column of distinct values keeps the interpolated map") }
        XCTAssertEqual(map.values, [0, 1, 5])
        XCTAssertEqual(map.cumulative, [0.5, 0.8, 1])
        // Deterministic encoding: the middle of each step, Φ⁻¹(0.25), Φ⁻¹(0.65), Φ⁻¹(0.9); decoding is exact.
        let encoded = try pipeline.encode(table)
        XCTAssertEqual(Double(encoded[0]), normalQuantile(0.25), accuracy: 1e-6)
        XCTAssertEqual(Double(encoded[3 * 60]), normalQuantile(0.65), accuracy: 1e-6)
        XCTAssertEqual(pipeline.decode(encoded, rows: 100).columns[0].numbers!, values)
        // Dequantised encoding: uniform points inside each step, still decoding exactly.
        var rng = RandomStream(seed: 4)
        let jittered = try pipeline.encode(table, dequantize: { rng.nextOpenUniform() })
        for r in [0, 49, 50, 79, 80, 99] {
            let u = normalCDF(Double(jittered[r * 3]))
            let (low, high) = values[r] == 0 ? (0.0, 0.5) : values[r] == 1 ? (0.5, 0.8) : (0.8, 1.0)
            XCTAssertTrue(u > low - 1e-6 && u < high + 1e-6, "row \(r): u = \(u)")
        }
        XCTAssertEqual(pipeline.decode(jittered, rows: 100).columns[0].numbers!, values)
        XCTAssertNotEqual(jittered, encoded)
        // The differentiable stand-in: flat steps joined by ramps of half-width 0.25 at Φ⁻¹(0.5) = 0 and Φ⁻¹(0.8).
        let knots = try XCTUnwrap(pipeline.columns[0].numeric?.decodingKnots())
        XCTAssertEqual(knots.values, [0, 1, 1, 5])
        XCTAssertEqual(knots.scores[0], -0.25, accuracy: 1e-12)
        XCTAssertEqual(knots.scores[1], 0.25, accuracy: 1e-12)
        XCTAssertEqual(knots.scores[2], normalQuantile(0.8) - 0.25, accuracy: 1e-12)
        XCTAssertNil(NumericEncoder.standard(mean: 0, std: 1).decodingKnots(), "affine decodings need no stand-in")
        // Ordering keys are the value-span scalars, so rounding never creates ties among them.
        let keys = pipeline.orderingKeys(jittered, rows: 100)
        XCTAssertEqual(Set(keys[0]).count, 100)
    }
}
