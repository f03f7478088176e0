// Fused multi-head scaled dot-product attention across the F tokens of each row. The composed
// version (per-head slices, a batched product of 30×8 matrices per row, softmax, concatenation)
// issues thousands of tiny products and copies per step; this runs each (row, head) pair in small
// loops on raw buffers, rows split across threads in size-only chunks. `referenceAttention` is the
// composed version the tests compare against; a recorded (second-order) backward uses ops instead.

extension Tensor {
    /// softmax(Q_h·K_hᵀ / √d)·V_h for each row n and head h, heads side by side in the last axis
    /// (head h = columns h·d..<(h+1)·d, d = E/H).
    /// Shapes: query, key, value [N, F, E] → output [N, F, E], weights [N·H, F, F] (row n, head h at n·H + h; a constant).
    public static func multiHeadAttention(query: Tensor, key: Tensor, value: Tensor, heads: Int) -> (output: Tensor, weights: Tensor) {
        shapeCheck(query.rank == 3 && key.shape == query.shape && value.shape == query.shape && heads > 0 && query.shape[2] % heads == 0,
                   "multiHeadAttention: query, key, value must share a shape [N, F, E] with E a multiple of \(heads), got \(query.shape), \(key.shape), \(value.shape)")
        let geometry = AttentionGeometry(shape: query.shape, heads: heads)
        let out = Tensor(uninitializedShape: query.shape)
        let weights = Tensor(uninitializedShape: [geometry.rows * heads, geometry.tokens, geometry.tokens])
        if FLOPCounter.isCounting { FLOPCounter.matrixFLOPs += 2 * geometry.productFLOPs }
        let q = SendableConstPointer(query.data), k = SendableConstPointer(key.data), v = SendableConstPointer(value.data)
        let o = SendablePointer(out.data), w = SendablePointer(weights.data)
        Parallel.forEach(chunks: geometry.chunks) { chunk in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: geometry.scratchCount) { scratch in
                for n in geometry.rowRange(chunk) {
                    for h in 0..<heads {
                        geometry.forward(row: n, head: h, q: q.base, k: k.base, v: v.base, out: o.base, weights: w.base, scratch: scratch.baseAddress!)
                    }
                }
            }
        }
        let output = out.record("multiHeadAttention", [query, key, value]) { g, _, needs in
            if GradMode.recording {
                let grads = attentionBackwardOps(g: g, query: query, key: key, value: value, heads: heads)
                return (0..<3).map { needs[$0] ? grads[$0] : nil }
            }
            let grads = geometry.backward(g: g, query: query, key: key, value: value, weights: weights)
            return (0..<3).map { needs[$0] ? grads[$0] : nil }
        }
        return (output, weights)
    }

    /// The composed attention: per-head column slices, batched products and softmax, concatenated.
    /// Shapes as `multiHeadAttention`.
    public static func referenceAttention(query: Tensor, key: Tensor, value: Tensor, heads: Int) -> Tensor {
        let headWidth = query.shape[2] / heads
        let scale = 1 / Float(headWidth).squareRoot()
        let mixed = (0..<heads).map { h -> Tensor in
            let cols = (h * headWidth)..<((h + 1) * headWidth)
            let scores = query.slice(columns: cols).matmul(key.slice(columns: cols), transposeOther: true) * scale
            return scores.softmax().matmul(value.slice(columns: cols))
        }
        return heads == 1 ? mixed[0] : Tensor.concatenate(columns: mixed)
    }
}

