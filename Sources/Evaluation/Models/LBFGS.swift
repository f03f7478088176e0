// Limited-memory BFGS in Double for the smooth convex objectives of the evaluation models
// (logistic and softmax regression). Deterministic: fixed memory, Armijo backtracking from a unit
// step, a fixed iteration cap, gradient and relative-decrease tolerances; no randomness, no threads.

/// Minimises `objective` from `initial`. Stops at the gradient tolerance, after `maxIterations`,
/// or when a step lowers f by less than 64 ε relative (rounding level).
///
/// - Parameters:
///   - objective: returns f(w) and writes ∇f(w) into its second argument (same length as w).
///   - gradientTolerance: stop when max_k |∂f/∂w_k| ≤ this.
///   - maxIterations: stop after this many accepted steps.
///   - memory: number of (s, y) correction pairs kept.
/// - Returns: the last iterate.
func minimiseLBFGS(
    initial: [Double], gradientTolerance: Double = 1e-9, maxIterations: Int = 1000, memory: Int = 10,
    objective: ([Double], inout [Double]) -> Double
) -> [Double] {
    let n = initial.count, relativeTolerance = 64 * Double.ulpOfOne
    var w = initial, gradient = [Double](repeating: 0, count: n)
    var value = objective(w, &gradient)
    var sHistory: [[Double]] = [], yHistory: [[Double]] = [], rhoHistory: [Double] = []
    var direction = [Double](repeating: 0, count: n), alpha = [Double](repeating: 0, count: memory)
    var candidate = w, candidateGradient = gradient
    for _ in 0..<maxIterations {
        if gradient.reduce(0, { max($0, abs($1)) }) <= gradientTolerance { break }
        // Two-loop recursion: direction = −H·g.
        for k in 0..<n { direction[k] = -gradient[k] }
        for h in stride(from: sHistory.count - 1, through: 0, by: -1) {
            alpha[h] = rhoHistory[h] * dot(sHistory[h], direction)
            for k in 0..<n { direction[k] -= alpha[h] * yHistory[h][k] }
        }
        if let s = sHistory.last, let y = yHistory.last {
            let gamma = dot(s, y) / dot(y, y)
            for k in 0..<n { direction[k] *= gamma }
        } else {
            let norm = dot(gradient, gradient).squareRoot()
            for k in 0..<n { direction[k] /= max(1, norm) }
        }
        for h in 0..<sHistory.count {
            let beta = rhoHistory[h] * dot(yHistory[h], direction)
            for k in 0..<n { direction[k] += sHistory[h][k] * (alpha[h] - beta) }
        }
        var slope = dot(gradient, direction)
        if slope >= 0 {   // not a descent direction: restart from steepest descent
            sHistory.removeAll(); yHistory.removeAll(); rhoHistory.removeAll()
            for k in 0..<n { direction[k] = -gradient[k] }
            slope = dot(gradient, direction)
        }
        var step = 1.0, accepted = false, converged = false
        for _ in 0..<60 {
            for k in 0..<n { candidate[k] = w[k] + step * direction[k] }
            let candidateValue = objective(candidate, &candidateGradient)
            if candidateValue <= value + 1e-4 * step * slope {
                accepted = true
                var s = candidate, y = candidateGradient
                for k in 0..<n { s[k] -= w[k]; y[k] -= gradient[k] }
                let sy = dot(s, y)
                if sy > 1e-12 * dot(y, y).squareRoot() * dot(s, s).squareRoot() {
                    if sHistory.count == memory { sHistory.removeFirst(); yHistory.removeFirst(); rhoHistory.removeFirst() }
                    sHistory.append(s); yHistory.append(y); rhoHistory.append(1 / sy)
                }
                swap(&w, &candidate); swap(&gradient, &candidateGradient)
                converged = value - candidateValue <= relativeTolerance * max(abs(value), abs(candidateValue), 1)
                value = candidateValue
                break
            }
            step /= 2
        }
        // No decrease representable in Double, or a relative decrease below 64 ε (scipy's ftol
        // as scikit-learn sets it): at the minimum to working precision.
        if !accepted || converged { break }
    }
    return w
}

@inline(__always)
private func dot(_ a: [Double], _ b: [Double]) -> Double {
    var sum = 0.0
    for k in a.indices { sum += a[k] * b[k] }
    return sum
}
