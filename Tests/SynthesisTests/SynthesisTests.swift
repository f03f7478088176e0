// Synthesis: every generator × loss trains a step, the correlation loss is gradient-checked and
// zero at its target, λ = 0 is bit-identical to no term, checkpoints reproduce samples, the
// attention GAN with the constraint learns a known correlation structure, and the baselines
// behave as their definitions say.

import XCTest
import TensorKit
import NeuralNet
import TabularData
import Evaluation
import TestSupport
@testable import Synthesis

/// n rows of a Gaussian with the given correlation matrix (via Cholesky), as encoded rows.
func gaussianRows(_ n: Int, correlation: [Double], seed: UInt64) -> [Float] {
    let f = Int(Double(correlation.count).squareRoot())
    let l = choleskyFactor(correlation, size: f)
    var rng = RandomStream(seed: seed)
    var out = [Float](repeating: 0, count: n * f)
    var z = [Double](repeating: 0, count: f)
    for r in 0..<n {
        for j in 0..<f { z[j] = rng.nextNormal() }
        for j in 0..<f { var s = 0.0; for k in 0...j { s += l[j * f + k] * z[k] }; out[r * f + j] = Float(s) }
    }
    return out
}

func numericLayout(_ f: Int) -> OutputLayout {
    OutputLayout(spans: (0..<f).map { OutputSpan(column: $0, start: $0, width: 1, output: .identity, isNumericValue: true) })
}

/// Two numeric columns and a 3-level categorical column (one-hot), for mixed-type tests.
func mixedData(rows: Int, seed: UInt64) -> TrainingData {
    let layout = OutputLayout(spans: [
        OutputSpan(column: 0, start: 0, width: 1, output: .identity, isNumericValue: true),
        OutputSpan(column: 1, start: 1, width: 1, output: .tanh, isNumericValue: true),
        OutputSpan(column: 2, start: 2, width: 3, output: .softmax, isNumericValue: false),
    ])
    var rng = RandomStream(seed: seed)
    var x = [Float](repeating: 0, count: rows * 5)
    for r in 0..<rows {
        let k = rng.nextInt(below: 3)
        let a = Float(rng.nextNormal()) + Float(k)
        x[r * 5] = a
        x[r * 5 + 1] = Float(Foundation.tanh(Double(a) * 0.5))
        x[r * 5 + 2 + k] = 1
    }
    return TrainingData(encoded: x, rows: rows, layout: layout, conditionSpan: nil)
}

func smallOptions(_ architecture: GeneratorArchitecture, loss: AdversarialLoss, steps: Int = 1) -> GANOptions {
    var o = GANOptions()
    o.architecture = architecture
    o.noiseSize = 8
    o.discriminatorWidths = [16]
    o.loss = loss
    o.steps = steps
    o.batchSize = 32
    o.logEvery = 1
    return o
}

var smallAttention: GeneratorArchitecture { .attention(trunkWidths: [16], tokenWidth: 4, heads: 2, blocks: 1, feedForwardWidth: 8) }

