// Transform internals against independent references: Φ and Φ⁻¹ against scipy, the quantile map
// against a numpy recomputation, and the EM mixture against scikit-learn's GaussianMixture on
// faithful.csv (Fixtures/transform_reference.json, written by scripts/data/transform_reference.py).
// Also the mode pruning and mode cap of mode-specific normalisation.

import Foundation
import XCTest
import TensorKit
import TestSupport
@testable import TabularData

final class TransformReferenceTests: XCTestCase {
    struct Mixture: Decodable { var weights: [Double]; var means: [Double]; var stds: [Double] }
    struct MixtureColumn: Decodable { var bic: [Double]; var weights: [Double]; var means: [Double]; var stds: [Double]; var two: Mixture }
    struct Reference: Decodable {
        struct Normal: Decodable { var p: [Double]; var ppf: [Double]; var z: [Double]; var cdf: [Double] }
        struct Quantile: Decodable { var column: String; var knotCount: Int; var knots: [Double]; var levels: [Double]; var queries: [Double]; var encoded: [Double] }
        var normal: Normal
        var quantile: Quantile
        var mixture: [String: MixtureColumn]
    }

    let reference: Reference = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/transform_reference.json")
        return try! JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
    }()

    func sortedColumn(_ name: String) throws -> [Double] {
        try CSVReader.read(file: datasetPath("faithful.csv"))[name]!.numbers!.sorted()
    }

    func testNormalQuantileAndCDFAgainstScipy() {
        assertClose(reference.normal.p.map(normalQuantile), reference.normal.ppf, rtol: 1e-12, atol: 1e-12)
        assertClose(reference.normal.z.map(normalCDF), reference.normal.cdf, rtol: 1e-13, atol: 1e-16)
    }

    func testQuantileMapAgainstNumpy() throws {
        let q = reference.quantile
        let map = QuantileMap(sorted: try sortedColumn(q.column), knotCount: q.knotCount)
        XCTAssertEqual(map.values, q.knots)
        assertClose(map.levels, q.levels, rtol: 1e-15, atol: 0)
        let encoder = NumericEncoder.quantileNormal(map)
        assertClose(q.queries.map { encoder.encode($0).value }, q.encoded, rtol: 1e-12, atol: 1e-12)
        // Inverse: decoding the encoded queries inside the knot range gives the queries back.
        for (x, z) in zip(q.queries, q.encoded) where x > q.knots.first! && x < q.knots.last! {
            XCTAssertEqual(encoder.decode(value: z, mode: 0), x, accuracy: 1e-9 * abs(x))
        }
    }

    func testTwoComponentEMMatchesScikitLearn() throws {
        for column in ["eruptions", "waiting"] {
            let (model, _) = GaussianMixture1D.em(try sortedColumn(column), components: 2, varianceFloor: 0, maxIterations: 100_000, tolerance: 1e-13)
            let want = reference.mixture[column]!.two
            assertClose(model.weights, want.weights, rtol: 1e-4, atol: 0, column)
            assertClose(model.means, want.means, rtol: 1e-4, atol: 0, column)
            assertClose(model.stds, want.stds, rtol: 1e-4, atol: 0, column)
        }
    }

    func testBICPicksTheScikitLearnModelOnWaiting() throws {
        let want = reference.mixture["waiting"]!
        let model = GaussianMixture1D.fit(sortedValues: try sortedColumn("waiting"), maxModes: 10, weightThreshold: 0.005, maxIterations: 1000)
        XCTAssertEqual(model.count, want.weights.count)
        // fit() stops at the default tolerance (1e-7 per value), hence 1e-3 rather than 1e-4.
        assertClose(model.means, want.means, rtol: 1e-3, atol: 0)
        assertClose(model.stds, want.stds, rtol: 1e-3, atol: 0)
    }

    func testSmallModesArePrunedAndModesCapped() {
        var rng = RandomStream(seed: 11).child("mixture")
        // 2,000 values near 0 and 4 values near 100: a second mode of weight 0.002.
        let values = ((0..<2000).map { _ in rng.nextNormal() } + (0..<4).map { _ in 100 + rng.nextNormal() }).sorted()
        let unpruned = GaussianMixture1D.fit(sortedValues: values, maxModes: 10, weightThreshold: 0, maxIterations: 200)
        XCTAssertEqual(unpruned.count, 2)
        XCTAssertEqual(unpruned.weights[1], 4.0 / 2004, accuracy: 1e-6)
        let pruned = GaussianMixture1D.fit(sortedValues: values, maxModes: 10, weightThreshold: 0.005, maxIterations: 200)
        XCTAssertEqual(pruned.count, 1)
        XCTAssertEqual(pruned.weights, [1])
        // Five far-apart clusters, at most three modes.
        let clusters = (0..<1000).map { i in Double(i % 5) * 50 + rng.nextNormal() }.sorted()
        XCTAssertEqual(GaussianMixture1D.fit(sortedValues: clusters, maxModes: 10, weightThreshold: 0.005, maxIterations: 200).count, 5)
        XCTAssertLessThanOrEqual(GaussianMixture1D.fit(sortedValues: clusters, maxModes: 3, weightThreshold: 0.005, maxIterations: 200).count, 3)
    }

    func testModeSpecificEncodingIsCTGANScalarPlusOneHot() throws {
        let x = try CSVReader.read(file: datasetPath("faithful.csv"))
        let table = Table(columns: [x["waiting"]!])
        var options = TransformOptions(numeric: .modeSpecific)
        options.maxModes = 2
        let pipeline = try TransformPipeline.fit(table, options: options)
        guard case .modeSpecific(let gmm)? = pipeline.columns[0].numeric else { return XCTFail("not mode-specific") }
        XCTAssertEqual(pipeline.spans.map(\.width), [1, 2])
        let encoded = try pipeline.encode(table)
        let values = table.columns[0].numbers!
        for r in 0..<table.rowCount {
            let k = gmm.mostLikelyComponent(values[r])
            let expected = max(-1, min(1, (values[r] - gmm.means[k]) / (4 * gmm.stds[k])))
            XCTAssertEqual(Double(encoded[r * 3]), expected, accuracy: 1e-6)
            XCTAssertEqual(encoded[r * 3 + 1 + k], 1)
            XCTAssertEqual(encoded[r * 3 + 2 - k], 0)
        }
    }
}
