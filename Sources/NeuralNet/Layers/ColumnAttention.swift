// Multi-head self-attention across column tokens: each table column is a token, and attention
// lets every column's representation depend on every other's. A post-norm transformer block:
// x₁ = LN(x + MHA(x)), out = LN(x₁ + FFN(x₁)). It keeps the last batch's mean attention map.

import TensorKit

/// Shapes: x [N, F, E] → [N, F, E] (N rows, F column tokens, E token width, H heads, E % H = 0).
public final class ColumnAttention: Layer {
    public let width: Int, heads: Int
    let query: Linear, key: Linear, value: Linear, output: Linear
    let norm1: LayerNorm, norm2: LayerNorm
    let feedForward: Sequential
    /// When true, each forward pass stores `lastAttention` (costs one F×F reduction per head).
    public var recordsAttention = false
    /// Mean attention weights over the batch and heads of the last recorded pass: F×F, row-major,
    /// row i = how column i attends to every column.
    public private(set) var lastAttention: [Float] = []

    public init(width: Int, heads: Int, feedForwardWidth: Int, slope: Float = 0.2, rng: inout RandomStream) {
        precondition(heads > 0 && width % heads == 0, "ColumnAttention: width \(width) must be a multiple of heads \(heads)")
        self.width = width
        self.heads = heads
        query = Linear(inputSize: width, outputSize: width, rng: &rng)
        key = Linear(inputSize: width, outputSize: width, rng: &rng)
        value = Linear(inputSize: width, outputSize: width, rng: &rng)
        output = Linear(inputSize: width, outputSize: width, rng: &rng)
        norm1 = LayerNorm(features: width)
        norm2 = LayerNorm(features: width)
        feedForward = Sequential([
            Linear(inputSize: width, outputSize: feedForwardWidth, initializer: .heUniform(slope: slope), rng: &rng),
            Activation(.leakyReLU(slope: slope)),
            Linear(inputSize: feedForwardWidth, outputSize: width, rng: &rng),
        ])
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(x.rank == 3 && x.shape[2] == width, "ColumnAttention: expects [N, F, \(width)], got \(x.shape)")
        let tokens = x.shape[1], headWidth = width / heads
        let q = query(x), k = key(x), v = value(x)
        let scale = 1 / Float(headWidth).squareRoot()
        var mixed: [Tensor] = []
        var attentionSum = [Float](repeating: 0, count: recordsAttention ? tokens * tokens : 0)
        for h in 0..<heads {
            let cols = (h * headWidth)..<((h + 1) * headWidth)
            let scores = q.slice(columns: cols).matmul(k.slice(columns: cols), transposeOther: true) * scale
            let weights = scores.softmax()
            if recordsAttention { accumulateMean(weights, into: &attentionSum) }
            mixed.append(weights.matmul(v.slice(columns: cols)))
        }
        if recordsAttention {
            let n = Float(x.shape[0] * heads)
            lastAttention = attentionSum.map { $0 / n }
        }
        let attended = output(heads == 1 ? mixed[0] : Tensor.concatenate(columns: mixed))
        let x1 = norm1(x + attended)
        return norm2(x1 + feedForward(x1))
    }

    private func accumulateMean(_ weights: Tensor, into sum: inout [Float]) {
        let ff = sum.count
        for b in 0..<weights.shape[0] {
            for i in 0..<ff { sum[i] += weights.data[b * ff + i] }
        }
    }

    public func namedParameters() -> [(String, Tensor)] {
        prefixed("query", query.namedParameters()) + prefixed("key", key.namedParameters())
            + prefixed("value", value.namedParameters()) + prefixed("output", output.namedParameters())
            + prefixed("norm1", norm1.namedParameters()) + prefixed("feedForward", feedForward.namedParameters())
            + prefixed("norm2", norm2.namedParameters())
    }

    public func setTraining(_ training: Bool) { feedForward.setTraining(training) }
}
