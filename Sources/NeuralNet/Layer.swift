// The Layer protocol: a callable with an explicit, ordered list of named parameters and
// buffers (no reflection), and a training flag that containers pass down.

import TensorKit

/// A differentiable building block.
public protocol Layer: AnyObject {
    /// Applies the layer. Shapes are documented per layer.
    func callAsFunction(_ x: Tensor) -> Tensor
    /// Trainable tensors with stable, dotted names ("0.weight"), in a fixed order.
    func namedParameters() -> [(String, Tensor)]
    /// Non-trainable state saved with the parameters (e.g. running statistics).
    func namedBuffers() -> [(String, Tensor)]
    /// Switches training behaviour (dropout, batch statistics) on or off, recursively.
    func setTraining(_ training: Bool)
}

extension Layer {
    public func namedBuffers() -> [(String, Tensor)] { [] }
    public func setTraining(_ training: Bool) {}
    /// Trainable tensors in `namedParameters()` order.
    public var parameters: [Tensor] { namedParameters().map(\.1) }
    /// Parameters and buffers together: everything a checkpoint must hold.
    public func namedState() -> [(String, Tensor)] { namedParameters() + namedBuffers() }
}

/// Prefixes child names: ("weight", t) under "2" becomes ("2.weight", t).
public func prefixed(_ prefix: String, _ items: [(String, Tensor)]) -> [(String, Tensor)] {
    items.map { ("\(prefix).\($0.0)", $0.1) }
}
