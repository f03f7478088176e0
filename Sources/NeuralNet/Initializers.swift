// Weight initialisers as values (as in swift-apis), drawn from an explicit random stream.

import TensorKit

/// How to fill a weight matrix with fan-in `fanIn` and fan-out `fanOut`.
public enum Initializer: Sendable {
    /// Uniform in ±√(6 / (fanIn + fanOut)) (Glorot & Bengio).
    case xavierUniform
    /// Normal with std √(2 / (fanIn + fanOut)).
    case xavierNormal
    /// Uniform in ±√(6 / ((1 + a²)·fanIn)) for leaky-ReLU slope a (He et al.).
    case heUniform(slope: Float)
    /// Normal with std √(2 / ((1 + a²)·fanIn)).
    case heNormal(slope: Float)
    case zeros

    /// A new tensor of `shape` filled by this rule.
    public func make(_ shape: [Int], fanIn: Int, fanOut: Int, rng: inout RandomStream) -> Tensor {
        let t = Tensor(shape: shape, repeating: 0)
        let fi = Float(max(fanIn, 1)), fo = Float(max(fanOut, 1))
        switch self {
        case .xavierUniform:
            let b = (6 / (fi + fo)).squareRoot()
            rng.fillUniform(t.buffer, low: -b, high: b)
        case .xavierNormal:
            rng.fillNormal(t.buffer, std: (2 / (fi + fo)).squareRoot())
        case .heUniform(let a):
            let b = (6 / ((1 + a * a) * fi)).squareRoot()
            rng.fillUniform(t.buffer, low: -b, high: b)
        case .heNormal(let a):
            rng.fillNormal(t.buffer, std: (2 / ((1 + a * a) * fi)).squareRoot())
        case .zeros:
            break
        }
        return t.requiringGrad()
    }
}
