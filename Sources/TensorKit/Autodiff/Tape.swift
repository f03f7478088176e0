// The reverse-mode core, after micrograd: each op records a Node holding its inputs and a
// backward closure written with differentiable ops. With `createGraph` the backward pass is itself
// recorded, which gives exact second-order gradients (the WGAN-GP penalty needs them).

/// Whether ops record graph nodes. Scoped per task/thread, off inside `withoutGrad`.
public enum GradMode {
    @TaskLocal static var isEnabled = true

    /// Runs `body` without recording (inference, optimiser updates, first-order backward).
    public static func withoutGrad<R>(_ body: () throws -> R) rethrows -> R {
        try $isEnabled.withValue(false, operation: body)
    }

    /// True when ops currently record graph nodes.
    public static var recording: Bool { isEnabled }
}

/// One recorded op: its inputs and how to map the output's gradient to theirs.
final class Node {
    let name: String
    let inputs: [Tensor]
    /// (gradient of output, output, which inputs need a gradient) → input gradients.
    let backward: (Tensor, Tensor, [Bool]) -> [Tensor?]

    init(name: String, inputs: [Tensor], backward: @escaping (Tensor, Tensor, [Bool]) -> [Tensor?]) {
        self.name = name
        self.inputs = inputs
        self.backward = backward
    }
}

extension Tensor {
    /// Attaches a node to `output` when recording and any input requires a gradient.
    @discardableResult
    func record(_ name: String, _ inputs: [Tensor],
                _ backward: @escaping (_ grad: Tensor, _ output: Tensor, _ needs: [Bool]) -> [Tensor?]) -> Tensor {
        if GradMode.isEnabled && inputs.contains(where: { $0.requiresGrad }) {
            requiresGrad = true
            creator = Node(name: name, inputs: inputs, backward: backward)
        }
        return self
    }
}

/// Gradients of the scalar `output` with respect to each of `inputs` (zeros where unreachable).
///
/// With `createGraph`, the returned gradients are themselves differentiable (their graph reaches
/// every tensor the backward pass used), so a loss built from them can be differentiated again.
public func gradients(of output: Tensor, withRespectTo inputs: [Tensor], createGraph: Bool = false) -> [Tensor] {
    shapeCheck(output.count == 1, "gradients(of:): output must be a scalar, got shape \(output.shape)")
    let grads = GradMode.$isEnabled.withValue(createGraph) {
        backpropagate(from: output, targets: inputs)
    }
    return inputs.map { grads[ObjectIdentifier($0)] ?? Tensor(shape: $0.shape, repeating: 0) }
}

extension Tensor {
    /// Accumulates d(self)/d(leaf) into `grad` of every leaf that requires a gradient.
    public func backward() {
        shapeCheck(count == 1, "backward(): call it on a scalar loss, got shape \(shape)")
        GradMode.withoutGrad {
            let order = topologicalOrder(from: self)
            let leaves = order.filter { $0.creator == nil && $0.requiresGrad }
            let grads = backpropagate(from: self, targets: leaves, order: order)
            for leaf in leaves {
                guard let g = grads[ObjectIdentifier(leaf)] else { continue }
                if let existing = leaf.grad {
                    for i in 0..<existing.count { existing.data[i] += g.data[i] }
                } else {
                    leaf.grad = g.detached()
                }
            }
        }
    }

    /// Sets `grad` to nil (call on parameters before each step, or use the optimiser's `zeroGrad`).
    public func zeroGrad() { grad = nil }
}

/// Tensors reachable from `root` through recorded nodes, inputs before the ops that used them.
func topologicalOrder(from root: Tensor) -> [Tensor] {
    var order: [Tensor] = []
    var visited = Set<ObjectIdentifier>()
    var stack: [(Tensor, Bool)] = [(root, false)]
    while let (t, expanded) = stack.popLast() {
        if expanded { order.append(t); continue }
        if !visited.insert(ObjectIdentifier(t)).inserted { continue }
        stack.append((t, true))
        if let node = t.creator {
            for input in node.inputs where input.requiresGrad && !visited.contains(ObjectIdentifier(input)) {
                stack.append((input, false))
            }
        }
    }
    return order
}

/// Runs the backward closures from `root` towards `targets`, skipping branches that reach none.
private func backpropagate(from root: Tensor, targets: [Tensor], order given: [Tensor]? = nil) -> [ObjectIdentifier: Tensor] {
    let order = given ?? topologicalOrder(from: root)
    let targetIDs = Set(targets.map(ObjectIdentifier.init))
    var leads = Set<ObjectIdentifier>()
    for t in order {
        let id = ObjectIdentifier(t)
        if targetIDs.contains(id) || (t.creator?.inputs.contains { leads.contains(ObjectIdentifier($0)) } ?? false) {
            leads.insert(id)
        }
    }
    var grads: [ObjectIdentifier: Tensor] = [ObjectIdentifier(root): Tensor(shape: root.shape, repeating: 1)]
    for t in order.reversed() {
        let id = ObjectIdentifier(t)
        guard leads.contains(id), let node = t.creator, let g = grads[id] else { continue }
        if !targetIDs.contains(id) { grads[id] = nil }
        let needs = node.inputs.map { $0.requiresGrad && leads.contains(ObjectIdentifier($0)) }
        let inputGrads = node.backward(g, t, needs)
        for (input, ig) in zip(node.inputs, inputGrads) {
            guard let ig, needsCheck(ig, input, node.name) else { continue }
            let key = ObjectIdentifier(input)
            grads[key] = grads[key].map { $0 + ig } ?? ig
        }
    }
    return grads
}

@inline(__always)
private func needsCheck(_ grad: Tensor, _ input: Tensor, _ op: String) -> Bool {
    shapeCheck(grad.shape == input.shape, "backward of \(op): gradient shape \(grad.shape) != input shape \(input.shape)")
    return true
}
