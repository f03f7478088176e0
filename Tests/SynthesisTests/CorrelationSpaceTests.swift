// The correlation constraint acts on what is shipped: on normal-score outputs, the batch Pearson
// matrix taken through `CorrelationSpace` (batch standardisation, then the differentiable inverse
// CDF, discrete columns snapped to their levels with the ramp's gradient) matches the Pearson
// matrix of the marginally matched table, for skewed and discrete columns, where the encoded
// values' own Pearson matrix does not.

import Foundation
import XCTest
import TensorKit
import TabularData
@testable import Synthesis

final class CorrelationSpaceTests: XCTestCase {
    func testConstraintSpacePearsonMatchesTheShippedTables() throws {
        // Setup: a fit table with a skewed real column, a binary column (30 % ones) and a 4-valued integer.
        var rng = RandomStream(seed: 5)
        let n = 3000
        let skewed = (0..<n).map { _ in Foundation.exp(rng.nextNormal()) }
        let binary = (0..<n).map { _ in rng.nextUniform() < 0.3 ? 1.0 : 0.0 }
        let count = (0..<n).map { _ in Double(rng.nextInt(below: 4)) }
        let fit = Table(columns: [
            Column(name: "skewed", type: .real, values: .numeric(skewed)),
            Column(name: "binary", type: .integer, values: .numeric(binary)),
            Column(name: "count", type: .integer, values: .numeric(count)),
        ])
        let pipeline = try TransformPipeline.fit(fit, options: TransformOptions(numeric: .quantileNormal))
        let shipping = Shipping(pipeline: pipeline, matchMarginals: true, sortedReference: sortedNumericValues(fit), draws: 1, fitCorrelation: [])
        let space = CorrelationSpace(standardize: true, decoding: pipeline.columns.map { $0.numeric!.decodingKnots().map(piecewiseLinearMap) },
                                     levels: pipeline.columns.map { $0.numeric!.discreteLevels?.map(Float.init) })
        // A "generator output": correlated normal scores with a shifted, scaled marginal (matching removes both).
        let correlation: [Double] = [1, 0.8, -0.5, 0.8, 1, -0.3, -0.5, -0.3, 1]
        let rows = 2000
        let generated = gaussianRows(rows, correlation: correlation, seed: 9).map { 0.7 * $0 + 0.4 }
        // Run: the constraint's Pearson, the shipped table's, and the encoded values' own.
        let constrained = GradMode.withoutGrad { batchCorrelation(space.apply(Tensor(shape: [rows, 3], scalars: generated))) }.scalars.map { Double($0) }
        var matching = RandomStream(seed: 1)
        let shipped = shipping.ship(generated, rows: rows, rng: &matching).shipped
        let shippedMatrix = pearsonMatrix(numericMatrix(shipped, columns: [0, 1, 2]), rows: rows, columns: [0, 1, 2], stride: 3)
        let encodedMatrix = pearsonMatrix(generated, rows: rows, columns: [0, 1, 2], stride: 3)
        // Assert: the constraint sees the shipped correlations (within sampling of the matching jitter).
        let gapToShipped = meanAbsolutePairDifference(constrained, shippedMatrix, k: 3)
        let encodedGap = meanAbsolutePairDifference(encodedMatrix, shippedMatrix, k: 3)
        let unsnapped = CorrelationSpace(standardize: true, decoding: space.decoding)
        let softMatrix = GradMode.withoutGrad { batchCorrelation(unsnapped.apply(Tensor(shape: [rows, 3], scalars: generated))) }.scalars.map { Double($0) }

        XCTAssertLessThan(gapToShipped, 0.02, "constraint space \(constrained) vs shipped \(shippedMatrix)")
        XCTAssertLessThan(gapToShipped, meanAbsolutePairDifference(softMatrix, shippedMatrix, k: 3), "snapping the discrete columns brings it closer")
        XCTAssertGreaterThan(encodedGap, 3 * gapToShipped, "the encoded values' Pearson is a worse stand-in (\(encodedGap))")
        // Shipped integer columns are integers from the fit rows' values.
        XCTAssertEqual(Set(shipped.columns[1].numbers!), [0, 1])
        XCTAssertTrue(shipped.columns[2].numbers!.allSatisfy { [0, 1, 2, 3].contains($0) })
    }

