// Normalisation, dropout and losses as functions of tensors, composed from TensorKit's
// differentiable ops (so their second-order gradients are exact). Layers wrap these.

import TensorKit

/// Layer normalisation over the last axis: (x − mean) / √(var + ε) · gain + bias.
/// Shapes: x [..., D], gain and bias [D] (or broadcastable).
public func layerNorm(_ x: Tensor, gain: Tensor, bias: Tensor, epsilon: Float = 1e-5) -> Tensor {
    let centred = x - x.mean(axis: -1)
    let variance = (centred * centred).mean(axis: -1)
    return centred / (variance + epsilon).sqrt() * gain + bias
}

/// Batch normalisation statistics of x [N, D] over the batch axis: (mean [1, D], biased var [1, D]).
public func batchStatistics(_ x: Tensor) -> (mean: Tensor, variance: Tensor) {
    let mean = x.mean(axis: 0)
    let centred = x - mean
    return (mean, (centred * centred).mean(axis: 0))
}

/// Inverted dropout: zeroes each value with probability `rate` and scales the rest by 1/(1 − rate).
public func dropout(_ x: Tensor, rate: Float, rng: inout RandomStream) -> Tensor {
    precondition(rate >= 0 && rate < 1, "dropout: rate must be in [0, 1), got \(rate)")
    if rate == 0 { return x }
    let mask = Tensor(uninitializedShape: x.shape)
    let keep = 1 / (1 - rate), m = SendablePointer(mask.data)
    // Each 64-bit draw gives two 32-bit uniforms u; a value is dropped when u < rate·2³².
    let threshold = UInt64((Double(rate) * 0x1.0p32).rounded())
    parallelRandomFill(count: mask.count, rng: &rng) { stream, range in
        var i = range.lowerBound
        while i < range.upperBound {
            let bits = stream.next()
            m.base[i] = bits & 0xFFFF_FFFF < threshold ? 0 : keep
            if i + 1 < range.upperBound { m.base[i + 1] = bits >> 32 < threshold ? 0 : keep }
            i += 2
        }
    }
    return x * mask
}

/// Runs `fill(&stream, range)` over chunks of 0..<count (`chunkSize` each, the last shorter) on
/// the worker threads. Chunk c draws from its own stream, seeded from one draw of `rng` and c, so
/// the values depend on the sizes only, never on the thread count.
public func parallelRandomFill(count: Int, chunkSize: Int = 16_384, rng: inout RandomStream,
                               _ fill: @Sendable (inout RandomStream, Range<Int>) -> Void) {
    let base = rng.next()
    Parallel.forEach(chunks: (count + chunkSize - 1) / chunkSize) { chunk in
        var stream = RandomStream(seed: base ^ (UInt64(chunk) &* 0x9E37_79B9_7F4A_7C15))
        fill(&stream, (chunk * chunkSize)..<min(count, (chunk + 1) * chunkSize))
    }
}

/// Mean squared error: mean((prediction − target)²).
public func meanSquaredError(prediction: Tensor, target: Tensor) -> Tensor {
    let d = prediction - target
    return (d * d).mean()
}

/// Binary cross-entropy on logits, mean over elements: softplus(x) − x·y (stable for any x).
public func binaryCrossEntropy(logits: Tensor, labels: Tensor) -> Tensor {
    (logits.softplus() - logits * labels).mean()
}

/// Cross-entropy of logits [N, C] against target probabilities [N, C] (one-hot or soft),
/// mean over rows: −Σ_c y_c · log softmax(x)_c.
public func crossEntropy(logits: Tensor, targets: Tensor) -> Tensor {
    -(logits.logSoftmax() * targets).sum(axis: -1).mean()
}

/// Cross-entropy of logits [N, C] against class indices.
public func crossEntropy(logits: Tensor, classes: [Int]) -> Tensor {
    let c = logits.shape[logits.rank - 1]
    let oneHot = Tensor(shape: logits.shape, repeating: 0)
    for (row, k) in classes.enumerated() {
        precondition(k >= 0 && k < c, "crossEntropy: class \(k) out of range 0..<\(c) at row \(row)")
        oneHot.data[row * c + k] = 1
    }
    return crossEntropy(logits: logits, targets: oneHot)
}
