// One-dimensional Gaussian mixture fitted by EM, for mode-specific normalisation (as in CTGAN).
// Deterministic: components start from equal-count slices of the sorted values (no random
// draws); the number of modes is chosen by BIC over 1…maxModes, then modes below a weight
// threshold are pruned. CTGAN uses a Dirichlet-process prior instead; BIC is our stand-in.

import Foundation

/// A fitted 1-D Gaussian mixture: weights sum to 1, `stds` > 0, means ascending.
public struct GaussianMixture1D: Codable, Sendable, Equatable {
    public var weights: [Double]
    public var means: [Double]
    public var stds: [Double]

    public var count: Int { weights.count }

    /// The component with the largest posterior probability for `x`
    /// (argmax_k log w_k − log σ_k − (x − μ_k)² / 2σ_k²).
    public func mostLikelyComponent(_ x: Double) -> Int {
        var best = 0
        var bestScore = -Double.infinity
        for k in 0..<count {
            let z = (x - means[k]) / stds[k]
            let score = log(weights[k]) - log(stds[k]) - 0.5 * z * z
            if score > bestScore { bestScore = score; best = k }
        }
        return best
    }

    /// Fits a mixture to `sortedValues` (ascending, no NaN, not empty).
    /// - Parameters:
    ///   - maxModes: largest number of components tried (BIC picks the best count).
    ///   - weightThreshold: components whose weight ends below this are dropped (weights renormalised).
    ///   - maxIterations: EM iterations per component count; stops early when the mean
    ///     log-likelihood per value improves by less than 1e-7.
    public static func fit(sortedValues x: [Double], maxModes: Int, weightThreshold: Double, maxIterations: Int) -> GaussianMixture1D {
        let n = x.count
        precondition(n > 0, "GaussianMixture1D.fit needs at least one value")
        let mean = x.reduce(0, +) / Double(n)
        let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n)
        if variance == 0 { return GaussianMixture1D(weights: [1], means: [mean], stds: [1]) }
        // Variance floor: 1% of the column's standard deviation, so no mode collapses onto one value.
        let varianceFloor = variance * 1e-4
        let distinct = distinctCount(x)
        var best: (bic: Double, model: GaussianMixture1D)?
        var worseInARow = 0
        for k in 1...max(1, min(maxModes, distinct)) {
            let (model, logLikelihood) = em(x, components: k, varianceFloor: varianceFloor, maxIterations: maxIterations)
            let bic = -2 * logLikelihood + Double(3 * k - 1) * log(Double(n))
            if best == nil || bic < best!.bic {
                best = (bic, model)
                worseInARow = 0
            } else {
                worseInARow += 1
                if worseInARow == 2 { break }
            }
        }
        var model = best!.model
        var keep = model.weights.indices.filter { model.weights[$0] >= weightThreshold }
        if keep.isEmpty { keep = [model.weights.indices.max { model.weights[$0] < model.weights[$1] }!] }
        let total = keep.reduce(0) { $0 + model.weights[$1] }
        model = GaussianMixture1D(weights: keep.map { model.weights[$0] / total }, means: keep.map { model.means[$0] }, stds: keep.map { model.stds[$0] })
        return model
    }

    /// EM from equal-count slices of the sorted values; stops when the mean log-likelihood per
    /// value improves by less than `tolerance`. Returns the model and its total log-likelihood.
    static func em(_ x: [Double], components k: Int, varianceFloor: Double, maxIterations: Int, tolerance: Double = 1e-7) -> (GaussianMixture1D, Double) {
        let n = x.count
        var w = [Double](repeating: 1 / Double(k), count: k)
        var mu = [Double](repeating: 0, count: k)
        var variance = [Double](repeating: 0, count: k)
        for c in 0..<k {
            let lo = c * n / k, hi = max(lo + 1, (c + 1) * n / k)
            let slice = x[lo..<hi]
            let m = slice.reduce(0, +) / Double(slice.count)
            mu[c] = m
            variance[c] = max(varianceFloor, slice.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(slice.count))
        }
        var responsibility = [Double](repeating: 0, count: n * k)
        var logLikelihood = -Double.infinity
        var logTerm = [Double](repeating: 0, count: k)
        for _ in 0..<max(1, maxIterations) {
            // E step (log-sum-exp per value).
            var total = 0.0
            for c in 0..<k { logTerm[c] = log(w[c]) - 0.5 * log(2 * Double.pi * variance[c]) }
            for i in 0..<n {
                var top = -Double.infinity
                for c in 0..<k {
                    let d = x[i] - mu[c]
                    let l = logTerm[c] - 0.5 * d * d / variance[c]
                    responsibility[i * k + c] = l
                    if l > top { top = l }
                }
                var sum = 0.0
                for c in 0..<k {
                    let e = exp(responsibility[i * k + c] - top)
                    responsibility[i * k + c] = e
                    sum += e
                }
                for c in 0..<k { responsibility[i * k + c] /= sum }
                total += top + log(sum)
            }
            // M step.
            for c in 0..<k {
                var nk = 0.0, s = 0.0
                for i in 0..<n { nk += responsibility[i * k + c]; s += responsibility[i * k + c] * x[i] }
                if nk < 1e-12 { w[c] = 1e-300; continue }
                let m = s / nk
                var v = 0.0
                for i in 0..<n { let d = x[i] - m; v += responsibility[i * k + c] * d * d }
                w[c] = nk / Double(n)
                mu[c] = m
                variance[c] = max(varianceFloor, v / nk)
            }
            let improved = total - logLikelihood
            logLikelihood = total
            if improved.isFinite && improved < tolerance * Double(n) { break }
        }
        let order = (0..<k).sorted { mu[$0] < mu[$1] }
        let model = GaussianMixture1D(weights: order.map { w[$0] }, means: order.map { mu[$0] }, stds: order.map { variance[$0].squareRoot() })
        return (model, logLikelihood)
    }
}
