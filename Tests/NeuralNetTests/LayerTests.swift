// Finite-difference checks of every layer's input and parameter gradients, golden values for
// normalisation and losses, and shape tests.

import XCTest
import TensorKit
import NeuralNet
import TestSupport
import Foundation

func leaf(_ shape: [Int], seed: UInt64, low: Float = -1, high: Float = 1) -> Tensor {
    var rng = RandomStream(seed: seed)
    let t = Tensor(shape: shape, repeating: 0, requiresGrad: true)
    rng.fillUniform(t.buffer, low: low, high: high)
    return t
}

final class LayerTests: XCTestCase {
    func assertLayerGradients(_ layer: any Layer, input: Tensor, rtol: Double = 2e-2, atol: Double = 2e-3, step: Float = 1e-2,
                              file: StaticString = #filePath, line: UInt = #line) {
        let report = checkGradients(of: [input] + layer.parameters, step: step) { _ in layer(input) }
        XCTAssertTrue(report.passes(rtol: rtol, atol: atol), "\(type(of: layer)): \(report)", file: file, line: line)
    }

    func testLinear() {
        var rng = RandomStream(seed: 1)
        let layer = Linear(inputSize: 4, outputSize: 3, rng: &rng)
        layer.bias!.data[1] = 0.5
        assertLayerGradients(layer, input: leaf([5, 4], seed: 2))
        assertLayerGradients(layer, input: leaf([2, 3, 4], seed: 3))
        XCTAssertEqual(layer(leaf([2, 3, 4], seed: 3)).shape, [2, 3, 3])
    }

    func testSequentialWithActivations() {
        var rng = RandomStream(seed: 4)
        let net = Sequential([
            Linear(inputSize: 3, outputSize: 6, rng: &rng), Activation(.tanh),
            Linear(inputSize: 6, outputSize: 4, rng: &rng), Activation(.gelu),
            Linear(inputSize: 4, outputSize: 2, rng: &rng), Activation(.sigmoid),
        ])
        assertLayerGradients(net, input: leaf([4, 3], seed: 5))
        XCTAssertEqual(net.namedParameters().map(\.0), ["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"])
    }

    func testBatchNormTrainingAndEvaluation() {
        let bn = BatchNorm(features: 3)
        bn.gain.data[0] = 1.5; bn.bias.data[2] = -0.3
        assertLayerGradients(bn, input: leaf([6, 3], seed: 6))
        // Golden: a column [1, 2, 3, 4] normalises to (x − 2.5)/√(1.25 + ε).
        let fresh = BatchNorm(features: 1, momentum: 0.5)
        let y = fresh(Tensor(shape: [4, 1], scalars: [1, 2, 3, 4]))
        let s = (1.25 + 1e-5 as Float).squareRoot()
        assertClose(y.scalars, [-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s], rtol: 1e-5)
        XCTAssertEqual(fresh.runningMean.scalars[0], 0.5 * 2.5, accuracy: 1e-6)
        XCTAssertEqual(fresh.runningVariance.scalars[0], 0.5 * 1 + 0.5 * (5.0 / 3.0), accuracy: 1e-6)
        fresh.setTraining(false)
        let e = fresh(Tensor(shape: [1, 1], scalars: [1.25]))
        XCTAssertEqual(e.item, 0, accuracy: 1e-6)
        assertLayerGradients(fresh, input: leaf([3, 1], seed: 7))
    }

    func testLayerNorm() {
        let ln = LayerNorm(features: 4)
        ln.gain.data[1] = 2; ln.bias.data[3] = 0.1
        assertLayerGradients(ln, input: leaf([3, 4], seed: 8))
        assertLayerGradients(ln, input: leaf([2, 3, 4], seed: 9))
        let y = LayerNorm(features: 2)(Tensor(shape: [1, 2], scalars: [1, 3]))
        assertClose(y.scalars, [-1, 1], rtol: 1e-4)
    }

