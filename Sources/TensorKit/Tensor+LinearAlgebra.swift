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

extension Tensor {
    /// x·W + b as one op: every output row starts as b and the product is accumulated onto it, so
    /// the bias costs no separate broadcasting pass. Backward is written with matmul and sumTo.
    ///
    /// Shapes: x [N, I] or [N, F, I], weight [I, O], bias [O] → [N, O] or [N, F, O].
    public func matmul(_ weight: Tensor, addingBias bias: Tensor) -> Tensor {
        let inputs = shape[rank - 1]
        shapeCheck(rank >= 2 && weight.rank == 2 && weight.shape[0] == inputs && bias.rank == 1 && bias.count == weight.shape[1],
                   "matmul(addingBias:): shapes \(shape)·\(weight.shape) + \(bias.shape) do not fit [..., I]·[I, O] + [O]")
        let outputs = weight.shape[1], rows = count / Swift.max(inputs, 1)
        let out = Tensor(uninitializedShape: Array(shape.dropLast()) + [outputs])
        fillRows(out.data, with: bias.data, width: outputs, rows: rows)
        if FLOPCounter.isCounting { FLOPCounter.matrixFLOPs += 2 * rows * outputs * inputs }
        gemm(m: rows, n: outputs, k: inputs, a: data, transposeA: false, b: weight.data, transposeB: false, c: out.data, accumulate: true)
        let x = self
        return out.record("linear", [self, weight, bias]) { g, _, needs in
            let dx = needs[0] ? g.matmul(weight, transposeOther: true) : nil
            var dw: Tensor? = nil
            if needs[1] && GradMode.recording {
                dw = x.reshaped([rows, inputs]).matmul(g.reshaped([rows, outputs]), transposeSelf: true)
            } else if needs[1] {
                // Xᵀ·G over all leading axes, read in place (no reshaped copies).
                let product = Tensor(uninitializedShape: [inputs, outputs])
                if FLOPCounter.isCounting { FLOPCounter.matrixFLOPs += 2 * rows * outputs * inputs }
                gemm(m: inputs, n: outputs, k: rows, a: x.data, transposeA: true, b: g.data, transposeB: false, c: product.data, accumulate: false)
                dw = product
            }
            return [dx, dw, needs[2] ? g.sumTo(bias.shape) : nil]
        }
    }
}

/// Copies `row` (width floats) into each of `rows` consecutive rows of `out`, doubling the filled
/// block with each copy (log₂ rows copies instead of one per row).
func fillRows(_ out: UnsafeMutablePointer<Float>, with row: UnsafePointer<Float>, width: Int, rows: Int) {
    guard rows > 0, width > 0 else { return }
    out.update(from: row, count: width)
    var filled = 1
    while filled < rows {
        let copy = Swift.min(filled, rows - filled)
        (out + filled * width).update(from: out, count: copy * width)
        filled += copy
    }
}

/// Counts the multiply-add FLOPs of every matrix product while enabled (benchmarks only; the
/// graph is built on one thread, so a plain counter suffices).
public enum FLOPCounter {
    nonisolated(unsafe) public static var isCounting = false
    nonisolated(unsafe) public static var matrixFLOPs = 0
}
