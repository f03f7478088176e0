// Softmax, log-softmax and Gumbel-softmax over the last axis. Forward uses the stable
// max-subtracted kernel; backward is y ⊙ (g − Σ g·y), written with ops for second order.

extension Tensor {
    /// Softmax over the last axis.
    public func softmax() -> Tensor {
        let n = shape[rank - 1]
        let out = Tensor(uninitializedShape: shape)
        softmaxRows(data, out.data, rows: count / Swift.max(n, 1), columns: n)
        return out.record("softmax", [self]) { g, y, _ in
            if !GradMode.recording {
                let dx = Tensor(uninitializedShape: g.shape)
                softmaxRowsBackward(y.data, g.data, dx.data, rows: g.count / Swift.max(n, 1), columns: n)
                return [dx]
            }
            return [y * (g - (g * y).sum(axis: -1))]
        }
    }

    /// log(softmax(x)) over the last axis, computed as x − max − log Σ exp(x − max).
    public func logSoftmax() -> Tensor {
        let shifted = self - maxLastAxis()
        return shifted - shifted.exp().sum(axis: -1).log()
    }

    /// Softmax of (logits + Gumbel noise) / temperature: a differentiable sample of a category.
    /// With `hard`, the forward value is the one-hot argmax while the gradient is the soft one's
    /// (straight-through).
    public func gumbelSoftmax(temperature: Float, hard: Bool = false, rng: inout RandomStream) -> Tensor {
        let noise = Tensor(uninitializedShape: shape)
        for i in 0..<count { noise.data[i] = Float(rng.nextGumbel()) }
        let soft = ((self + noise) / temperature).softmax()
        guard hard else { return soft }
        let oneHot = soft.argmaxOneHot()
        return soft + (oneHot - soft.detached())
    }

    /// One-hot of the argmax over the last axis (first index on ties); a constant.
    public func argmaxOneHot() -> Tensor {
        let n = shape[rank - 1]
        let out = Tensor(shape: shape, repeating: 0)
        for r in 0..<(count / Swift.max(n, 1)) {
            var best = 0
            for j in 1..<Swift.max(n, 1) where data[r * n + j] > data[r * n + best] { best = j }
            out.data[r * n + best] = 1
        }
        return out
    }
}