/// The backward pass written with differentiable ops (for second order), per head h with
/// P = softmax(Q_h·K_hᵀ/√d): dV_h = Pᵀ·G_h, dS = P ⊙ (G_h·V_hᵀ − rowsum(P ⊙ G_h·V_hᵀ)),
/// dQ_h = dS·K_h/√d, dK_h = dSᵀ·Q_h/√d; heads concatenated. Returns [dQ, dK, dV].
private func attentionBackwardOps(g: Tensor, query: Tensor, key: Tensor, value: Tensor, heads: Int) -> [Tensor] {
    let headWidth = query.shape[2] / heads
    let scale = 1 / Float(headWidth).squareRoot()
    var dq: [Tensor] = [], dk: [Tensor] = [], dv: [Tensor] = []
    for h in 0..<heads {
        let cols = (h * headWidth)..<((h + 1) * headWidth)
        let q = query.slice(columns: cols), k = key.slice(columns: cols), v = value.slice(columns: cols), gh = g.slice(columns: cols)
        let p = (q.matmul(k, transposeOther: true) * scale).softmax()
        let dp = gh.matmul(v, transposeOther: true)
        let ds = p * (dp - (dp * p).sum(axis: -1))
        dq.append(ds.matmul(k) * scale)
        dk.append(ds.matmul(q, transposeSelf: true) * scale)
        dv.append(p.matmul(gh, transposeSelf: true))
    }
    return [dq, dk, dv].map { heads == 1 ? $0[0] : Tensor.concatenate(columns: $0) }
}

/// Sizes and the per-(row, head) loops of the fused attention. Score rows are computed 16 lanes
/// at a time against a zero-padded transposed K (or V) head; the head width runs 8 lanes at a time.
/// Every output element is computed by one fixed sequence of operations and written once, so
/// results do not depend on the chunking or thread count.
private struct AttentionGeometry: Sendable {
    let rows: Int, tokens: Int, width: Int, heads: Int, headWidth: Int
    /// tokens rounded up to a multiple of 16.
    let paddedTokens: Int
    let scale: Float
    let rowsPerChunk: Int
    /// Added to the last 16 lanes of a padded score row: 0 for tokens, −∞ for padding.
    let tailBias: SIMD16<Float>

    init(shape: [Int], heads: Int) {
        rows = shape[0]; tokens = shape[1]; width = shape[2]
        self.heads = heads
        headWidth = width / heads
        paddedTokens = Swift.max(16, (tokens + 15) / 16 * 16)
        var bias = SIMD16<Float>()
        for lane in 0..<16 where paddedTokens - 16 + lane >= tokens { bias[lane] = -.infinity }
        tailBias = bias
        scale = 1 / Float(headWidth).squareRoot()
        rowsPerChunk = Swift.max(1, 16_384 / Swift.max(tokens * width, 1))
    }

    var chunks: Int { (rows + rowsPerChunk - 1) / rowsPerChunk }
    func rowRange(_ chunk: Int) -> Range<Int> { (chunk * rowsPerChunk)..<Swift.min(rows, (chunk + 1) * rowsPerChunk) }
    /// FLOPs of one F×F×d product over all rows and heads.
    var productFLOPs: Int { 2 * rows * heads * tokens * tokens * headWidth }
    /// Scratch floats per chunk: a padded transposed head, padded F×F₁₆ scores (forward), and two
    /// F×F matrices with 16 floats of slack (backward; see `scores`).
    var scratchCount: Int { headWidth * paddedTokens + Swift.max(tokens * paddedTokens, 2 * (tokens * tokens + 16)) }

    /// destination[c·F₁₆ + t] = source[n, t, h·d + c], zero for t ≥ F (F₁₆ = `paddedTokens`).
    @inline(__always)
    func transposeHead(_ source: UnsafePointer<Float>, row n: Int, head h: Int, into destination: UnsafeMutablePointer<Float>) {
        let base = source + n * tokens * width + h * headWidth
        for c in 0..<headWidth {
            let column = destination + c * paddedTokens
            for t in 0..<tokens { column[t] = base[t * width + c] }
            for t in tokens..<paddedTokens { column[t] = 0 }
        }
    }

