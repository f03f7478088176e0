// Finite-difference checks of every differentiable op (first and second order), golden values
// for hand-derivable cases, and a negative control showing the checker catches wrong gradients.

import XCTest
import TensorKit

/// A random leaf tensor with values in [low, high), seeded for reproducibility.
func randomLeaf(_ shape: [Int], seed: UInt64, low: Float = -1, high: Float = 1) -> Tensor {
    var rng = RandomStream(seed: seed)
    let t = Tensor(shape: shape, repeating: 0, requiresGrad: true)
    rng.fillUniform(t.buffer, low: low, high: high)
    return t
}

/// Values kept away from 0 by at least `gap` (for ops with a kink at 0: abs, ReLU).
func awayFromZero(_ shape: [Int], seed: UInt64, gap: Float = 0.1) -> Tensor {
    let t = randomLeaf(shape, seed: seed)
    for i in 0..<t.count { t.data[i] += t.data[i] >= 0 ? gap : -gap }
    return t
}

final class AutodiffTests: XCTestCase {
    func assertGradientsMatch(_ inputs: [Tensor], rtol: Double = 1e-2, atol: Double = 1e-3, step: Float = 1e-2,
                              file: StaticString = #filePath, line: UInt = #line, _ f: ([Tensor]) -> Tensor) {
        let report = checkGradients(of: inputs, step: step, f)
        XCTAssertTrue(report.passes(rtol: rtol, atol: atol), "\(report)", file: file, line: line)
    }

    func testGoldenSumOfSquares() {
        // ∇ Σ x² = 2x.
        let x = Tensor(shape: [3], scalars: [1, -2, 3], requiresGrad: true)
        let g = gradients(of: (x * x).sum(), withRespectTo: [x])[0]
        XCTAssertEqual(g.scalars, [2, -4, 6])
    }

    func testBackwardAccumulatesIntoLeaves() {
        let w = Tensor(shape: [2], scalars: [1, 2], requiresGrad: true)
        (w * 3).sum().backward()
        (w * w).sum().backward()
        XCTAssertEqual(w.grad?.scalars, [3 + 2, 3 + 4])
    }

    func testBroadcastingArithmetic() {
        let a = randomLeaf([4, 3], seed: 1), row = randomLeaf([1, 3], seed: 2), col = randomLeaf([4, 1], seed: 3)
        let positive = randomLeaf([4, 3], seed: 4, low: 0.5, high: 2)
        assertGradientsMatch([a, row, col]) { t in (t[0] + t[1]) * t[2] - t[1] }
        assertGradientsMatch([a, positive, row]) { t in t[0] / t[1] + t[2] / t[1] }
        let cube = randomLeaf([2, 3, 4], seed: 5), vec = randomLeaf([4], seed: 6)
        assertGradientsMatch([cube, vec]) { t in t[0] * t[1] + 2 * t[1] - t[0] / 3 }
    }

    func testUnaryOps() {
        let x = randomLeaf([3, 5], seed: 7)
        let pos = randomLeaf([3, 5], seed: 8, low: 0.3, high: 2)
        let away = awayFromZero([3, 5], seed: 9)
        assertGradientsMatch([x]) { $0[0].exp() }
        assertGradientsMatch([pos]) { $0[0].log() }
        assertGradientsMatch([pos]) { $0[0].sqrt() }
        assertGradientsMatch([pos]) { $0[0].pow(1.7) }
        assertGradientsMatch([pos]) { $0[0].pow(-0.5) }
        assertGradientsMatch([away]) { $0[0].abs() }
        assertGradientsMatch([away]) { $0[0].relu() }
        assertGradientsMatch([away]) { $0[0].leakyReLU(slope: 0.2) }
        assertGradientsMatch([x]) { $0[0].tanh() }
        assertGradientsMatch([x]) { $0[0].sigmoid() }
        assertGradientsMatch([x]) { ($0[0] * 4).softplus() }
        assertGradientsMatch([x]) { $0[0].gelu() }
        let spread = randomLeaf([3, 5], seed: 10, low: -2, high: 2)
        for i in 0..<spread.count where Swift.abs(Swift.abs(spread.data[i]) - 1) < 0.1 { spread.data[i] *= 0.8 }
        assertGradientsMatch([spread]) { $0[0].clamp(-1, 1) }
    }

