// Exact nearest-neighbour distances by blocked matrix products: candidate squared distances
// ‖q‖² + ‖r‖² − 2 q·r come from Float32 `gemm` blocks; every reference whose candidate lies within
// the Float rounding bound of the block minimum is re-measured in Double, so the result is exact.

import TensorKit

/// For each of the N₁ rows of `queries` (N₁×F), the Euclidean distance to its nearest row of
/// `references` (N₂×F, N₂ ≥ 1), computed exactly in Double. Parallel over query rows; the result
/// does not depend on `Parallel.threadCount`.
func nearestNeighbourDistances(queries: FeatureMatrix, references: FeatureMatrix) -> [Double] {
    precondition(queries.columns == references.columns && references.rows > 0, "nearestNeighbourDistances needs matching widths and references")
    let f = queries.columns, nq = queries.rows, nr = references.rows
    if f == 0 { return [Double](repeating: 0, count: nq) }
    let queryBlock = 256, referenceBlock = 1024
    func squaredNorms(_ m: FeatureMatrix) -> [Double] {
        (0..<m.rows).map { i in (0..<f).reduce(0.0) { $0 + m.values[i * f + $1] * m.values[i * f + $1] } }
    }
    let qNorm2 = squaredNorms(queries), rNorm2 = squaredNorms(references)
    // |fl(q·r) − q·r| ≤ ~(F + 2)·2⁻²⁴·‖q‖‖r‖ for Float inputs and sums; doubled for −2q·r, with margin.
    let roundingFactor = Double(4 * (f + 4)) * 0x1p-24
    let queryFloats = queries.values.map(Float.init)
    // References block by block, each stored transposed (F × width) so gemm reads B rows contiguously.
    var referenceT = [Float](repeating: 0, count: nr * f)
    var blockMaxNorm: [Double] = []
    for start in stride(from: 0, to: nr, by: referenceBlock) {
        let width = min(referenceBlock, nr - start)
        for j in 0..<width { for p in 0..<f { referenceT[start * f + p * width + j] = Float(references.values[(start + j) * f + p]) } }
        blockMaxNorm.append(rNorm2[start..<(start + width)].max()!.squareRoot())
    }
    var best = [Double](repeating: .infinity, count: nq)
    var dots = [Float](repeating: 0, count: queryBlock * referenceBlock)
    queries.values.withUnsafeBufferPointer { qValues in
    references.values.withUnsafeBufferPointer { rValues in
    queryFloats.withUnsafeBufferPointer { qf in
    referenceT.withUnsafeBufferPointer { rt in
    best.withUnsafeMutableBufferPointer { bestBuffer in
    dots.withUnsafeMutableBufferPointer { dotBuffer in
        let qv = SendableConstPointer(qValues.baseAddress!), rv = SendableConstPointer(rValues.baseAddress!)
        let out = SendablePointer(bestBuffer.baseAddress!), dp = SendableConstPointer(UnsafePointer(dotBuffer.baseAddress!))
        for qStart in stride(from: 0, to: nq, by: queryBlock) {
            let rows = min(queryBlock, nq - qStart)
            for (block, rStart) in stride(from: 0, to: nr, by: referenceBlock).enumerated() {
                let width = min(referenceBlock, nr - rStart), maxNorm = blockMaxNorm[block]
                gemm(m: rows, n: width, k: f, a: qf.baseAddress! + qStart * f, transposeA: false,
                     b: rt.baseAddress! + rStart * f, transposeB: false, c: dotBuffer.baseAddress!, accumulate: false)
                Parallel.forEach(chunks: (rows + 15) / 16) { chunk in
                    for local in (chunk * 16)..<min(rows, chunk * 16 + 16) {
                        let i = qStart + local
                        if out.base[i] == 0 { continue }
                        let dotRow = dp.base + local * width
                        var blockMin = Double.infinity
                        for j in 0..<width { blockMin = min(blockMin, qNorm2[i] + rNorm2[rStart + j] - 2 * Double(dotRow[j])) }
                        let bound = roundingFactor * qNorm2[i].squareRoot() * maxNorm
                        let threshold = min(blockMin + 2 * bound, out.base[i] + bound)
                        for j in 0..<width where qNorm2[i] + rNorm2[rStart + j] - 2 * Double(dotRow[j]) <= threshold {
                            let q = qv.base + i * f, r = rv.base + (rStart + j) * f
                            var exact = 0.0
                            for p in 0..<f { exact += (q[p] - r[p]) * (q[p] - r[p]) }
                            out.base[i] = min(out.base[i], exact)
                        }
                    }
                }
            }
        }
    }}}}}}
    return best.map { $0.squareRoot() }
}
