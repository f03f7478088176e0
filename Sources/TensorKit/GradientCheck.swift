// Finite-difference gradient checking as a library function (tinygrad keeps gradcheck in the
// library). It reports; tests decide. The numeric derivative uses the fourth-order central
// stencil with the loss accumulated in Double, accurate to ~1e-4 relative in Float32 arithmetic.

/// The outcome of comparing autodiff gradients with finite differences.
public struct GradientCheckReport: CustomStringConvertible {
    /// Largest |analytic − numeric| over all checked elements.
    public let maxAbsoluteError: Double
    /// Largest |analytic − numeric| / max(|analytic|, |numeric|, 1e-3).
    public let maxRelativeError: Double
    /// Input index and element index of the worst element (by tolerance excess).
    public let worstInput: Int
    public let worstElement: Int
    /// Analytic and numeric gradients, per input.
    public let analytic: [[Float]]
    public let numeric: [[Double]]

    /// True when every element satisfies |a − n| ≤ atol + rtol·max(|a|, |n|).
    public func passes(rtol: Double = 1e-2, atol: Double = 1e-3) -> Bool {
        for (a, n) in zip(analytic, numeric) {
            for (x, y) in zip(a, n) where Swift.abs(Double(x) - y) > atol + rtol * Swift.max(Swift.abs(Double(x)), Swift.abs(y)) {
                return false
            }
        }
        return true
    }

    public var description: String {
        let a = analytic[worstInput][worstElement], n = numeric[worstInput][worstElement]
        return "max abs error \(maxAbsoluteError), max rel error \(maxRelativeError); worst: input \(worstInput)[\(worstElement)] analytic \(a) vs numeric \(n)"
    }
}

/// Compares autodiff gradients of `f(inputs)` with finite differences.
///
/// A non-scalar output is reduced to Σ output ⊙ W with fixed pseudo-random weights W, so every
/// output element is checked. Inputs must require gradients; `f` may itself take gradients
/// (with `createGraph`) to check second-order paths.
/// - Parameters:
///   - step: the finite-difference step h (default 1e-2 suits Float32 with the 4-point stencil).
public func checkGradients(of inputs: [Tensor], step: Float = 1e-2, _ f: ([Tensor]) -> Tensor) -> GradientCheckReport {
    var weightStream = RandomStream(seed: 0x6772_6164)
    var weights: Tensor? = nil
    func scalarLoss() -> Tensor {
        let out = f(inputs)
        if out.count == 1 { return out }
        if weights == nil || weights!.shape != out.shape {
            let w = Tensor(uninitializedShape: out.shape)
            for i in 0..<w.count { w.data[i] = Float(weightStream.nextUniform() * 2 - 1) }
            weights = w
        }
        return (out * weights!).sum()
    }
    let loss = scalarLoss()
    let analytic = gradients(of: loss, withRespectTo: inputs).map(\.scalars)

    func value() -> Double { Double(scalarLoss().item) }
    var numeric: [[Double]] = []
    for t in inputs {
        var g = [Double](repeating: 0, count: t.count)
        for i in 0..<t.count {
            let x = t.data[i]
            func at(_ k: Float) -> Double { t.data[i] = x + k * step; return value() }
            let fp1 = at(1), fm1 = at(-1), fp2 = at(2), fm2 = at(-2)
            t.data[i] = x
            g[i] = (8 * (fp1 - fm1) - (fp2 - fm2)) / (12 * Double(step))
        }
        numeric.append(g)
    }

    var maxAbs = 0.0, maxRel = 0.0, worst = (0, 0), worstExcess = -Double.infinity
    for (ti, (a, n)) in zip(analytic, numeric).enumerated() {
        for i in a.indices {
            let err = Swift.abs(Double(a[i]) - n[i])
            let scale = Swift.max(Swift.abs(Double(a[i])), Swift.abs(n[i]))
            maxAbs = Swift.max(maxAbs, err)
            maxRel = Swift.max(maxRel, err / Swift.max(scale, 1e-3))
            let excess = err - 1e-2 * scale
            if excess > worstExcess { worstExcess = excess; worst = (ti, i) }
        }
    }
    return GradientCheckReport(maxAbsoluteError: maxAbs, maxRelativeError: maxRel, worstInput: worst.0,
                               worstElement: worst.1, analytic: analytic, numeric: numeric)
}
