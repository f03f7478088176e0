// The correlation-matrix constraint: the Pearson matrix of a generated batch, taken on the values
// the Synthesizer ships (decoded through a differentiable stand-in of decoding and marginal
// matching), is pulled towards C_train, the fit rows' Pearson matrix of the same columns.
// Derivation and the space it acts in: docs/CORRELATION_LOSS.md.

import TensorKit
import TabularData
import Evaluation

/// Evaluation's `pearsonMatrix(columns:)` (pairwise-complete rows; an undefined pair correlates 0)
/// of `columns` of the row-major Float matrix x [N, stride], NaN = missing. Shape [k, k], k = columns.count.
public func pearsonMatrix(_ x: [Float], rows: Int, columns: [Int], stride: Int) -> [Double] {
    pearsonMatrix(columns: columns.map { j in (0..<rows).map { Double(x[$0 * stride + j]) } })
}

/// Batch Pearson matrix of x [N, k], differentiable: Ĉ = D⁻¹·(XcᵀXc)·D⁻¹ with Xc = X − mean,
/// D = diag(√(Σ Xc² + ε)). Shape [k, k].
public func batchCorrelation(_ x: Tensor, epsilon: Float = 1e-8) -> Tensor {
    let centred = x - x.mean(axis: 0)
    let inverseNorms = 1 / ((centred * centred).sum(axis: 0) + epsilon).sqrt()
    let normalised = centred * inverseNorms
    return normalised.matmul(normalised, transposeSelf: true)
}

/// Options of the correlation term (see the config's `correlation` section).
public struct CorrelationLossOptions: Sendable, Equatable, Codable {
    public enum Norm: String, Sendable, Codable, CaseIterable { case squared, absolute }
    public enum Weighting: String, Sendable, Codable, CaseIterable { case uniform, magnitude }
    /// λ, the term's weight; 0 removes the term entirely.
    public var weight: Float = 100
    public var norm: Norm = .squared
    /// `magnitude` weights each pair by |C_train,ij| (weights normalised to sum 1 over pairs).
    public var weighting: Weighting = .uniform
    /// λ ramps linearly from 0 over this many generator steps.
    public var warmupSteps: Int = 0

    public init(weight: Float = 100, norm: Norm = .squared, weighting: Weighting = .uniform, warmupSteps: Int = 0) {
        self.weight = weight
        self.norm = norm
        self.weighting = weighting
        self.warmupSteps = warmupSteps
    }

    /// λ at generator step `step` (0-based), including warm-up.
    public func weight(atStep step: Int) -> Float {
        warmupSteps <= 0 ? weight : weight * min(1, Float(step + 1) / Float(warmupSteps))
    }
}

/// How the generated encoded columns become the values the correlation is taken on.
public struct CorrelationSpace: Sendable {
    /// Standardise each column over the batch first: marginal matching replaces a column by the
    /// train quantiles at its ranks, which a normal score's Φ((z − mean)/std) approximates.
    public var standardize: Bool
    /// Per constrained column, the differentiable decoding (nil: the encoded value itself, for
    /// one-hot columns and affine transforms, where Pearson is unchanged).
    public var decoding: [PiecewiseLinearMap?]
    /// Per constrained column, the values a discrete column ships (ascending; nil: continuous, or
    /// not snapped: `snapLevels`). The forward pass snaps the decoded value to the nearest of them,
    /// as shipping rounds, while the gradient is the ramp's (a straight-through estimator).
    public var levels: [[Float]?]

    public init(standardize: Bool = false, decoding: [PiecewiseLinearMap?], levels: [[Float]?]? = nil) {
        self.standardize = standardize
        self.decoding = decoding
        self.levels = levels ?? Array(repeating: nil, count: decoding.count)
        precondition(self.levels.count == decoding.count, "CorrelationSpace: \(self.levels.count) level lists for \(decoding.count) columns")
    }

    /// The encoded values themselves.
    public static func encoded(columns: Int) -> CorrelationSpace { CorrelationSpace(decoding: Array(repeating: nil, count: columns)) }

    /// A discrete column is snapped only while its most common value holds at most this share of
    /// the fit rows. A nearly constant column (digits' edge pixels) would snap to one value in
    /// almost every row of a batch: its Pearson terms then rest on a handful of rows and the
    /// straight-through gradient is noise; the ramp's continuous values serve it better (how the
    /// limit was chosen: docs/ARCHITECTURE.md).
    public static let snapShareLimit = 0.9

