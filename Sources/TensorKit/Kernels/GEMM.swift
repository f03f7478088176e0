// Matrix products on raw Float32 buffers, row-major and contiguous, in the three forms training
// needs: A·B, Aᵀ·B and A·Bᵀ. Parallel over output blocks only, so each element's sum over k runs
// in the same order whatever the thread count.

/// C (m×n) = op(A) · op(B), or C += op(A) · op(B) when `accumulate` is true.
///
/// - Parameters:
///   - a: A stored as m×k, or as k×m when `transposeA`.
///   - b: B stored as k×n, or as n×k when `transposeB`.
///   - c: the m×n result.
public func gemm(
    m: Int, n: Int, k: Int,
    a: UnsafePointer<Float>, transposeA: Bool,
    b: UnsafePointer<Float>, transposeB: Bool,
    c: UnsafeMutablePointer<Float>, accumulate: Bool
) {
    let pa = SendableConstPointer(a), pb = SendableConstPointer(b), pc = SendablePointer(c)
    let rowsPerChunk = 16
    let chunks = (m + rowsPerChunk - 1) / rowsPerChunk
    Parallel.forEach(chunks: chunks) { chunk in
        let a = pa.base, b = pb.base, c = pc.base
        let rowEnd = min(m, (chunk + 1) * rowsPerChunk)
        for i in (chunk * rowsPerChunk)..<rowEnd {
            let row = c + i * n
            if !accumulate { row.update(repeating: 0, count: n) }
            for p in 0..<k {
                let aip = transposeA ? a[p * m + i] : a[i * k + p]
                if transposeB {
                    for j in 0..<n { row[j] += aip * b[j * k + p] }
                } else {
                    let brow = b + p * n
                    for j in 0..<n { row[j] += aip * brow[j] }
                }
            }
        }
    }
}
