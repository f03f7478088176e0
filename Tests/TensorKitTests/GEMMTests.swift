// GEMM against a naive Double triple loop on awkward shapes in all three forms, with and without
// accumulation, and bit-identity of the result across thread counts.

import TestSupport
import XCTest
@testable import TensorKit

final class GEMMTests: XCTestCase {
    private enum Form: CaseIterable { case plain, transposedA, transposedB }

    private func randomMatrix(_ count: Int, _ stream: inout RandomStream) -> [Float] {
        var values = [Float](repeating: 0, count: count)
        values.withUnsafeMutableBufferPointer { stream.fillUniform($0, low: -1, high: 1) }
        return values
    }

    /// Runs `gemm` in `form` on A (m×k logically) and B (k×n logically) stored as that form needs.
    private func product(
        _ form: Form, m: Int, k: Int, n: Int, a: [Float], b: [Float], c: [Float], accumulate: Bool
    ) -> [Float] {
        var c = c
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    gemm(m: m, n: n, k: k, a: a.baseAddress!, transposeA: form == .transposedA,
                         b: b.baseAddress!, transposeB: form == .transposedB, c: c.baseAddress!, accumulate: accumulate)
                }
            }
        }
        return c
    }

    /// Checks `form` against Σ_p A(i,p)·B(p,j) in Double, within 1e-5 of Σ_p |A(i,p)·B(p,j)|.
    private func check(_ form: Form, m: Int, k: Int, n: Int, accumulate: Bool, seed: UInt64, file: StaticString = #filePath, line: UInt = #line) {
        // Setup
        var stream = RandomStream(seed: seed)
        let a = randomMatrix(m * k, &stream), b = randomMatrix(k * n, &stream), c0 = randomMatrix(m * n, &stream)
        let aValue = { (i: Int, p: Int) in Double(form == .transposedA ? a[p * m + i] : a[i * k + p]) }
        let bValue = { (p: Int, j: Int) in Double(form == .transposedB ? b[j * k + p] : b[p * n + j]) }
        // Run
        let c = product(form, m: m, k: k, n: n, a: a, b: b, c: c0, accumulate: accumulate)
        // Assert
        var failures = 0
        for i in 0..<m {
            for j in 0..<n {
                var sum = accumulate ? Double(c0[i * n + j]) : 0, magnitude = abs(sum)
                for p in 0..<k {
                    let term = aValue(i, p) * bValue(p, j)
                    sum += term
                    magnitude += abs(term)
                }
                if abs(Double(c[i * n + j]) - sum) > 1e-5 * magnitude + 1e-30, failures < 5 {
                    failures += 1
                    XCTFail("\(form) \(m)×\(k)·\(k)×\(n) accumulate=\(accumulate) seed \(seed): C[\(i),\(j)] = \(c[i * n + j]), expected \(sum)",
                            file: file, line: line)
                }
            }
        }
    }

    func testSmallAwkwardShapesInAllForms() {
        let shapes = [(1, 1, 1), (7, 13, 5), (33, 1, 17), (14, 5, 32), (15, 3, 33), (2, 40, 1), (1, 9, 70), (3, 32, 48)]
        for form in Form.allCases {
            for (m, k, n) in shapes {
                for accumulate in [false, true] {
                    check(form, m: m, k: k, n: n, accumulate: accumulate, seed: UInt64(m * 1000 + k * 10 + n))
                }
            }
        }
    }

    func testSeveralDepthBlocksAndRaggedEdges() {
        // k spans three depth blocks and is ≥ packingStride (A packed by transposes); m and n leave
        // ragged row and column panels.
        for form in Form.allCases {
            check(form, m: 31, k: 2 * depthBlock + 37, n: 70, accumulate: true, seed: 11)
        }
    }

    func testLongRowsOfBArePacked() {
        // n ≥ packingStride: every B panel goes through scratch, the last one ragged.
        for form in Form.allCases {
            check(form, m: 17, k: 40, n: packingStride + 18, accumulate: true, seed: 14)
        }
    }

    func testSkinnyOutputWithManyRows() {
        for form in Form.allCases {
            check(form, m: 500, k: 256, n: 30, accumulate: false, seed: 12)
        }
    }

    func testWeightGradientShapeWithLongDepth() {
        check(.transposedA, m: 16, k: 3000, n: 48, accumulate: false, seed: 13)
    }

    func testNarrowAndVectorKernelsInAllForms() {
        // C 16 wide (the narrow kernel): every tile size (61 = 28 + 28 + 4 + 1, 54 = 28 + 16 + 8 + 2),
        // two depth blocks, a depth that is not a multiple of 16 (the transposed-B packing tail), a
        // depth of exactly 16. C one column wide (matrix times vector: 16-row blocks, a ragged tail,
        // two depth blocks, a depth tail). A depth of one (an outer product with a ragged row end).
        for (m, k, n) in [(61, 300, 16), (54, 16, 16), (300, 300, 1), (37, 1, 45)] {
            for form in Form.allCases {
                for accumulate in [false, true] {
                    check(form, m: m, k: k, n: n, accumulate: accumulate, seed: 14)
                }
            }
        }
        check(.transposedA, m: 32, k: 3000, n: 16, accumulate: false, seed: 16)
    }

    /// Σ_p A(i,p)·B(p,j) in Float as every kernel sums: per depth block of `depthBlock`, fused
    /// multiply-adds in depth order from zero, each block's sum added to C in turn.
    private func blockedFMAReference(_ form: Form, m: Int, k: Int, n: Int, a: [Float], b: [Float], c: [Float], accumulate: Bool) -> [Float] {
        var c = c
        for i in 0..<m {
            for j in 0..<n {
                var p0 = 0
                while p0 < k {
                    var sum: Float = 0
                    for p in p0..<min(k, p0 + depthBlock) {
                        let x = form == .transposedA ? a[p * m + i] : a[i * k + p]
                        let y = form == .transposedB ? b[j * k + p] : b[p * n + j]
                        sum = sum.addingProduct(x, y)
                    }
                    c[i * n + j] = accumulate || p0 > 0 ? c[i * n + j] + sum : sum
                    p0 += depthBlock
                }
            }
        }
        return c
    }

    func testNarrowAndGeneralKernelsSumInTheSameOrder() {
        // Same bits as the blocked FMA order, for the vector and narrow kernels (n = 1, k = 1, n = 16)
        // and the general one, so routing products to the special kernels changes no result.
        var stream = RandomStream(seed: 22)
        for (m, k, n) in [(61, 300, 16), (33, 520, 16), (300, 300, 1), (37, 1, 45), (61, 300, 30), (33, 520, 48)] {
            let a = randomMatrix(m * k, &stream), b = randomMatrix(k * n, &stream), c0 = randomMatrix(m * n, &stream)
            for form in Form.allCases {
                for accumulate in [false, true] {
                    let got = product(form, m: m, k: k, n: n, a: a, b: b, c: c0, accumulate: accumulate)
                    let expected = blockedFMAReference(form, m: m, k: k, n: n, a: a, b: b, c: c0, accumulate: accumulate)
                    XCTAssertEqual(got.map(\.bitPattern), expected.map(\.bitPattern), "\(form) \(m)×\(k)·\(k)×\(n) accumulate=\(accumulate)")
                }
            }
        }
    }

    func testZeroDepthZeroesOrKeepsC() {
        let c0: [Float] = [1, 2, 3, 4, 5, 6]
        for form in Form.allCases {
            XCTAssertEqual(product(form, m: 2, k: 0, n: 3, a: [0], b: [0], c: c0, accumulate: false), [0, 0, 0, 0, 0, 0])
            XCTAssertEqual(product(form, m: 2, k: 0, n: 3, a: [0], b: [0], c: c0, accumulate: true), c0)
        }
    }

    func testHandComputedProduct() {
        // [[1, 2], [3, 4]] · [[5, 6], [7, 8]] = [[19, 22], [43, 50]]
        let a: [Float] = [1, 2, 3, 4], b: [Float] = [5, 6, 7, 8]
        XCTAssertEqual(product(.plain, m: 2, k: 2, n: 2, a: a, b: b, c: [0, 0, 0, 0], accumulate: false), [19, 22, 43, 50])
        // Aᵀ with A stored as [[1, 3], [2, 4]] is the same A.
        XCTAssertEqual(product(.transposedA, m: 2, k: 2, n: 2, a: [1, 3, 2, 4], b: b, c: [0, 0, 0, 0], accumulate: false), [19, 22, 43, 50])
        XCTAssertEqual(product(.transposedB, m: 2, k: 2, n: 2, a: a, b: [5, 7, 6, 8], c: [1, 1, 1, 1], accumulate: true), [20, 23, 44, 51])
    }

    func testBitIdenticalWhateverTheThreadCount() {
        let saved = Parallel.threadCount
        defer { Parallel.threadCount = saved }
        var stream = RandomStream(seed: 21)
        // Many chunks with two depth blocks and ragged edges; a long-depth weight-gradient shape; the
        // narrow and vector kernels over many chunks.
        for (m, k, n) in [(150, 300, 70), (16, 2100, 48), (15000, 16, 16), (3000, 300, 1), (3000, 1, 70)] {
            let a = randomMatrix(m * k, &stream), b = randomMatrix(k * n, &stream), c0 = randomMatrix(m * n, &stream)
            for form in Form.allCases {
                var results: [[UInt32]] = []
                for threads in [1, 2, 3] {
                    Parallel.threadCount = threads
                    results.append(product(form, m: m, k: k, n: n, a: a, b: b, c: c0, accumulate: true).map(\.bitPattern))
                }
                XCTAssertEqual(results[0], results[1], "\(form) \(m)×\(k)·\(k)×\(n): 1 vs 2 threads")
                XCTAssertEqual(results[0], results[2], "\(form) \(m)×\(k)·\(k)×\(n): 1 vs 3 threads")
            }
        }
    }
}
