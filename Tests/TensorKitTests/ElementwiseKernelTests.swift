// Elementwise kernels against scalar Double references: LeakyReLU forward/backward, row softmax
// forward/backward (the backward as a Jacobian-vector product), and the vectorised exp in ulps.

import Foundation
import TestSupport
import XCTest
@testable import TensorKit

final class ElementwiseKernelTests: XCTestCase {
    private func uniform(_ count: Int, seed: UInt64, low: Float = -3, high: Float = 3) -> [Float] {
        var stream = RandomStream(seed: seed)
        var values = [Float](repeating: 0, count: count)
        values.withUnsafeMutableBufferPointer { stream.fillUniform($0, low: low, high: high) }
        return values
    }

    // Counts cover: empty, tail only, vector + tail, several parallel chunks + tail.
    private let counts = [0, 1, 17, 70_001]

    func testLeakyReLUForwardMatchesScalarReference() {
        for count in counts {
            var x = uniform(count, seed: UInt64(count))
            if count > 3 { x[0] = 0; x[1] = -0.0; x[2] = .nan }
            var y = [Float](repeating: .infinity, count: count)
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { leakyReLUForward(xp.baseAddress!, $0.baseAddress!, count: count, slope: 0.2) }
            }
            let expected = x.map { $0 > 0 ? $0 : 0.2 * $0 }
            XCTAssertEqual(y.map(\.bitPattern), expected.map(\.bitPattern), "count \(count)")
        }
    }

    func testLeakyReLUBackwardMatchesScalarReference() {
        for count in counts {
            let x = uniform(count, seed: UInt64(count) + 1), dy = uniform(count, seed: UInt64(count) + 2)
            var dx = [Float](repeating: .infinity, count: count)
            x.withUnsafeBufferPointer { xp in
                dy.withUnsafeBufferPointer { dyp in
                    dx.withUnsafeMutableBufferPointer {
                        leakyReLUBackward(xp.baseAddress!, dyp.baseAddress!, $0.baseAddress!, count: count, slope: 0.01)
                    }
                }
            }
            let expected = zip(x, dy).map { $0 > 0 ? $1 : 0.01 * $1 }
            XCTAssertEqual(dx.map(\.bitPattern), expected.map(\.bitPattern), "count \(count)")
        }
    }

    private func softmax(_ x: [Float], rows: Int, columns: Int) -> [Float] {
        var y = [Float](repeating: .infinity, count: x.count)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { softmaxRows(xp.baseAddress!, $0.baseAddress!, rows: rows, columns: columns) }
        }
        return y
    }

    /// exp(x − max) / Σ exp(x − max) in Double.
    private func softmaxReference(_ x: [Float], rows: Int, columns: Int) -> [Double] {
        var y = [Double]()
        for r in 0..<rows {
            let row = x[(r * columns)..<((r + 1) * columns)].map(Double.init)
            let top = row.max()!
            let e = row.map { Foundation.exp($0 - top) }
            let sum = e.reduce(0, +)
            y += e.map { $0 / sum }
        }
        return y
    }

    func testSoftmaxRowsMatchesDoubleReference() {
        // 1 column, tail-only rows, one vector plus tail, exact vectors, many parallel chunks.
        for (rows, columns) in [(3, 1), (5, 7), (4, 17), (2, 256), (300, 130)] {
            let x = uniform(rows * columns, seed: UInt64(rows * columns), low: -20, high: 20)
            assertClose(softmax(x, rows: rows, columns: columns), softmaxReference(x, rows: rows, columns: columns).map(Float.init),
                        rtol: 1e-5, atol: 1e-9, "\(rows)×\(columns)")
        }
    }

    func testSoftmaxBitIdenticalWhateverTheThreadCount() {
        let saved = Parallel.threadCount
        defer { Parallel.threadCount = saved }
        let x = uniform(600 * 130, seed: 77, low: -20, high: 20)  // several parallel chunks of rows
        var results: [[UInt32]] = []
        for threads in [1, 2, 3] {
            Parallel.threadCount = threads
            results.append(softmax(x, rows: 600, columns: 130).map(\.bitPattern))
        }
        XCTAssertEqual(results[0], results[1])
        XCTAssertEqual(results[0], results[2])
    }

    func testSoftmaxIsStableForLargeLogitsAndPropagatesNaN() {
        // Hand values: row [1000, 999, −1000] is [1, e⁻¹, e⁻²⁰⁰⁰ ≈ 0] / (1 + e⁻¹) once the max is subtracted.
        let y = softmax([1000, 999, -1000, 5_000, -.infinity, .nan], rows: 2, columns: 3)
        let e1 = Foundation.exp(-1.0)
        assertClose(Array(y[0..<3]), [Float(1 / (1 + e1)), Float(e1 / (1 + e1)), 0], rtol: 1e-6, atol: 0)
        XCTAssertTrue(y[3...].allSatisfy(\.isNaN), "a NaN in a row makes the whole row NaN, got \(Array(y[3...]))")
    }

    func testSoftmaxBackwardMatchesJacobianVectorProduct() {
        for (rows, columns) in [(3, 1), (4, 17), (2, 256), (300, 130)] {
            let x = uniform(rows * columns, seed: 40 + UInt64(columns), low: -4, high: 4)
            let dy = uniform(rows * columns, seed: 50 + UInt64(columns))
            let y = softmax(x, rows: rows, columns: columns)
            var dx = [Float](repeating: .infinity, count: x.count)
            y.withUnsafeBufferPointer { yp in
                dy.withUnsafeBufferPointer { dyp in
                    dx.withUnsafeMutableBufferPointer {
                        softmaxRowsBackward(yp.baseAddress!, dyp.baseAddress!, $0.baseAddress!, rows: rows, columns: columns)
                    }
                }
            }
            // dx_j = Σ_i dy_i ∂y_i/∂x_j with ∂y_i/∂x_j = y_i (δ_ij − y_j), all in Double.
            var expected = [Double](repeating: 0, count: x.count)
            for r in 0..<rows {
                let o = r * columns
                for j in 0..<columns {
                    var sum = 0.0
                    for i in 0..<columns {
                        let yi = Double(y[o + i]), yj = Double(y[o + j])
                        sum += Double(dy[o + i]) * yi * ((i == j ? 1 : 0) - yj)
                    }
                    expected[o + j] = sum
                }
            }
            assertClose(dx.map(Double.init), expected, rtol: 1e-4, atol: 1e-6, "\(rows)×\(columns)")
        }
    }

    func testVectorisedExpWithinTwoUlpsOfFoundation() {
        // Setup: 16,000 points across the normal-result range, plus both ends.
        var points: [Float] = [0, -0.0, -1e-30, -87.33]
        for i in 0..<16_000 { points.append(-87.3 * Float(i) / 16_000 - Float(i % 7) * 1e-4) }
        var worst = 0, worstAt: Float = 0
        for start in stride(from: 0, to: points.count, by: 16) {
            var lanes = SIMD16<Float>(repeating: 0)
            for lane in 0..<min(16, points.count - start) { lanes[lane] = points[start + lane] }
            // Run
            let e = exponentOfNonPositive(lanes)
            // Assert
            for lane in 0..<16 {
                let reference = Float(Foundation.exp(Double(lanes[lane])))
                let ulps = abs(Int(e[lane].bitPattern) - Int(reference.bitPattern))
                if ulps > worst { worst = ulps; worstAt = lanes[lane] }
            }
        }
        XCTAssertLessThanOrEqual(worst, 2, "worst error \(worst) ulp at x = \(worstAt)")
        let special = exponentOfNonPositive(SIMD16(repeating: -90))
        XCTAssertEqual(special[0], 0, "results below the smallest normal float flush to zero")
        XCTAssertTrue(exponentOfNonPositive(SIMD16(repeating: .nan))[0].isNaN)
    }
}