    func testDropoutIsSeededAndScaled() {
        let layer = Dropout(rate: 0.25, rng: RandomStream(seed: 10))
        let y = layer(Tensor(shape: [1000], repeating: 1))
        let kept = y.scalars.filter { $0 != 0 }
        XCTAssertTrue(kept.allSatisfy { Swift.abs($0 - 4.0 / 3.0) < 1e-6 })
        XCTAssertEqual(Double(kept.count) / 1000, 0.75, accuracy: 0.05)
        let again = Dropout(rate: 0.25, rng: RandomStream(seed: 10))(Tensor(shape: [1000], repeating: 1))
        XCTAssertEqual(y.scalars, again.scalars)
        layer.setTraining(false)
        XCTAssertEqual(layer(Tensor(shape: [3], repeating: 2)).scalars, [2, 2, 2])
        var rng = RandomStream(seed: 11)
        let saved = rng
        let x = leaf([4, 5], seed: 12)
        let report = checkGradients(of: [x]) { t in rng = saved; return dropout(t[0], rate: 0.5, rng: &rng) }
        XCTAssertTrue(report.passes(), "\(report)")
    }

    func testColumnAttention() {
        var rng = RandomStream(seed: 13)
        for heads in [1, 2] {
            // LayerNorm over 4 features is strongly curved: a smaller step keeps truncation error low.
            let block = ColumnAttention(width: 4, heads: heads, feedForwardWidth: 6, rng: &rng)
            assertLayerGradients(block, input: leaf([2, 3, 4], seed: 14), rtol: 3e-2, atol: 3e-3, step: 3e-3)
        }
        let block = ColumnAttention(width: 4, heads: 2, feedForwardWidth: 8, rng: &rng)
        block.recordsAttention = true
        let y = block(leaf([5, 3, 4], seed: 15))
        XCTAssertEqual(y.shape, [5, 3, 4])
        XCTAssertEqual(block.lastAttention.count, 9)
        for r in 0..<3 { XCTAssertEqual(block.lastAttention[(r * 3)..<(r * 3 + 3)].reduce(0, +), 1, accuracy: 1e-5) }
    }

    func testColumnAttentionSecondOrder() {
        // The WGAN-GP penalty differentiates through the generator only at first order, but the
        // critic may contain attention: check d/dθ ‖∇ₓ f‖² through the block.
        var rng = RandomStream(seed: 16)
        let block = ColumnAttention(width: 2, heads: 1, feedForwardWidth: 3, rng: &rng)
        let x = leaf([2, 3, 2], seed: 17)
        let report = checkGradients(of: Array(block.parameters.prefix(4))) { _ in
            let out = block(x).tanh().sum()
            let g = gradients(of: out, withRespectTo: [x], createGraph: true)[0]
            return (g * g).sum()
        }
        XCTAssertTrue(report.passes(rtol: 3e-2, atol: 3e-3), "\(report)")
    }

    func testLossesGoldenAndGradients() {
        // BCE(logit 0, label 1) = log 2; BCE(logit 2, label 0) = softplus(2) = log(1 + e²).
        let bce = binaryCrossEntropy(logits: Tensor(shape: [2], scalars: [0, 2]), labels: Tensor(shape: [2], scalars: [1, 0]))
        XCTAssertEqual(Double(bce.item), (Foundation.log(2.0) + Foundation.log(1 + Foundation.exp(2.0))) / 2, accuracy: 1e-6)
        // Cross-entropy of uniform logits over 4 classes = log 4.
        let ce = crossEntropy(logits: Tensor(shape: [2, 4], repeating: 0.3), classes: [0, 3])
        XCTAssertEqual(Double(ce.item), Foundation.log(4.0), accuracy: 1e-6)
        XCTAssertEqual(meanSquaredError(prediction: Tensor(shape: [2], scalars: [1, 3]), target: Tensor(shape: [2], scalars: [0, 0])).item, 5)
        let x = leaf([3, 4], seed: 18, low: -3, high: 3), y = leaf([3, 4], seed: 19, low: 0, high: 1)
        for (name, f) in [("bce", { (t: [Tensor]) in binaryCrossEntropy(logits: t[0], labels: y) }),
                          ("ce", { (t: [Tensor]) in crossEntropy(logits: t[0], targets: y.softmax()) }),
                          ("mse", { (t: [Tensor]) in meanSquaredError(prediction: t[0], target: y) })] {
            let report = checkGradients(of: [x], f)
            XCTAssertTrue(report.passes(), "\(name): \(report)")
        }
    }
}