    /// The levels `encoder`'s column is snapped to in the constraint: a discrete column's values
    /// unless it is nearly constant (`snapShareLimit`); nil otherwise.
    public static func snapLevels(_ encoder: NumericEncoder?) -> [Float]? {
        guard let encoder, let levels = encoder.discreteLevels, let share = encoder.largestLevelShare,
              share <= snapShareLimit else { return nil }
        return levels.map(Float.init)
    }

    /// x [N, k] → the values whose correlations are constrained, [N, k].
    func apply(_ x: Tensor) -> Tensor {
        guard decoding.contains(where: { $0 != nil }) else { return x }
        var v = x
        if standardize {
            let centred = x - x.mean(axis: 0)
            v = centred / ((centred * centred).mean(axis: 0) + 1e-8).sqrt()
        }
        let decoded = v.piecewiseLinear(decoding)
        guard levels.contains(where: { $0 != nil }) else { return decoded }
        return decoded + (snapped(decoded) - decoded.detached())
    }

    /// A constant copy of `decoded` [N, k] with each discrete column's values moved to the nearest level.
    func snapped(_ decoded: Tensor) -> Tensor {
        let k = levels.count, n = decoded.shape[0]
        let result = Tensor(shape: decoded.shape, scalars: decoded.scalars)
        for (c, columnLevels) in levels.enumerated() {
            guard let columnLevels, !columnLevels.isEmpty else { continue }
            for r in 0..<n { result.data[r * k + c] = nearest(result.data[r * k + c], in: columnLevels) }
        }
        return result
    }
}

/// The element of `sorted` (ascending, not empty) closest to `x`; the upper one on a tie.
func nearest(_ x: Float, in sorted: [Float]) -> Float {
    var lo = 0, hi = sorted.count  // first index with sorted[i] >= x
    while lo < hi {
        let mid = (lo + hi) / 2
        if sorted[mid] < x { lo = mid + 1 } else { hi = mid }
    }
    if lo == 0 { return sorted[0] }
    if lo == sorted.count { return sorted[lo - 1] }
    return x - sorted[lo - 1] < sorted[lo] - x ? sorted[lo - 1] : sorted[lo]
}

/// L = mean over pairs i<j of w_ij·ρ(Ĉ_ij − C_ij), ρ = square or absolute value (λ applied by the caller).
public struct CorrelationLoss {
    /// Encoded column indices whose correlations are constrained.
    public let columns: [Int]
    /// C_train over `columns`, k×k.
    public let target: [Double]
    public let options: CorrelationLossOptions
    /// How the generated columns are decoded before the batch correlation.
    public let space: CorrelationSpace
    let targetTensor: Tensor
    let pairWeights: Tensor

    public init(columns: [Int], target: [Double], space: CorrelationSpace? = nil, options: CorrelationLossOptions) {
        let k = columns.count
        precondition(target.count == k * k, "CorrelationLoss: target must be \(k)×\(k)")
        self.columns = columns
        self.target = target
        self.options = options
        self.space = space ?? .encoded(columns: k)
        precondition(self.space.decoding.count == k, "CorrelationLoss: \(self.space.decoding.count) decodings for \(k) columns")
        targetTensor = Tensor(shape: [k, k], scalars: target.map(Float.init))
        var w = [Float](repeating: 0, count: k * k)
        var total: Float = 0
        for i in 0..<k {
            for j in (i + 1)..<max(k, i + 1) {
                let v: Float = options.weighting == .magnitude ? Float(Swift.abs(target[i * k + j])) : 1
                w[i * k + j] = v
                total += v
            }
        }
        // Normalise so the weights average 1 over pairs: the loss is then a mean over pairs.
        let scale: Float = total > 0 ? 1 / total : 0
        pairWeights = Tensor(shape: [k, k], scalars: w.map { $0 * scale })
    }

    /// Fits the target from encoded train rows [rows × stride].
    public init(columns: [Int], trainEncoded: [Float], rows: Int, stride: Int, options: CorrelationLossOptions) {
        self.init(columns: columns, target: pearsonMatrix(trainEncoded, rows: rows, columns: columns, stride: stride), options: options)
    }

    /// The loss for generated encoded rows [N, W] (unweighted by λ). Needs k ≥ 2 and N ≥ 2.
    public func value(_ generated: Tensor) -> Tensor {
        let difference = batchCorrelation(space.apply(generated.selectColumns(columns))) - targetTensor
        let penalty = options.norm == .squared ? difference * difference : difference.abs()
        return (penalty * pairWeights).sum()
    }
}