    func testPiecewiseLinearValuesGradientsAndSecondOrder() {
        // Golden values: knots (−1, 0), (0, 2), (1, 3); constant outside, slope 2 then 1 inside.
        let map = PiecewiseLinearMap(xs: [-1, 0, 1], ys: [0, 2, 3])
        let x = Tensor(shape: [5, 2], scalars: [-2, 0.5, -0.5, 7, 0.25, -1.5, 0.75, 0, 1, 0.3], requiresGrad: true)
        let y = x.piecewiseLinear([map, nil])
        XCTAssertEqual(y.scalars, [0, 0.5, 1, 7, 2.25, -1.5, 2.75, 0, 3, 0.3])
        XCTAssertEqual(gradients(of: y.sum(), withRespectTo: [x])[0].scalars, [0, 1, 2, 1, 1, 1, 1, 1, 0, 1])
        // Finite differences away from the knots, and through a second-order path (WGAN-GP style).
        // Inputs (and their squares, for the second-order path) at least 0.05 from every knot.
        let curved = PiecewiseLinearMap(xs: [-1, -0.2, 0.4, 1.2], ys: [-3, -1, 0.5, 4])
        let knots = Set(map.xs + curved.xs)
        let away = Tensor(shape: [6, 2], scalars: [-1.3, 0.3, -0.75, 0.5, -0.3, 0.9, 0.26, -0.55, 0.8, 1.3, -0.45, 0.7], requiresGrad: true)
        for v in away.scalars { XCTAssertTrue(knots.allSatisfy { Swift.abs(v - $0) >= 0.05 && Swift.abs(v * v - $0) >= 0.05 }, "\(v) too close to a knot") }
        assertGradientsMatch([away]) { $0[0].piecewiseLinear([curved, map]) }
        assertGradientsMatch([away]) { t in
            let inner = (t[0] * t[0]).piecewiseLinear([curved, nil]).sum()
            let g = gradients(of: inner, withRespectTo: [t[0]], createGraph: true)[0]
            return (g * g).sum()
        }
    }

    func testReductions() {
        let x = randomLeaf([2, 3, 4], seed: 11)
        assertGradientsMatch([x]) { $0[0].sum() }
        assertGradientsMatch([x]) { $0[0].mean() }
        for axis in 0..<3 {
            assertGradientsMatch([x]) { ($0[0].sum(axis: axis) * $0[0].mean(axis: axis)).exp() }
        }
        let m = randomLeaf([5, 3], seed: 12)
        XCTAssertEqual(m.sum(axis: 0).shape, [1, 3])
        XCTAssertEqual(m.mean(axis: -1).shape, [5, 1])
    }

    func testMatmulAllForms() {
        let a = randomLeaf([4, 3], seed: 13), b = randomLeaf([3, 5], seed: 14)
        let at = randomLeaf([3, 4], seed: 15), bt = randomLeaf([5, 3], seed: 16)
        assertGradientsMatch([a, b]) { $0[0].matmul($0[1]) }
        assertGradientsMatch([at, b]) { $0[0].matmul($0[1], transposeSelf: true) }
        assertGradientsMatch([a, bt]) { $0[0].matmul($0[1], transposeOther: true) }
        let ba = randomLeaf([2, 4, 3], seed: 17), bb = randomLeaf([2, 3, 5], seed: 18), bbt = randomLeaf([2, 5, 3], seed: 19)
        assertGradientsMatch([ba, bb]) { $0[0].matmul($0[1]) }
        assertGradientsMatch([ba, bbt]) { $0[0].matmul($0[1], transposeOther: true) }
        assertGradientsMatch([ba, b]) { $0[0].matmul($0[1]) }
        assertGradientsMatch([ba, bt]) { $0[0].matmul($0[1], transposeOther: true) }
        let bat = randomLeaf([2, 3, 4], seed: 20)
        assertGradientsMatch([bat, bb]) { $0[0].matmul($0[1], transposeSelf: true) }
    }

