// Linear (dense) layer and parameter-free activation layers.

import TensorKit

/// y = x·W + b. Shapes: x [N, I] or [N, F, I] → [N, O] or [N, F, O]; W [I, O]; b [O].
public final class Linear: Layer {
    public let weight: Tensor
    public let bias: Tensor?

    public init(inputSize: Int, outputSize: Int, bias useBias: Bool = true,
                initializer: Initializer = .xavierUniform, rng: inout RandomStream) {
        weight = initializer.make([inputSize, outputSize], fanIn: inputSize, fanOut: outputSize, rng: &rng)
        bias = useBias ? Tensor(shape: [outputSize], repeating: 0, requiresGrad: true) : nil
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        bias.map { x.matmul(weight, addingBias: $0) } ?? x.matmul(weight)
    }

    public func namedParameters() -> [(String, Tensor)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }
}

/// An elementwise activation as a layer.
public final class Activation: Layer {
    public enum Kind: Equatable, Sendable { case relu, leakyReLU(slope: Float), tanh, sigmoid, gelu, identity }
    public let kind: Kind

    public init(_ kind: Kind) { self.kind = kind }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        switch kind {
        case .relu: return x.relu()
        case .leakyReLU(let slope): return x.leakyReLU(slope: slope)
        case .tanh: return x.tanh()
        case .sigmoid: return x.sigmoid()
        case .gelu: return x.gelu()
        case .identity: return x
        }
    }

    public func namedParameters() -> [(String, Tensor)] { [] }
}

/// Inverted dropout while training; identity in evaluation.
public final class Dropout: Layer {
    public let rate: Float
    public private(set) var isTraining = true
    private var rng: RandomStream

    public init(rate: Float, rng: RandomStream) {
        precondition(rate >= 0 && rate < 1, "Dropout: rate must be in [0, 1), got \(rate)")
        self.rate = rate
        self.rng = rng
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        isTraining ? dropout(x, rate: rate, rng: &rng) : x
    }

    public func namedParameters() -> [(String, Tensor)] { [] }
    public func setTraining(_ training: Bool) { isTraining = training }
}

/// Layers applied in order.
public final class Sequential: Layer {
    public let layers: [any Layer]

    public init(_ layers: [any Layer]) { self.layers = layers }

    public func callAsFunction(_ x: Tensor) -> Tensor { layers.reduce(x) { $1($0) } }

    public func namedParameters() -> [(String, Tensor)] {
        layers.enumerated().flatMap { prefixed("\($0.offset)", $0.element.namedParameters()) }
    }

    public func namedBuffers() -> [(String, Tensor)] {
        layers.enumerated().flatMap { prefixed("\($0.offset)", $0.element.namedBuffers()) }
    }

    public func setTraining(_ training: Bool) { layers.forEach { $0.setTraining(training) } }
}