    /// out[i·stride + j] = factor · Σ_c a[i·width + c] · bt[c·F₁₆ + j] for j < F₁₆ (so with stride F
    /// a row's last vector runs on into the next row's first block). Four rows run side by side (four
    /// independent sums instead of one chain); blocks go last to first and rows in order, so each
    /// overrun is overwritten by the next row's first block.
    @inline(__always)
    func scores(_ a: UnsafePointer<Float>, _ bt: UnsafePointer<Float>, factor: Float, stride: Int, into out: UnsafeMutablePointer<Float>) {
        var i = 0
        while i + 4 <= tokens {
            let a0 = a + i * width, a1 = a0 + width, a2 = a1 + width, a3 = a2 + width
            var block = paddedTokens - 16
            while block >= 0 {
                var s0 = SIMD16<Float>(), s1 = s0, s2 = s0, s3 = s0
                for c in 0..<headWidth {
                    let b = loadVector(bt + c * paddedTokens + block)
                    s0 = s0.addingProduct(SIMD16(repeating: a0[c]), b)
                    s1 = s1.addingProduct(SIMD16(repeating: a1[c]), b)
                    s2 = s2.addingProduct(SIMD16(repeating: a2[c]), b)
                    s3 = s3.addingProduct(SIMD16(repeating: a3[c]), b)
                }
                let row = out + i * stride + block
                storeVector(s0 * factor, row)
                storeVector(s1 * factor, row + stride)
                storeVector(s2 * factor, row + 2 * stride)
                storeVector(s3 * factor, row + 3 * stride)
                block -= 16
            }
            i += 4
        }
        while i < tokens {
            let ai = a + i * width
            var block = paddedTokens - 16
            while block >= 0 {
                var sum = SIMD16<Float>()
                for c in 0..<headWidth { sum = sum.addingProduct(SIMD16(repeating: ai[c]), loadVector(bt + c * paddedTokens + block)) }
                storeVector(sum * factor, out + i * stride + block)
                block -= 16
            }
            i += 1
        }
    }

    /// out[i·width + c] = factor · Σ_t coefficient(i, t) · rows[t·width + c] for i < F, c < d. Four
    /// rows run side by side (four independent sums over t instead of one chain).
    @inline(__always)
    func combine(_ coefficient: (Int, Int) -> Float, _ rows: UnsafePointer<Float>, factor: Float, into out: UnsafeMutablePointer<Float>) {
        let vectorWidth = headWidth & ~7
        var i = 0
        while i + 4 <= tokens {
            var c = 0
            while c < vectorWidth {
                var s0 = SIMD8<Float>(), s1 = s0, s2 = s0, s3 = s0
                for t in 0..<tokens {
                    let r = UnsafeRawPointer(rows + t * width + c).loadUnaligned(as: SIMD8<Float>.self)
                    s0 = s0.addingProduct(SIMD8(repeating: coefficient(i, t)), r)
                    s1 = s1.addingProduct(SIMD8(repeating: coefficient(i + 1, t)), r)
                    s2 = s2.addingProduct(SIMD8(repeating: coefficient(i + 2, t)), r)
                    s3 = s3.addingProduct(SIMD8(repeating: coefficient(i + 3, t)), r)
                }
                let o = UnsafeMutableRawPointer(out + i * width + c), rowBytes = width * MemoryLayout<Float>.stride
                o.storeBytes(of: s0 * factor, as: SIMD8<Float>.self)
                (o + rowBytes).storeBytes(of: s1 * factor, as: SIMD8<Float>.self)
                (o + 2 * rowBytes).storeBytes(of: s2 * factor, as: SIMD8<Float>.self)
                (o + 3 * rowBytes).storeBytes(of: s3 * factor, as: SIMD8<Float>.self)
                c += 8
            }
            i += 4
        }
        while i < tokens {
            var c = 0
            while c < vectorWidth {
                var sum = SIMD8<Float>()
                for t in 0..<tokens {
                    sum = sum.addingProduct(SIMD8(repeating: coefficient(i, t)), UnsafeRawPointer(rows + t * width + c).loadUnaligned(as: SIMD8<Float>.self))
                }
                UnsafeMutableRawPointer(out + i * width + c).storeBytes(of: sum * factor, as: SIMD8<Float>.self)
                c += 8
            }
            i += 1
        }
        for i in 0..<tokens {
            for c in vectorWidth..<headWidth {
                var sum: Float = 0
                for t in 0..<tokens { sum += coefficient(i, t) * rows[t * width + c] }
                out[i * width + c] = sum * factor
            }
        }
    }

