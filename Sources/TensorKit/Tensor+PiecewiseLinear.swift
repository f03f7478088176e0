// A per-column monotone piecewise-linear map and its backward: the differentiable decoding the
// correlation constraint sees (a numeric column's normal score → its train-scale value through the
// interpolated inverse CDF). Constant outside the knots, so the gradient there is zero.

/// y(x) through knots (xs[i], ys[i]): xs strictly increasing, linear between knots, ys[0] below
/// xs[0] and ys[last] above xs[last].
public struct PiecewiseLinearMap: Sendable, Equatable, Codable {
    public let xs: [Float]
    public let ys: [Float]

    /// - Precondition: at least one knot, `xs` strictly increasing, as many `ys` as `xs`.
    public init(xs: [Float], ys: [Float]) {
        precondition(!xs.isEmpty && xs.count == ys.count, "PiecewiseLinearMap: need as many ys as xs (at least one)")
        precondition(zip(xs, xs.dropFirst()).allSatisfy { $0 < $1 }, "PiecewiseLinearMap: xs must be strictly increasing")
        self.xs = xs
        self.ys = ys
    }

    /// The value at `x` and the slope of the segment `x` falls in (0 outside the knots).
    @inlinable
    public func evaluate(_ x: Float) -> (value: Float, slope: Float) {
        let n = xs.count
        if n == 1 || x <= xs[0] { return (ys[0], 0) }
        if x >= xs[n - 1] { return (ys[n - 1], 0) }
        var lo = 0, hi = n - 1  // xs[lo] < x < xs[hi]
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if xs[mid] <= x { lo = mid } else { hi = mid }
        }
        let slope = (ys[hi] - ys[lo]) / (xs[hi] - xs[lo])
        return (ys[lo] + slope * (x - xs[lo]), slope)
    }
}

extension Tensor {
    /// Column j of x [N, k] mapped through `maps[j]` (nil: left as it is); shape [N, k]. The backward
    /// multiplies by each element's segment slope (a constant), so second-order gradients are exact.
    public func piecewiseLinear(_ maps: [PiecewiseLinearMap?]) -> Tensor {
        shapeCheck(rank == 2 && shape[1] == maps.count, "piecewiseLinear: \(maps.count) maps for shape \(shape)")
        let k = maps.count, rows = shape[0]
        let out = Tensor(uninitializedShape: shape)
        let slopes = Tensor(uninitializedShape: shape)
        for r in 0..<rows {
            for j in 0..<k {
                let (value, slope) = maps[j]?.evaluate(data[r * k + j]) ?? (data[r * k + j], 1)
                out.data[r * k + j] = value
                slopes.data[r * k + j] = slope
            }
        }
        return out.record("piecewiseLinear", [self]) { g, _, _ in [g * slopes] }
    }
}
