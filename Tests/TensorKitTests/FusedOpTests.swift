// The fused ops (layer and batch normalisation, multi-head attention, x·W + b) against their
// composed definitions (values and gradients), finite-difference checks of first order and of
// the recorded backward (second order), and bit-identical results across thread counts.

import XCTest
import TensorKit
import TestSupport

/// Layer normalisation composed from elementary ops: the definition the fused op must match.
private func composedLayerNorm(_ x: Tensor, _ gain: Tensor, _ bias: Tensor, axis: Int = -1) -> Tensor {
    let centred = x - x.mean(axis: axis)
    return centred / ((centred * centred).mean(axis: axis) + 1e-5).sqrt() * gain + bias
}

final class FusedOpTests: XCTestCase {
    private func assertGradients(_ inputs: [Tensor], rtol: Double = 1e-2, atol: Double = 1e-3,
                                 file: StaticString = #filePath, line: UInt = #line, _ f: ([Tensor]) -> Tensor) {
        let report = checkGradients(of: inputs, f)
        XCTAssertTrue(report.passes(rtol: rtol, atol: atol), "\(report)", file: file, line: line)
    }

    /// Values and input gradients (of Σ f ⊙ W, W fixed) of `fused` and `composed` agree.
    private func assertSameFunction(_ inputs: [Tensor], file: StaticString = #filePath, line: UInt = #line,
                                    fused: ([Tensor]) -> Tensor, composed: ([Tensor]) -> Tensor) {
        let a = fused(inputs), b = composed(inputs)
        XCTAssertEqual(a.shape, b.shape, file: file, line: line)
        assertClose(a.scalars.map(Double.init), b.scalars.map(Double.init), rtol: 1e-4, atol: 1e-5, "values", file: file, line: line)
        var rng = RandomStream(seed: 99)
        let w = Tensor(shape: a.shape, repeating: 0)
        rng.fillUniform(w.buffer, low: -1, high: 1)
        let ga = gradients(of: (a * w).sum(), withRespectTo: inputs), gb = gradients(of: (b * w).sum(), withRespectTo: inputs)
        for (i, (x, y)) in zip(ga, gb).enumerated() {
            assertClose(x.scalars.map(Double.init), y.scalars.map(Double.init), rtol: 1e-3, atol: 1e-4, "gradient of input \(i)", file: file, line: line)
        }
    }

    func testLayerNormMatchesComposition() {
        let x = randomLeaf([3, 4, 6], seed: 1, low: -2, high: 2), gain = randomLeaf([6], seed: 2, low: 0.5, high: 1.5)
        let bias = randomLeaf([6], seed: 3)
        assertSameFunction([x, gain, bias], fused: { $0[0].layerNormalized(gain: $0[1], bias: $0[2], epsilon: 1e-5) },
                           composed: { composedLayerNorm($0[0], $0[1], $0[2]) })
        assertGradients([x, gain, bias]) { $0[0].layerNormalized(gain: $0[1], bias: $0[2], epsilon: 1e-5) }
    }

    func testBatchNormMatchesComposition() {
        let x = randomLeaf([7, 5], seed: 4, low: -2, high: 2), gain = randomLeaf([5], seed: 5, low: 0.5, high: 1.5)
        let bias = randomLeaf([5], seed: 6)
        assertSameFunction([x, gain, bias], fused: { $0[0].batchNormalized(gain: $0[1], bias: $0[2], epsilon: 1e-5).output },
                           composed: { composedLayerNorm($0[0], $0[1], $0[2], axis: 0) })
        assertGradients([x, gain, bias]) { $0[0].batchNormalized(gain: $0[1], bias: $0[2], epsilon: 1e-5).output }
        // The returned statistics are the batch mean and biased variance (hand-checked column).
        let small = Tensor(shape: [2, 1], scalars: [1, 3])
        let stats = small.batchNormalized(gain: Tensor(shape: [1], repeating: 1), bias: Tensor(shape: [1], repeating: 0), epsilon: 0)
        XCTAssertEqual(stats.mean.scalars, [2])
        XCTAssertEqual(stats.variance.scalars, [1])
        XCTAssertEqual(stats.output.scalars, [-1, 1])
    }