final class SynthesisTests: XCTestCase {
    func testEveryGeneratorAndLossTrainsOneStep() throws {
        let data = mixedData(rows: 64, seed: 1)
        for architecture in [GeneratorArchitecture.mlp(widths: [16, 16]), smallAttention] {
            for loss in [AdversarialLoss.bce, .wganGP, .hinge] {
                for pac in [1, 2] {
                    var o = smallOptions(architecture, loss: loss)
                    o.pac = pac
                    o.labelSmoothing = 0.9
                    let model = GANModel(options: o, layout: data.layout, rng: RandomStream(seed: 2))
                    let target = CorrelationLoss(columns: [0, 1, 2], trainEncoded: data.encoded, rows: data.rows, stride: 5, options: .init())
                    let outcome = try model.train(data, correlation: .global(target), validator: nil, rng: RandomStream(seed: 3))
                    XCTAssertEqual(outcome.stepsRun, 1)
                    let row = try XCTUnwrap(outcome.log.first)
                    XCTAssertTrue(row["discriminator_loss"]!.isFinite && row["generator_loss"]!.isFinite && row["correlation_loss"]! > 0,
                                  "\(architecture) \(loss) pac \(pac): \(row)")
                    if loss == .wganGP { XCTAssertGreaterThan(row["gradient_penalty"]!, 0) }
                    XCTAssertEqual(String(TrainingLogRow.csv(outcome.log).prefix { $0 != "\n" }),
                                   "step,discriminator_loss,generator_loss,correlation_loss,gradient_penalty,discriminator_grad_norm,"
                                   + "generator_grad_norm,validation_score,validation_correlation_gap,validation_marginal_distance",
                                   "training_log.csv columns as shipped")
                    var rng = RandomStream(seed: 4)
                    let sample = model.sampleEncoded(rows: 10, rng: &rng)
                    for r in 0..<10 {
                        XCTAssertEqual(sample[r * 5 + 2..<r * 5 + 5].reduce(0, +), 1, accuracy: 1e-5, "hard one-hot")
                        XCTAssertLessThanOrEqual(Swift.abs(sample[r * 5 + 1]), 1, "tanh span")
                    }
                }
            }
        }
    }

    func testConditionalGenerationFixesTheCondition() throws {
        let data0 = mixedData(rows: 64, seed: 5)
        let data = TrainingData(encoded: data0.encoded, rows: 64, layout: data0.layout, conditionSpan: 2)
        var o = smallOptions(smallAttention, loss: .bce, steps: 2)
        o.trainingBySampling = true
        let model = GANModel(options: o, layout: data.layout, conditionSpan: 2, rng: RandomStream(seed: 6))
        _ = try model.train(data, correlation: .none, validator: nil, rng: RandomStream(seed: 7))
        var rng = RandomStream(seed: 8)
        let rows = model.sampleEncoded(rows: 20, conditionLevel: 1, rng: &rng)
        for r in 0..<20 { XCTAssertEqual(Array(rows[r * 5 + 2..<r * 5 + 5]), [0, 1, 0]) }
    }

    func testCorrelationLossGradientAndZeroAtTarget() {
        var rng = RandomStream(seed: 9)
        let x = Tensor(shape: [12, 4], repeating: 0, requiresGrad: true)
        rng.fillNormal(x.buffer)
        let target: [Double] = [1, 0.5, -0.3, 0.2, 0.5, 1, 0.1, 0, -0.3, 0.1, 1, 0.4, 0.2, 0, 0.4, 1]
        for norm in [CorrelationLossOptions.Norm.squared, .absolute] {
            for weighting in [CorrelationLossOptions.Weighting.uniform, .magnitude] {
                let loss = CorrelationLoss(columns: [0, 1, 2, 3], target: target, options: .init(norm: norm, weighting: weighting))
                let report = checkGradients(of: [x], step: 1e-3) { t in loss.value(t[0]) }
                XCTAssertTrue(report.passes(rtol: 2e-2, atol: 2e-3), "\(norm) \(weighting): \(report)")
            }
        }
        // At its own target the loss is 0; with the columns shuffled against each other it is not.
        let own = CorrelationLoss(columns: [0, 1, 2, 3], trainEncoded: x.scalars, rows: 12, stride: 4, options: .init())
        XCTAssertEqual(own.value(x).item, 0, accuracy: 1e-6)
        // Scale check: squared loss of a batch whose only off-target pair differs by d is d²/pairs.
        let identity: [Double] = [1, 0, 0, 1]
        let pair = CorrelationLoss(columns: [0, 1], target: identity, options: .init())
        let twoColumns = Tensor(shape: [4, 2], scalars: [1, 1, 2, 2, 3, 3, 4, 4])
        XCTAssertEqual(pair.value(twoColumns).item, 1, accuracy: 1e-5)
    }

