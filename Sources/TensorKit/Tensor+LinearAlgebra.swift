// Matrix products: 2-D, batched 3-D, and a 3-D × 2-D product that treats the leading axes as rows.
// Transposes are flags passed to `gemm`, never materialised, in forward and in backward.

extension Tensor {
    /// op(self) · op(other), where op transposes the last two axes when its flag is set.
    ///
    /// Shapes: [M, K]·[K, N] → [M, N]; [B, M, K]·[B, K, N] → [B, M, N];
    /// [B, M, K]·[K, N] → [B, M, N] (weights shared across the batch).
    public func matmul(_ other: Tensor, transposeSelf: Bool = false, transposeOther: Bool = false) -> Tensor {
        let a = self, b = other
        shapeCheck(a.rank >= 2 && b.rank >= 2 && !(a.rank == 2 && b.rank == 3),
                   "matmul: unsupported ranks, shapes \(a.shape) and \(b.shape)")
        let batch = a.rank == 3 ? a.shape[0] : 1
        let sharedB = b.rank == 2
        shapeCheck(!(sharedB && a.rank == 3 && transposeSelf), "matmul: a transposed batched A with shared B is not supported, shapes \(a.shape) and \(b.shape)")
        if !sharedB { shapeCheck(b.shape[0] == batch, "matmul: batch sizes differ, shapes \(a.shape) and \(b.shape)") }
        let (ar, ac) = (a.shape[a.rank - 2], a.shape[a.rank - 1])
        let (br, bc) = (b.shape[b.rank - 2], b.shape[b.rank - 1])
        let (m, k) = transposeSelf ? (ac, ar) : (ar, ac)
        let (k2, n) = transposeOther ? (bc, br) : (br, bc)
        shapeCheck(k == k2, "matmul: inner dimensions differ, shapes \(a.shape)\(transposeSelf ? "ᵀ" : "") and \(b.shape)\(transposeOther ? "ᵀ" : "")")
        let out = Tensor(uninitializedShape: a.rank == 3 ? [batch, m, n] : [m, n])
        if FLOPCounter.isCounting { FLOPCounter.matrixFLOPs += 2 * batch * m * n * k }
        if sharedB && !transposeSelf && a.rank == 3 {
            gemm(m: batch * m, n: n, k: k, a: a.data, transposeA: false, b: b.data, transposeB: transposeOther,
                 c: out.data, accumulate: false)
        } else {
            for i in 0..<batch {
                gemm(m: m, n: n, k: k, a: a.data + i * m * k, transposeA: transposeSelf,
                     b: sharedB ? UnsafePointer(b.data) : UnsafePointer(b.data + i * k * n), transposeB: transposeOther,
                     c: out.data + i * m * n, accumulate: false)
            }
        }
        return out.record("matmul", [a, b]) { g, _, needs in
            var da: Tensor? = nil, db: Tensor? = nil
            if needs[0] {
                da = transposeSelf
                    ? b.matmul(g, transposeSelf: transposeOther, transposeOther: true)
                    : g.matmul(b, transposeOther: !transposeOther)
            }
            if needs[1] {
                if sharedB && a.rank == 3 {
                    // dB = Σ_batch op(A)ᵀ·G: flatten the batch into rows.
                    let a2 = a.reshaped([batch * ar, ac]), g2 = g.reshaped([batch * m, n])
                    db = transposeOther
                        ? g2.matmul(a2, transposeSelf: true, transposeOther: transposeSelf)
                        : a2.matmul(g2, transposeSelf: !transposeSelf)
                } else {
                    db = transposeOther
                        ? g.matmul(a, transposeSelf: true, transposeOther: transposeSelf)
                        : a.matmul(g, transposeSelf: !transposeSelf)
                }
            }
            return [da, db]
        }
    }
}

/// Counts the multiply-add FLOPs of every matrix product while enabled (benchmarks only; the
/// graph is built on one thread, so a plain counter suffices).
public enum FLOPCounter {
    nonisolated(unsafe) public static var isCounting = false
    nonisolated(unsafe) public static var matrixFLOPs = 0
}
