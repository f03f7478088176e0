// Products with a vector operand: C one column wide (the critic's output layer and its gradients)
// or a depth of one (an outer product). The general kernel would run them through 14×32 tiles that
// are almost all padding. Each element of C is still summed over the same depth blocks, in the
// same order, with the same fused multiply-adds as in the general kernel (GEMM.swift), so the
// results are bit-identical to it.

/// C (m×1) = op(A) · b, or C += when `accumulate`; b holds the k values of B (stored k×1 or 1×k).
func gemmMatrixVector(m: Int, k: Int, a: UnsafePointer<Float>, transposeA: Bool, b: UnsafePointer<Float>,
                      c: UnsafeMutablePointer<Float>, accumulate: Bool) {
    let rowsPerChunk = 256
    let pa = SendableConstPointer(a), pb = SendableConstPointer(b), pc = SendablePointer(c)
    Parallel.forEach(chunks: (m + rowsPerChunk - 1) / rowsPerChunk) { chunk in
        let a = pa.base, b = pb.base, c = pc.base
        let end = min(m, (chunk + 1) * rowsPerChunk)
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 256) { tile in
            let tile = tile.baseAddress!
            var row = chunk * rowsPerChunk
            while row < end {
                let lanes = min(16, end - row)
                var p0 = 0
                while p0 < k {
                    let depth = min(depthBlock, k - p0)
                    var sum = SIMD16<Float>()
                    if transposeA {  // A(i, p) = a[p·m + i]: 16 adjacent rows per depth
                        for p in p0..<(p0 + depth) {
                            sum = sum.addingProduct(vectorLanes(a + p * m + row, lanes), SIMD16(repeating: b[p]))
                        }
                    } else {  // A(i, p) = a[i·k + p]: 16×16 blocks turned so that lanes are rows
                        var p = p0
                        while lanes == 16 && p + 16 <= p0 + depth {
                            transpose16x16(a + row * k + p, srcStride: k, tile, dstStride: 16)
                            for t in 0..<16 { sum = sum.addingProduct(loadVector(tile + t * 16), SIMD16(repeating: b[p + t])) }
                            p += 16
                        }
                        while p < p0 + depth {
                            var column = SIMD16<Float>()
                            for lane in 0..<lanes { column[lane] = a[(row + lane) * k + p] }
                            sum = sum.addingProduct(column, SIMD16(repeating: b[p]))
                            p += 1
                        }
                    }
                    for lane in 0..<lanes { c[row + lane] = accumulate || p0 > 0 ? c[row + lane] + sum[lane] : sum[lane] }
                    p0 += depth
                }
                row += lanes
            }
        }
    }
}

/// C (m×n) = a · bᵀ, or C += when `accumulate`: a depth of one, a and b hold the m and n values of
/// A and B (each stored as a row or a column).
func gemmOuterProduct(m: Int, n: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, accumulate: Bool) {
    let rowsPerChunk = max(1, 16_384 / n)
    let pa = SendableConstPointer(a), pb = SendableConstPointer(b), pc = SendablePointer(c)
    Parallel.forEach(chunks: (m + rowsPerChunk - 1) / rowsPerChunk) { chunk in
        let a = pa.base, b = pb.base, c = pc.base
        for i in (chunk * rowsPerChunk)..<min(m, (chunk + 1) * rowsPerChunk) {
            let scale = SIMD16<Float>(repeating: a[i]), row = c + i * n
            var j = 0
            while j + 16 <= n {
                let product = SIMD16<Float>().addingProduct(scale, loadVector(b + j))
                storeVector(accumulate ? loadVector(row + j) + product : product, row + j)
                j += 16
            }
            while j < n {
                let product = Float(0).addingProduct(a[i], b[j])
                row[j] = accumulate ? row[j] + product : product
                j += 1
            }
        }
    }
}

/// The first `lanes` floats at `p` in a vector, the other lanes zero (never reads past them).
@inline(__always)
private func vectorLanes(_ p: UnsafePointer<Float>, _ lanes: Int) -> SIMD16<Float> {
    if lanes == 16 { return loadVector(p) }
    var v = SIMD16<Float>()
    for lane in 0..<lanes { v[lane] = p[lane] }
    return v
}