    func testDecodedCorrelationLossIsGradientCheckedAndZeroAtItsOwnMatrix() throws {
        let map = PiecewiseLinearMap(xs: [-2, -0.5, 0.3, 2], ys: [0, 1, 1.5, 6])
        let space = CorrelationSpace(standardize: true, decoding: [map, nil, map])
        let x = Tensor(shape: [12, 3], scalars: gaussianRows(12, correlation: [1, 0.5, 0.2, 0.5, 1, 0.1, 0.2, 0.1, 1], seed: 3), requiresGrad: true)
        let own = GradMode.withoutGrad { batchCorrelation(space.apply(x)) }.scalars.map { Double($0) }
        let loss = CorrelationLoss(columns: [0, 1, 2], target: own, space: space, options: .init())
        XCTAssertEqual(Double(GradMode.withoutGrad { loss.value(x) }.item), 0, accuracy: 1e-10)
        let other = CorrelationLoss(columns: [0, 1, 2], target: [1, -0.3, 0.6, -0.3, 1, 0.2, 0.6, 0.2, 1], space: space, options: .init())
        let report = checkGradients(of: [x], step: 1e-3) { other.value($0[0]) }
        XCTAssertTrue(report.passes(rtol: 5e-2, atol: 2e-3), "\(report)")
    }

    func testDiscreteColumnsShipTheirLevelsWithTheRampsGradient() {
        // A binary column's ramp from 0 to 1 over [-0.25, 0.25], and a continuous column beside it.
        let ramp = PiecewiseLinearMap(xs: [-0.25, 0.25], ys: [0, 1])
        let identity = PiecewiseLinearMap(xs: [-10, 10], ys: [-10, 10])
        let snapped = CorrelationSpace(decoding: [ramp, identity], levels: [[0, 1], nil])
        let soft = CorrelationSpace(decoding: [ramp, identity])
        let scalars: [Float] = [-1, 0.5, -0.1, -0.2, 0.05, 0.3, 0.2, -0.4, 1, 0.7]
        let x = Tensor(shape: [5, 2], scalars: scalars, requiresGrad: true)
        // Forward: the binary column holds 0/1 as shipped; the continuous column is untouched.
        let forward = GradMode.withoutGrad { snapped.apply(x) }.scalars
        for (a, b) in zip(forward, [0, 0.5, 0, -0.2, 1, 0.3, 1, -0.4, 1, 0.7] as [Float]) { XCTAssertEqual(a, b, accuracy: 1e-5) }
        // Backward: the same gradient as the soft ramp (straight-through).
        let weights = Tensor(shape: [5, 2], scalars: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
        let a = gradients(of: (snapped.apply(x) * weights).sum(), withRespectTo: [x])[0].scalars
        let b = gradients(of: (soft.apply(x) * weights).sum(), withRespectTo: [x])[0].scalars
        XCTAssertEqual(a, b)
        XCTAssertEqual(nearest(0.5, in: [0, 1]), 1, "a tie goes up")
        XCTAssertEqual(nearest(-3, in: [0, 1, 4]), 0)
        XCTAssertEqual(nearest(2.4, in: [0, 1, 4]), 1)
    }

    func testNearlyConstantDiscreteColumnsAreNotSnapped() {
        // 30 % ones: snapped to its levels; 95 % zeros (a digits edge pixel): the ramp alone; continuous: neither.
        let binary = NumericEncoder.discreteNormal(DiscreteQuantileMap(sorted: Array(repeating: 0, count: 70) + Array(repeating: 1, count: 30)))
        let nearlyConstant = NumericEncoder.discreteNormal(DiscreteQuantileMap(sorted: Array(repeating: 0, count: 95) + [1, 1, 2, 3, 3]))
        XCTAssertEqual(binary.largestLevelShare!, 0.7, accuracy: 1e-12)
        XCTAssertEqual(nearlyConstant.largestLevelShare!, 0.95, accuracy: 1e-12)
        XCTAssertEqual(CorrelationSpace.snapLevels(binary), [0, 1])
        XCTAssertNil(CorrelationSpace.snapLevels(nearlyConstant), "one value holds more than \(CorrelationSpace.snapShareLimit) of the rows")
        XCTAssertNil(CorrelationSpace.snapLevels(.standard(mean: 0, std: 1)))
        XCTAssertNil(CorrelationSpace.snapLevels(nil))
    }
}

final class TrainingLengthTests: XCTestCase {
    func testStepsFollowTheDataWithinTheirBounds() {
        var options = GANOptions()
        XCTAssertEqual(options.trainingSteps(rows: 108), GANOptions.autoStepRange.lowerBound, "a tiny table: one batch an epoch, clamped up")
        XCTAssertEqual(options.trainingSteps(rows: 14_537), 4_362, "150 passes of 500-row batches over 14,537 rows")
        XCTAssertEqual(options.trainingSteps(rows: 1_000_000), GANOptions.autoStepRange.upperBound, "clamped down")
        options.steps = 7
        XCTAssertEqual(options.trainingSteps(rows: 1_000_000), 7, "an explicit step count wins")
    }
}