    func testAttentionMatchesComposition() {
        for (tokens, width, heads) in [(5, 4, 2), (17, 12, 1), (30, 16, 2)] {
            let q = randomLeaf([3, tokens, width], seed: 7), k = randomLeaf([3, tokens, width], seed: 8), v = randomLeaf([3, tokens, width], seed: 9)
            assertSameFunction([q, k, v], fused: { Tensor.multiHeadAttention(query: $0[0], key: $0[1], value: $0[2], heads: heads).output },
                               composed: { Tensor.referenceAttention(query: $0[0], key: $0[1], value: $0[2], heads: heads) })
        }
        let q = randomLeaf([2, 5, 4], seed: 10), k = randomLeaf([2, 5, 4], seed: 11), v = randomLeaf([2, 5, 4], seed: 12)
        assertGradients([q, k, v]) { Tensor.multiHeadAttention(query: $0[0], key: $0[1], value: $0[2], heads: 2).output }
        // Weights: each row of each (row, head) map is a probability vector.
        let weights = Tensor.multiHeadAttention(query: q, key: k, value: v, heads: 2).weights
        XCTAssertEqual(weights.shape, [4, 5, 5])
        for r in 0..<20 { XCTAssertEqual(weights.scalars[(r * 5)..<(r * 5 + 5)].reduce(0, +), 1, accuracy: 1e-5) }
    }

    func testLinearWithBiasMatchesComposition() {
        let x2 = randomLeaf([5, 3], seed: 13), x3 = randomLeaf([2, 4, 3], seed: 14)
        let w = randomLeaf([3, 6], seed: 15), b = randomLeaf([6], seed: 16)
        for x in [x2, x3] {
            assertSameFunction([x, w, b], fused: { $0[0].matmul($0[1], addingBias: $0[2]) }, composed: { $0[0].matmul($0[1]) + $0[2] })
            assertGradients([x, w, b]) { $0[0].matmul($0[1], addingBias: $0[2]) }
        }
    }

    /// Second order through the recorded backward: ‖∇ₓ Σ f(x) ⊙ W‖² is differentiated again.
    func testRecordedBackwardGivesSecondOrder() {
        let weights = randomLeaf([2, 5, 4], seed: 17).detached()
        func gradientNormSquared(_ f: @escaping (Tensor) -> Tensor) -> ([Tensor]) -> Tensor {
            { t in
                let g = gradients(of: (f(t[0]) * weights).sum(), withRespectTo: [t[0]], createGraph: true)[0]
                return (g * g).sum()
            }
        }
        let x = randomLeaf([2, 5, 4], seed: 18, low: -2, high: 2)
        let gain = randomLeaf([4], seed: 19, low: 0.5, high: 1.5).detached(), bias = randomLeaf([4], seed: 20).detached()
        assertGradients([x], gradientNormSquared { $0.layerNormalized(gain: gain, bias: bias, epsilon: 1e-5) })
        let k = randomLeaf([2, 5, 4], seed: 21).detached(), v = randomLeaf([2, 5, 4], seed: 22).detached()
        assertGradients([x], gradientNormSquared { Tensor.multiHeadAttention(query: $0, key: k, value: v, heads: 2).output })
        let rows = randomLeaf([6, 4], seed: 23, low: -2, high: 2)
        let rowWeights = randomLeaf([6, 4], seed: 24).detached()
        assertGradients([rows]) { t in
            let g = gradients(of: (t[0].batchNormalized(gain: gain, bias: bias, epsilon: 1e-5).output * rowWeights).sum(),
                              withRespectTo: [t[0]], createGraph: true)[0]
            return (g * g).sum()
        }
    }

    /// Shapes large enough to split into several chunks give the same bits on 1, 2 and 3 threads.
    func testFusedOpsAreBitIdenticalAcrossThreadCounts() {
        let saved = Parallel.threadCount
        defer { Parallel.threadCount = saved }
        let q = randomLeaf([90, 30, 16], seed: 25), k = randomLeaf([90, 30, 16], seed: 26), v = randomLeaf([90, 30, 16], seed: 27)
        let gain = randomLeaf([16], seed: 28), bias = randomLeaf([16], seed: 29)
        let big = randomLeaf([300, 200], seed: 30), row = randomLeaf([200], seed: 31)
        func run() -> [[Float]] {
            let a = Tensor.multiHeadAttention(query: q, key: k, value: v, heads: 2).output
            let n = a.layerNormalized(gain: gain, bias: bias, epsilon: 1e-5)
            let e = big * big + row
            let loss = (n * n).sum() + e.sum()
            return [a.scalars, n.scalars, e.scalars] + gradients(of: loss, withRespectTo: [q, k, v, gain, bias, big]).map(\.scalars)
        }
        Parallel.threadCount = 1
        let one = run()
        for threads in [2, 3] {
            Parallel.threadCount = threads
            XCTAssertEqual(run(), one, "\(threads) threads")
        }
    }
}