    func testBatchCorrelationMatchesReference() {
        let x: [Float] = gaussianRows(50, correlation: [1, 0.6, 0.6, 1], seed: 10)
        let c = batchCorrelation(Tensor(shape: [50, 2], scalars: x)).scalars
        let reference = pearsonMatrix(x, rows: 50, columns: [0, 1], stride: 2)
        assertClose(c.map(Double.init), reference, rtol: 1e-4, atol: 1e-5)
    }

    func testZeroLambdaIsBitIdenticalToNoTerm() throws {
        let data = mixedData(rows: 64, seed: 11)
        func run(_ targets: (GANOptions) -> CorrelationTargets, weight: Float) throws -> [Float] {
            var o = smallOptions(smallAttention, loss: .wganGP, steps: 4)
            o.correlation.weight = weight
            let model = GANModel(options: o, layout: data.layout, rng: RandomStream(seed: 12))
            _ = try model.train(data, correlation: targets(o), validator: nil, rng: RandomStream(seed: 13))
            var rng = RandomStream(seed: 14)
            return model.sampleEncoded(rows: 16, rng: &rng)
        }
        let withZero = try run({ .global(CorrelationLoss(columns: [0, 1], trainEncoded: data.encoded, rows: 64, stride: 5, options: $0.correlation)) }, weight: 0)
        let without = try run({ _ in .none }, weight: 1)
        let withTerm = try run({ .global(CorrelationLoss(columns: [0, 1], trainEncoded: data.encoded, rows: 64, stride: 5, options: $0.correlation)) }, weight: 1)
        XCTAssertEqual(withZero.map(\.bitPattern), without.map(\.bitPattern))
        XCTAssertNotEqual(withZero, withTerm, "the term must change training when λ > 0")
    }

    func testCheckpointRoundTripReproducesSamples() throws {
        let data = mixedData(rows: 64, seed: 15)
        let o = smallOptions(smallAttention, loss: .wganGP, steps: 3)
        let model = GANModel(options: o, layout: data.layout, rng: RandomStream(seed: 16))
        _ = try model.train(data, correlation: .none, validator: nil, rng: RandomStream(seed: 17))
        let saved = ParameterFile.encode(model.generatorState)
        let fresh = GANModel(options: o, layout: data.layout, rng: RandomStream(seed: 99))
        try ParameterFile.apply(try ParameterFile.decode(saved), to: fresh.generatorState)
        var a = RandomStream(seed: 18), b = RandomStream(seed: 18)
        XCTAssertEqual(model.sampleEncoded(rows: 40, rng: &a), fresh.sampleEncoded(rows: 40, rng: &b))
    }

    func testSameSeedSameSamplesDifferentSeedDifferent() throws {
        let data = mixedData(rows: 64, seed: 19)
        func samples(_ seed: UInt64) throws -> [Float] {
            let model = GANModel(options: smallOptions(.mlp(widths: [16]), loss: .bce, steps: 3), layout: data.layout, rng: RandomStream(seed: seed))
            _ = try model.train(data, correlation: .none, validator: nil, rng: RandomStream(seed: seed).child("train"))
            var rng = RandomStream(seed: seed).child("sample")
            return model.sampleEncoded(rows: 20, rng: &rng)
        }
        XCTAssertEqual(try samples(1), try samples(1))
        XCTAssertNotEqual(try samples(1), try samples(2))
    }

