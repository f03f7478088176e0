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
        let tokens = x.shape[1]
        let (mixed, weights) = Tensor.multiHeadAttention(query: query(x), key: key(x), value: value(x), heads: heads)
        if recordsAttention { lastAttention = meanAttention(weights, tokens: tokens) }
        let attended = output(mixed)
        let x1 = norm1(x + attended)
        return norm2(x1 + feedForward(x1))
    }

    /// Mean of weights [N·H, F, F] over rows and heads: F×F.
    private func meanAttention(_ weights: Tensor, tokens: Int) -> [Float] {
        let ff = tokens * tokens, maps = weights.count / max(ff, 1)
        var sum = [Float](repeating: 0, count: ff)
        for m in 0..<maps {
            for i in 0..<ff { sum[i] += weights.data[m * ff + i] }
        }
        return sum.map { $0 / Float(maps) }
    }

    public func namedParameters() -> [(String, Tensor)] {
        prefixed("query", query.namedParameters()) + prefixed("key", key.namedParameters())
            + prefixed("value", value.namedParameters()) + prefixed("output", output.namedParameters())
            + prefixed("norm1", norm1.namedParameters()) + prefixed("feedForward", feedForward.namedParameters())
            + prefixed("norm2", norm2.namedParameters())
    }

    public func setTraining(_ training: Bool) { feedForward.setTraining(training) }
}
