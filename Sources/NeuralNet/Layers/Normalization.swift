// BatchNorm (batch statistics while training, running statistics in evaluation) and LayerNorm,
// both on TensorKit's fused ops (checked against the composed `batchStatistics`/`layerNorm`).

import TensorKit

/// Batch normalisation over the batch axis. Shapes: x [N, D] → [N, D].
/// Running mean and (unbiased) variance update as r ← (1 − m)·r + m·batch, as in PyTorch.
public final class BatchNorm: Layer {
    public let gain: Tensor, bias: Tensor
    public let runningMean: Tensor, runningVariance: Tensor
    public let momentum: Float, epsilon: Float
    public private(set) var isTraining = true

    public init(features: Int, momentum: Float = 0.1, epsilon: Float = 1e-5) {
        gain = Tensor(shape: [features], repeating: 1, requiresGrad: true)
        bias = Tensor(shape: [features], repeating: 0, requiresGrad: true)
        runningMean = Tensor(shape: [features], repeating: 0)
        runningVariance = Tensor(shape: [features], repeating: 1)
        self.momentum = momentum
        self.epsilon = epsilon
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(x.rank == 2, "BatchNorm: expects [N, D], got shape \(x.shape)")
        if !isTraining {
            return (x - runningMean) / (runningVariance + epsilon).sqrt() * gain + bias
        }
        let (output, mean, variance) = x.batchNormalized(gain: gain, bias: bias, epsilon: epsilon)
        let n = Float(x.shape[0])
        let unbiased = n > 1 ? n / (n - 1) : 1
        for j in 0..<runningMean.count {
            runningMean.data[j] = (1 - momentum) * runningMean.data[j] + momentum * mean.data[j]
            runningVariance.data[j] = (1 - momentum) * runningVariance.data[j] + momentum * variance.data[j] * unbiased
        }
        return output
    }

    public func namedParameters() -> [(String, Tensor)] { [("gain", gain), ("bias", bias)] }
    public func namedBuffers() -> [(String, Tensor)] { [("runningMean", runningMean), ("runningVariance", runningVariance)] }
    public func setTraining(_ training: Bool) { isTraining = training }
}

/// Layer normalisation over the last axis. Shapes: x [..., D] → same.
public final class LayerNorm: Layer {
    public let gain: Tensor, bias: Tensor
    public let epsilon: Float

    public init(features: Int, epsilon: Float = 1e-5) {
        gain = Tensor(shape: [features], repeating: 1, requiresGrad: true)
        bias = Tensor(shape: [features], repeating: 0, requiresGrad: true)
        self.epsilon = epsilon
    }

    public func callAsFunction(_ x: Tensor) -> Tensor { x.layerNormalized(gain: gain, bias: bias, epsilon: epsilon) }

    public func namedParameters() -> [(String, Tensor)] { [("gain", gain), ("bias", bias)] }
}