    func testAttentionGANWithConstraintLearnsKnownCorrelations() throws {
        // {0.9, −0.5, 0} cannot be the three pairs of one 3×3 correlation matrix (its determinant
        // would be −0.06), so four columns carry them: (a, b) = 0.9, (c, d) = −0.5, all others 0.
        let target: [Double] = [1, 0.9, 0, 0, 0.9, 1, 0, 0, 0, 0, 1, -0.5, 0, 0, -0.5, 1]
        let rows = 1000
        let data = TrainingData(encoded: gaussianRows(rows, correlation: target, seed: 20), rows: rows, layout: numericLayout(4))
        var o = smallOptions(.attention(trunkWidths: [32], tokenWidth: 8, heads: 2, blocks: 1, feedForwardWidth: 16), loss: .wganGP, steps: 150)
        o.batchSize = 200
        o.generatorLearningRate = 1e-3
        o.discriminatorLearningRate = 1e-3
        o.discriminatorWidths = [32, 32]
        o.logEvery = 50
        o.correlation.weight = 10
        let model = GANModel(options: o, layout: data.layout, rng: RandomStream(seed: 21))
        let loss = CorrelationLoss(columns: [0, 1, 2, 3], trainEncoded: data.encoded, rows: rows, stride: 4, options: o.correlation)
        _ = try model.train(data, correlation: .global(loss), validator: nil, rng: RandomStream(seed: 22))
        var rng = RandomStream(seed: 23)
        let sample = model.sampleEncoded(rows: 2000, rng: &rng)
        let c = pearsonMatrix(sample, rows: 2000, columns: [0, 1, 2, 3], stride: 4)
        var total = 0.0
        for i in 0..<4 { for j in (i + 1)..<4 { total += Swift.abs(c[i * 4 + j] - loss.target[i * 4 + j]) } }
        XCTAssertLessThan(total / 6, 0.05, "generated correlations \(c)")
    }

    func testBaselines() {
        let n = 2000
        let x = gaussianRows(n, correlation: [1, 0.8, 0.8, 1], seed: 24)
        let letters = ["a", "b", "c"]
        let codes = (0..<n).map { Int32(x[$0 * 2] > 0.5 ? 2 : (x[$0 * 2] > -0.5 ? 1 : 0)) }
        let train = Table(columns: [
            Column(name: "x", type: .real, values: .numeric((0..<n).map { Double(x[$0 * 2]) })),
            Column(name: "y", type: .real, values: .numeric((0..<n).map { $0 % 50 == 0 ? .nan : Double(x[$0 * 2 + 1]) })),
            Column(name: "k", type: .categorical, values: .categorical(codes: codes, levels: letters)),
        ])
        func corrXY(_ t: Table) -> Double {
            pearsonMatrix(columns: [t.columns[0].numbers!, t.columns[1].numbers!])[1]
        }
        var rng = RandomStream(seed: 25)
        XCTAssertEqual(identitySample(train, rows: n, rng: &rng), train)
        let independent = independentSample(train, rows: n, rng: &rng)
        XCTAssertLessThan(Swift.abs(corrXY(independent)), 0.08)
        let copula = GaussianCopula(fit: train).sample(rows: n, rng: &rng)
        XCTAssertEqual(corrXY(copula), corrXY(train), accuracy: 0.06)
        XCTAssertEqual(copula.columnNames, ["x", "y", "k"])
        let missing = Double(copula.columns[1].missingCount) / Double(n)
        XCTAssertEqual(missing, 0.02, accuracy: 0.015)
        guard case .categorical(let sampled, let levels) = copula.columns[2].values else { return XCTFail("k stays categorical") }
        XCTAssertEqual(levels, letters)
        XCTAssertTrue(sampled.allSatisfy { $0 >= 0 && $0 < 3 })
        // Shipped at the train split's precision: x to 2 decimals; y keeps full precision.
        var coarse = train
        coarse.columns[0] = Column(name: "x", type: .real, values: .numeric(train.columns[0].numbers!.map { rounded($0, decimals: 2) }))
        let shipped = GaussianCopula(fit: coarse).sample(rows: 200, rng: &rng)
        XCTAssertTrue(shipped.columns[0].numbers!.allSatisfy { ($0.isNaN ? 0 : fractionDigits($0)!) <= 2 })
        XCTAssertTrue(shipped.columns[1].numbers!.contains { !$0.isNaN && fractionDigits($0)! > 6 })
        XCTAssertEqual(normalQuantile(0.975), 1.959963984540054, accuracy: 1e-9)
        XCTAssertEqual(normalQuantile(1e-5), -4.264890793922825, accuracy: 1e-8)
        XCTAssertEqual(normalCDF(normalQuantile(0.3)), 0.3, accuracy: 1e-12)
    }
}
