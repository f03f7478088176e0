// Sums and means over all elements or one axis (the axis is kept with size 1, so results
// broadcast back against their input), and a non-differentiable max used for stability.

extension Tensor {
    /// Sum of all elements, shape [1].
    public func sum() -> Tensor {
        var acc: Double = 0
        for i in 0..<count { acc += Double(data[i]) }
        let out = Tensor(shape: [1], scalars: [Float(acc)])
        let input = shape
        return out.record("sum", [self]) { g, _, _ in [g.expand(to: input)] }
    }

    /// Mean of all elements, shape [1].
    public func mean() -> Tensor { sum() * (1 / Float(Swift.max(count, 1))) }

    /// Sum over `axis` (negative counts from the end), keeping it with size 1.
    public func sum(axis: Int) -> Tensor {
        let ax = axis < 0 ? rank + axis : axis
        shapeCheck(ax >= 0 && ax < rank, "sum(axis: \(axis)): out of range for shape \(shape)")
        var target = shape
        target[ax] = 1
        return sumTo(target)
    }

    /// Mean over `axis`, keeping it with size 1.
    public func mean(axis: Int) -> Tensor {
        let ax = axis < 0 ? rank + axis : axis
        shapeCheck(ax >= 0 && ax < rank, "mean(axis: \(axis)): out of range for shape \(shape)")
        return sum(axis: ax) * (1 / Float(Swift.max(shape[ax], 1)))
    }

    /// Maximum along the last axis, shape with last axis 1; a constant (no gradient).
    public func maxLastAxis() -> Tensor {
        var target = shape
        let n = shape[rank - 1]
        target[rank - 1] = 1
        let out = Tensor(uninitializedShape: target)
        for r in 0..<out.count {
            var m = -Float.infinity
            for j in 0..<n { m = Swift.max(m, data[r * n + j]) }
            out.data[r] = m
        }
        return out
    }
}
