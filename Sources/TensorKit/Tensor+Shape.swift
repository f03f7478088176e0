// Shape ops: reshape, transpose of the last two axes (attention heads), and concatenation and
// slicing of column ranges along the last axis (per-column output heads, one-hot spans).

extension Tensor {
    /// The same values with a new shape of equal element count.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        if newShape == shape { return self }
        let n = newShape.reduce(1, *)
        shapeCheck(n == count, "reshaped: cannot view shape \(shape) (\(count) elements) as \(newShape)")
        let out = Tensor(uninitializedShape: newShape)
        out.data.update(from: data, count: count)
        let input = shape
        return out.record("reshape", [self]) { g, _, _ in [g.reshaped(input)] }
    }

    /// Swaps the last two axes: [M, N] → [N, M], [B, M, N] → [B, N, M].
    public func transposed() -> Tensor {
        shapeCheck(rank >= 2, "transposed: needs rank 2 or 3, got shape \(shape)")
        let (b, m, n) = dims3
        var newShape = shape
        newShape[rank - 2] = n
        newShape[rank - 1] = m
        let out = Tensor(uninitializedShape: newShape)
        for i in 0..<b {
            let src = data + i * m * n, dst = out.data + i * m * n
            for r in 0..<m { for c in 0..<n { dst[c * m + r] = src[r * n + c] } }
        }
        return out.record("transpose", [self]) { g, _, _ in [g.transposed()] }
    }

    /// Columns `range` of the last axis.
    public func slice(columns range: Range<Int>) -> Tensor {
        let n = shape[rank - 1]
        shapeCheck(range.lowerBound >= 0 && range.upperBound <= n, "slice(columns: \(range)): out of range for shape \(shape)")
        var newShape = shape
        newShape[rank - 1] = range.count
        let out = Tensor(uninitializedShape: newShape)
        let rows = count / Swift.max(n, 1), w = range.count
        for r in 0..<rows { (out.data + r * w).update(from: data + r * n + range.lowerBound, count: w) }
        let input = shape
        return out.record("slice", [self]) { g, _, _ in [g.padColumns(to: input, at: range.lowerBound)] }
    }

    /// Places self's columns at `offset` in a zero tensor of `target` shape (slice's backward).
    func padColumns(to target: [Int], at offset: Int) -> Tensor {
        let out = Tensor(shape: target, repeating: 0)
        let n = target[target.count - 1], w = shape[rank - 1], rows = count / Swift.max(w, 1)
        for r in 0..<rows { (out.data + r * n + offset).update(from: data + r * w, count: w) }
        let range = offset..<(offset + w)
        return out.record("padColumns", [self]) { g, _, _ in [g.slice(columns: range)] }
    }

    /// Joins tensors along the last axis; all other dimensions must agree.
    public static func concatenate(columns parts: [Tensor]) -> Tensor {
        shapeCheck(!parts.isEmpty, "concatenate: no tensors given")
        let lead = Array(parts[0].shape.dropLast())
        for p in parts { shapeCheck(Array(p.shape.dropLast()) == lead, "concatenate: shapes \(parts.map(\.shape)) differ outside the last axis") }
        let widths = parts.map { $0.shape[$0.rank - 1] }
        let total = widths.reduce(0, +)
        let out = Tensor(uninitializedShape: lead + [total])
        let rows = out.count / Swift.max(total, 1)
        var offset = 0
        for (p, w) in zip(parts, widths) {
            for r in 0..<rows { (out.data + r * total + offset).update(from: p.data + r * w, count: w) }
            offset += w
        }
        var starts: [Int] = []
        var s = 0
        for w in widths { starts.append(s); s += w }
        return out.record("concatenate", parts) { g, _, needs in
            (0..<parts.count).map { i in needs[i] ? g.slice(columns: starts[i]..<(starts[i] + widths[i])) : nil }
        }
    }
}

extension Tensor {
    /// The listed columns of the last axis, in that order (repeats allowed).
    public func selectColumns(_ indices: [Int]) -> Tensor {
        let n = shape[rank - 1]
        shapeCheck(indices.allSatisfy { $0 >= 0 && $0 < n }, "selectColumns: an index in \(indices) is out of range for shape \(shape)")
        var newShape = shape
        newShape[rank - 1] = indices.count
        let out = Tensor(uninitializedShape: newShape)
        let rows = count / Swift.max(n, 1), w = indices.count
        for r in 0..<rows { for (c, j) in indices.enumerated() { out.data[r * w + c] = data[r * n + j] } }
        let width = n
        return out.record("selectColumns", [self]) { g, _, _ in [g.scatterColumns(indices, width: width)] }
    }

    /// Adds self's columns into a zero tensor of last-axis `width` at `indices` (selectColumns' backward).
    func scatterColumns(_ indices: [Int], width: Int) -> Tensor {
        var newShape = shape
        newShape[rank - 1] = width
        let out = Tensor(shape: newShape, repeating: 0)
        let w = indices.count, rows = count / Swift.max(w, 1)
        for r in 0..<rows { for (c, j) in indices.enumerated() { out.data[r * width + j] += data[r * w + c] } }
        return out.record("scatterColumns", [self]) { g, _, _ in [g.selectColumns(indices)] }
    }
}

extension Tensor {
    /// Rows `indices` of a rank-2 tensor, in that order (repeats allowed).
    public func selectRows(_ indices: [Int]) -> Tensor {
        shapeCheck(rank == 2, "selectRows: needs rank 2, got shape \(shape)")
        let (n, w) = (shape[0], shape[1])
        shapeCheck(indices.allSatisfy { $0 >= 0 && $0 < n }, "selectRows: an index is out of range for shape \(shape)")
        let out = Tensor(uninitializedShape: [indices.count, w])
        for (r, i) in indices.enumerated() { (out.data + r * w).update(from: data + i * w, count: w) }
        return out.record("selectRows", [self]) { g, _, _ in [g.scatterRows(indices, rows: n)] }
    }

    /// Adds self's rows into a zero [rows, W] tensor at `indices` (selectRows' backward).
    func scatterRows(_ indices: [Int], rows: Int) -> Tensor {
        let w = shape[1]
        let out = Tensor(shape: [rows, w], repeating: 0)
        for (r, i) in indices.enumerated() { for c in 0..<w { out.data[i * w + c] += data[r * w + c] } }
        return out.record("scatterRows", [self]) { g, _, _ in [g.selectRows(indices)] }
    }
}
