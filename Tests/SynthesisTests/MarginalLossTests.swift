// The marginal term pulls each generated value towards the target value of its rank: checked on a
// batch worked by hand, zero on a batch that is the target's own quantiles, and finite-difference
// gradient checked (ranks are locally constant, so the gradient is the sorted difference's); in
// training it brings the generator's marginals to the data's and is logged as `marginal_loss`. The
// Synthesizer's term: the fit rows' encoded values of the continuous columns, discrete columns left
// out, no term under training-by-sampling.

import Foundation
import XCTest
import TensorKit
import TabularData
@testable import Synthesis

final class MarginalLossTests: XCTestCase {
    func testTargetsAreTheTargetQuantilesAtTheBatchRanks() {
        // Target 0: 0, 1, 2, 3 (quantiles at (r + ½)/N with N = 2 rows: positions 0.5 and 2.5 → 0.5, 2.5).
        // Target 1: 10, 20 (positions 0 and 1 with N = 2 → 10, 20).
        let loss = MarginalLoss(columns: [0, 2], sortedTargets: [[0, 1, 2, 3], [10, 20]])
        // Batch [2 rows, width 3]: column 0 holds 5, -1 (ranks 1, 0); column 2 holds 11, 12 (ranks 0, 1).
        let x = Tensor(shape: [2, 3], scalars: [5, 99, 11, -1, 99, 12])
        // Targets: row 0 → (2.5, 10), row 1 → (0.5, 20); squared differences 6.25, 1, 2.25, 64.
        XCTAssertEqual(loss.value(x).item, (6.25 + 1 + 2.25 + 64) / 4, accuracy: 1e-5)
    }

    func testZeroOnTheTargetsOwnQuantilesInAnyOrderAndGradientChecked() {
        var rng = RandomStream(seed: 4)
        let target = (0..<50).map { _ in Float(rng.nextNormal()) }.sorted()
        let loss = MarginalLoss(columns: [0], sortedTargets: [target])
        let own = (0..<10).map { loss.quantile(0, (Double($0) + 0.5) / 10) }
        let shuffled = [3, 7, 0, 9, 1, 5, 2, 8, 6, 4].map { own[$0] }
        XCTAssertEqual(loss.value(Tensor(shape: [10, 1], scalars: shuffled)).item, 0, accuracy: 1e-10)
        // Distinct values spaced wider than the finite-difference step keep their ranks.
        let x = Tensor(shape: [6, 2], scalars: [0.3, 1, -1.2, 2, 0.9, -3, 2.1, 0.5, -0.4, 4, 1.5, -0.1], requiresGrad: true)
        let two = MarginalLoss(columns: [1, 0], sortedTargets: [target, target.map { 2 * $0 + 1 }])
        let report = checkGradients(of: [x], step: 1e-3) { two.value($0[0]) }
        XCTAssertTrue(report.passes(rtol: 1e-2, atol: 1e-3), "\(report)")
    }

    func testTheTermBringsTheGeneratorsMarginalsToTheData() throws {
        // Two correlated columns, one of them skewed (exp of a normal score), 400 rows; 60 steps.
        let rows = 400
        var data = gaussianRows(rows, correlation: [1, 0.6, 0.6, 1], seed: 30)
        for r in 0..<rows { data[r * 2] = Float(Foundation.exp(Double(data[r * 2]))) }
        let training = TrainingData(encoded: data, rows: rows, layout: numericLayout(2))
        let marginal = MarginalLoss(columns: [0, 1], sortedTargets: [(0..<rows).map { data[$0 * 2] }.sorted(), (0..<rows).map { data[$0 * 2 + 1] }.sorted()])
        func sampleDistance(weight: Float?) throws -> (distance: Double, logged: Bool) {
            var o = smallOptions(smallAttention, loss: .wganGP, steps: 60)
            o.batchSize = 200
            o.generatorLearningRate = 1e-3
            o.averageDecay = nil  // the sampled generator is the trained one, not a lagging average
            o.marginalWeight = weight
            let model = GANModel(options: o, layout: training.layout, rng: RandomStream(seed: 31))
            let outcome = try model.train(training, correlation: .none, marginal: marginal, validator: nil, rng: RandomStream(seed: 32))
            var rng = RandomStream(seed: 33)
            let sample = model.sampleEncoded(rows: rows, rng: &rng)
            // Mean over columns of the quantile distance (the term's own loss on the whole sample).
            let distance = Double(GradMode.withoutGrad { marginal.value(Tensor(shape: [rows, 2], scalars: sample)) }.item)
            return (distance, outcome.log.contains { $0["marginal_loss"] != nil })
        }
        let off = try sampleDistance(weight: nil), on = try sampleDistance(weight: 10)
        XCTAssertFalse(off.logged, "no marginal_loss column without the term")
        XCTAssertTrue(on.logged, "the term is logged as marginal_loss")
        XCTAssertLessThan(on.distance, 0.5 * off.distance, "with the term \(on.distance), without \(off.distance)")
    }

    func testTheTermCoversTheContinuousColumnsOnlyAndIsOffUnderTrainingBySampling() throws {
        // A real column, a binary one (a step map under quantileNormal) and a real one with a point
        // mass (a third of its values are 0).
        var rng = RandomStream(seed: 40)
        let n = 200
        let fit = Table(columns: [
            Column(name: "a", type: .real, values: .numeric((0..<n).map { _ in rng.nextNormal() })),
            Column(name: "flag", type: .integer, values: .numeric((0..<n).map { _ in rng.nextUniform() < 0.3 ? 1 : 0 })),
            Column(name: "b", type: .real, values: .numeric((0..<n).map { _ in rng.nextUniform() < 0.33 ? 0 : rng.nextNormal() })),
        ])
        let pipeline = try TransformPipeline.fit(fit, options: TransformOptions(numeric: .quantileNormal))
        let layout = OutputLayout(pipeline: pipeline)
        let encoded = try pipeline.encode(fit, dequantize: { 0.5 })
        var options = GANOptions(), notes: [String] = []
        options.marginalWeight = 10
        let term = try XCTUnwrap(Synthesizer.marginalTerm(options, layout: layout, pipeline: pipeline, fitEncoded: encoded, rows: n, notes: &notes))
        XCTAssertEqual(term.columns, [layout.spans[0].start, layout.spans[2].start], "the binary column is left out")
        for (c, span) in [layout.spans[0], layout.spans[2]].enumerated() {
            XCTAssertEqual(term.sortedTargets[c], (0..<n).map { encoded[$0 * layout.width + span.start] }.sorted(), "the fit rows' encoded values")
        }
        options.trainingBySampling = true
        XCTAssertNil(Synthesizer.marginalTerm(options, layout: layout, pipeline: pipeline, fitEncoded: encoded, rows: n, notes: &notes))
        XCTAssertEqual(notes.count, 1, "the report says why the term is off")
        options.trainingBySampling = false
        options.marginalWeight = nil
        XCTAssertNil(Synthesizer.marginalTerm(options, layout: layout, pipeline: pipeline, fitEncoded: encoded, rows: n, notes: &notes))
    }
}