    /// y[0..<F] = softmax of x[0..<F], where x holds F₁₆ values (lanes from F on are ignored).
    @inline(__always)
    func softmaxPaddedRow(_ x: UnsafeMutablePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        let last = paddedTokens - 16
        var maxima = loadVector(x + last) + tailBias  // lanes from F on become −∞ (and e^−∞ = 0)
        storeVector(maxima, x + last)
        var block = 0
        while block < last {
            let v = loadVector(x + block)
            maxima = maxima.replacing(with: v, where: v .> maxima)
            block += 16
        }
        let shift = SIMD16<Float>(repeating: horizontalMaximum(maxima))
        var sums = SIMD16<Float>()
        block = 0
        while block < tokens {
            let e = exponentOfNonPositive(loadVector(x + block) - shift)
            storeVector(e, x + block)
            sums += e
            block += 16
        }
        let scale = SIMD16<Float>(repeating: 1 / horizontalSum(sums))
        block = 0
        while block + 16 <= tokens {
            storeVector(loadVector(x + block) * scale, y + block)
            block += 16
        }
        for j in block..<tokens { y[j] = x[j] * scale[0] }
    }

    func forward(row n: Int, head h: Int, q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
                 out: UnsafeMutablePointer<Float>, weights: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        let f = tokens, offset = n * f * width + h * headWidth
        let p = weights + (n * heads + h) * f * f
        let kt = scratch, s = scratch + headWidth * paddedTokens
        transposeHead(k, row: n, head: h, into: kt)
        scores(q + offset, kt, factor: scale, stride: paddedTokens, into: s)
        for i in 0..<f { softmaxPaddedRow(s + i * paddedTokens, into: p + i * f) }
        combine({ i, j in p[i * f + j] }, v + offset, factor: 1, into: out + offset)
    }

    /// dP = dO·Vᵀ, dV = Pᵀ·dO, dS = softmax backward of dP, dQ = dS·K/√d, dK = dSᵀ·Q/√d.
    func backward(g: Tensor, query: Tensor, key: Tensor, value: Tensor, weights: Tensor) -> [Tensor] {
        if FLOPCounter.isCounting { FLOPCounter.matrixFLOPs += 4 * productFLOPs }
        let dq = Tensor(uninitializedShape: query.shape), dk = Tensor(uninitializedShape: query.shape), dv = Tensor(uninitializedShape: query.shape)
        let pg = SendableConstPointer(g.data), pq = SendableConstPointer(query.data), pk = SendableConstPointer(key.data)
        let pv = SendableConstPointer(value.data), pw = SendableConstPointer(weights.data)
        let pdq = SendablePointer(dq.data), pdk = SendablePointer(dk.data), pdv = SendablePointer(dv.data)
        let f = tokens
        Parallel.forEach(chunks: chunks) { chunk in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: scratchCount) { scratch in
                let vt = scratch.baseAddress!, dp = vt + headWidth * paddedTokens, ds = dp + f * f + 16
                for n in rowRange(chunk) {
                    for h in 0..<heads {
                        let offset = n * f * width + h * headWidth, p = pw.base + (n * heads + h) * f * f
                        transposeHead(pv.base, row: n, head: h, into: vt)
                        scores(pg.base + offset, vt, factor: 1, stride: f, into: dp)
                        combine({ j, i in p[i * f + j] }, pg.base + offset, factor: 1, into: pdv.base + offset)
                        softmaxRowsBackward(p, dp, ds, rows: f, columns: f)
                        combine({ i, j in ds[i * f + j] }, pk.base + offset, factor: scale, into: pdq.base + offset)
                        combine({ j, i in ds[i * f + j] }, pq.base + offset, factor: scale, into: pdk.base + offset)
                    }
                }
            }
        }
        return [dq, dk, dv]
    }
}