    func testMatmulGolden() {
        let a = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]), b = Tensor(shape: [2, 2], scalars: [5, 6, 7, 8])
        XCTAssertEqual(a.matmul(b).scalars, [19, 22, 43, 50])
        XCTAssertEqual(a.matmul(b, transposeSelf: true).scalars, [26, 30, 38, 44])
        XCTAssertEqual(a.matmul(b, transposeOther: true).scalars, [17, 23, 39, 53])
    }

    func testShapeOps() {
        let x = randomLeaf([2, 3, 4], seed: 21)
        assertGradientsMatch([x]) { $0[0].reshaped([6, 4]).exp() }
        assertGradientsMatch([x]) { $0[0].transposed().tanh() }
        assertGradientsMatch([x]) { $0[0].slice(columns: 1..<3).exp() }
        assertGradientsMatch([x]) { $0[0].selectColumns([3, 0, 3]).exp() }
        let m = randomLeaf([4, 3], seed: 31)
        assertGradientsMatch([m]) { $0[0].selectRows([2, 0, 2]).exp() }
        let y = randomLeaf([2, 3, 2], seed: 22)
        assertGradientsMatch([x, y]) { Tensor.concatenate(columns: [$0[1], $0[0], $0[1]]).tanh() }
        XCTAssertEqual(Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]).transposed().scalars, [1, 4, 2, 5, 3, 6])
    }

    func testSoftmaxFamily() {
        let x = randomLeaf([3, 4], seed: 23, low: -2, high: 2)
        assertGradientsMatch([x]) { $0[0].softmax() }
        assertGradientsMatch([x]) { $0[0].logSoftmax() }
        let s = x.softmax()
        for r in 0..<3 { XCTAssertEqual((0..<4).reduce(Float(0)) { $0 + s.data[r * 4 + $1] }, 1, accuracy: 1e-6) }
        var rng = RandomStream(seed: 24)
        let saved = rng
        assertGradientsMatch([x]) { t in rng = saved; return t[0].gumbelSoftmax(temperature: 0.5, rng: &rng) }
        var hardRng = RandomStream(seed: 25)
        let hard = x.gumbelSoftmax(temperature: 0.5, hard: true, rng: &hardRng)
        XCTAssertEqual(Set(hard.scalars.map { ($0 * 1e4).rounded() / 1e4 }), [0, 1])
    }

    func testSecondOrderGradientPenaltyPath() {
        // f(W) = ‖∇ₓ Σ leakyReLU(x·W)·v‖² : the WGAN-GP penalty's shape, differentiated w.r.t. W.
        let x = randomLeaf([5, 3], seed: 26), w = randomLeaf([3, 4], seed: 27), v = randomLeaf([4, 1], seed: 28)
        assertGradientsMatch([w, v]) { t in
            let out = x.matmul(t[0]).tanh().matmul(t[1]).softplus().sum()
            let g = gradients(of: out, withRespectTo: [x], createGraph: true)[0]
            return ((g * g).sum(axis: 1).sqrt() - 1).pow(2).mean()
        }
        // Through LeakyReLU (piecewise linear: its second derivative is 0 away from the kink).
        let xa = awayFromZero([4, 3], seed: 29, gap: 0.2)
        assertGradientsMatch([w]) { t in
            let h = xa.matmul(t[0])
            let out = (h.leakyReLU(slope: 0.2) * h).sum()
            let g = gradients(of: out, withRespectTo: [xa], createGraph: true)[0]
            return (g * g).sum()
        }
    }

    func testCheckerCatchesWrongGradient() {
        // Negative control: sin-like op whose backward is deliberately off by a factor.
        let x = randomLeaf([6], seed: 30)
        let wrong = checkGradients(of: [x]) { t in (t[0] * t[0]).sum() * 1.0 + t[0].detachedWithWrongGradient().sum() }
        XCTAssertFalse(wrong.passes(), "the checker must fail on a wrong backward: \(wrong)")
        let huge = checkGradients(of: [x], step: 5) { t in t[0].exp().sum() }
        XCTAssertFalse(huge.passes(), "a huge step must fail: \(huge)")
    }
}

extension Tensor {
    /// x³ with a deliberately wrong backward (2x instead of 3x²), for the negative control.
    func detachedWithWrongGradient() -> Tensor {
        let y = GradMode.withoutGrad { self * self * self }
        let fake = Tensor(shape: shape, repeating: 0)
        // Build y + (x² − stop(x²)): value x³, gradient 2x.
        return y.detached() + (self * self - (self * self).detached()) + fake
    }
}
