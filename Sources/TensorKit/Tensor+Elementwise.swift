// Unary elementwise ops. Each forward sits next to its backward, and every backward is written
// with differentiable ops (masks are constants), so gradients of gradients are exact.

import Foundation

extension Tensor {
    public func exp() -> Tensor { mapScalar("exp", { Foundation.exp($0) }) { g, y in g * y } }

    public func log() -> Tensor { mapScalar("log", { Foundation.log($0) }) { g, _ in g / self } }

    public func sqrt() -> Tensor { mapScalar("sqrt", { $0.squareRoot() }) { g, y in g * 0.5 / y } }

    /// xᵖ for a constant exponent.
    public func pow(_ p: Float) -> Tensor {
        if p == 1 { return self }
        if p == 2 { return self * self }
        return mapScalar("pow", { Foundation.pow($0, p) }) { g, _ in g * (self.pow(p - 1) * p) }
    }

    public func abs() -> Tensor {
        let sign = constantMap { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }
        return mapScalar("abs", { Swift.abs($0) }) { g, _ in g * sign }
    }

    /// Limits values to [low, high]; the gradient is zero outside.
    public func clamp(_ low: Float, _ high: Float) -> Tensor {
        let inside = constantMap { $0 >= low && $0 <= high ? 1 : 0 }
        return mapScalar("clamp", { Swift.min(Swift.max($0, low), high) }) { g, _ in g * inside }
    }

    public func relu() -> Tensor { leakyReLU(slope: 0) }

    /// x for x > 0, slope·x otherwise.
    public func leakyReLU(slope: Float = 0.2) -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        leakyReLUForward(data, out.data, count: count, slope: slope)
        return out.record("leakyReLU", [self]) { g, _, _ in
            if !GradMode.recording {
                let dx = Tensor(uninitializedShape: g.shape)
                leakyReLUBackward(self.data, g.data, dx.data, count: g.count, slope: slope)
                return [dx]
            }
            return [g * self.constantMap { $0 > 0 ? 1 : slope }]
        }
    }

    public func tanh() -> Tensor { mapScalar("tanh", { Foundation.tanh($0) }) { g, y in g * (1 - y * y) } }

    public func sigmoid() -> Tensor {
        mapScalar("sigmoid", { 1 / (1 + Foundation.exp(-$0)) }) { g, y in g * (y * (1 - y)) }
    }

    /// log(1 + eˣ), computed stably.
    public func softplus() -> Tensor {
        mapScalar("softplus", { Swift.max($0, 0) + Foundation.log1p(Foundation.exp(-Swift.abs($0))) }) { g, _ in
            g * self.sigmoid()
        }
    }

    /// GELU, tanh approximation: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
    public func gelu() -> Tensor {
        let c = Float((2 / Double.pi).squareRoot())
        return self * 0.5 * (1 + ((self + self * self * self * 0.044715) * c).tanh())
    }

    /// A constant (never differentiated) tensor with `f` applied to each value.
    public func constantMap(_ f: (Float) -> Float) -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        for i in 0..<count { out.data[i] = f(data[i]) }
        return out
    }
}
