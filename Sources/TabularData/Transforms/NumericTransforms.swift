// The four numeric column transforms and their inverses, each fitted on train values only:
//   standard        z = (x − μ) / σ                          inverse x = σ z + μ
//   minMax          y = 2 (x − min) / (max − min) − 1        inverse x = (y + 1)(max − min)/2 + min
//   quantileNormal  z = Φ⁻¹(F(x)), F piecewise linear        inverse x = F⁻¹(Φ(z))
//                   (integer columns with few values: z = Φ⁻¹ of a point inside the value's CDF
//                   step, inverse the step function; see DiscreteQuantileMap)
//   modeSpecific    k = argmax posterior, s = (x − μ_k)/(4σ_k) clipped to [−1, 1]; inverse x = 4σ_k s + μ_k

import Foundation

/// Which transform numeric columns get; the config's `transform.numeric` takes these names.
public enum NumericTransformKind: String, Codable, Sendable, CaseIterable {
    case standard, minMax, quantileNormal, modeSpecific
}

/// Piecewise-linear empirical CDF through knots (value_j, p_j), both strictly increasing, with
/// p_j the mid-CDF (share below v_j plus half the share equal to it), so 0 < p_j < 1.
public struct QuantileMap: Codable, Sendable, Equatable {
    public var values: [Double]
    public var levels: [Double]

    /// Knots at up to `knotCount` evenly spaced order statistics of `sorted` (ascending, no NaN).
    public init(sorted: [Double], knotCount: Int) {
        let n = sorted.count
        var knots: [Double] = []
        let k = max(2, knotCount)
        for i in 0..<k {
            let v = sorted[Int((Double(i) * Double(n - 1) / Double(k - 1)).rounded(.toNearestOrEven))]
            if knots.last != v { knots.append(v) }
        }
        values = knots
        levels = knots.map { v in
            let below = lowerBound(sorted, v), upTo = upperBound(sorted, v)
            return (Double(below) + 0.5 * Double(upTo - below)) / Double(n)
        }
    }

    /// F(x): linear between knots, clamped to the first/last level outside them.
    public func cdf(_ x: Double) -> Double { interpolate(x, from: values, to: levels) }

    /// F⁻¹(p): linear between knots, clamped to the first/last value outside them.
    public func inverse(_ p: Double) -> Double { interpolate(p, from: levels, to: values) }

    private func interpolate(_ x: Double, from xs: [Double], to ys: [Double]) -> Double {
        if xs.count == 1 || x <= xs[0] { return ys[0] }
        if x >= xs[xs.count - 1] { return ys[ys.count - 1] }
        let j = upperBound(xs, x)  // xs[j-1] <= x < xs[j]
        let t = (x - xs[j - 1]) / (xs[j] - xs[j - 1])
        return ys[j - 1] + t * (ys[j] - ys[j - 1])
    }
}

/// The CDF of a discrete column as steps: value v_j owns the interval (F(v_{j−1}), F(v_j)] of
/// probability. Encoding maps v_j to a point of its interval (the middle, or a uniform draw when
/// dequantising training rows), so the normal scores of a discrete column are continuous and
/// exactly standard normal when dequantised; decoding maps the point back to v_j, exactly.
public struct DiscreteQuantileMap: Codable, Sendable, Equatable {
    /// Distinct train values, ascending.
    public var values: [Double]
    /// cumulative[j] = share of train values ≤ values[j]; the last is 1.
    public var cumulative: [Double]

    /// Fits the steps on `sorted` train values (ascending, no NaN, not empty).
    public init(sorted: [Double]) {
        var values: [Double] = [], cumulative: [Double] = []
        let n = Double(sorted.count)
        for (i, v) in sorted.enumerated() where i + 1 == sorted.count || sorted[i + 1] != v {
            values.append(v)
            cumulative.append(Double(i + 1) / n)
        }
        cumulative[cumulative.count - 1] = 1
        self.values = values
        self.cumulative = cumulative
    }

    /// The probability interval of the step holding `x` (the nearest value's when `x` is not a train value).
    func interval(_ x: Double) -> (lower: Double, upper: Double) {
        var j = lowerBound(values, x)
        if j == values.count || (j > 0 && x - values[j - 1] < values[j] - x) { j = max(j - 1, 0) }
        return (j == 0 ? 0 : cumulative[j - 1], cumulative[j])
    }

    /// The value whose step holds probability `p`.
    public func inverse(_ p: Double) -> Double {
        values[min(lowerBound(cumulative, p), values.count - 1)]
    }
}

/// First index with sorted[i] >= value.
func lowerBound(_ sorted: [Double], _ value: Double) -> Int {
    var lo = 0, hi = sorted.count
    while lo < hi { let mid = (lo + hi) / 2; if sorted[mid] < value { lo = mid + 1 } else { hi = mid } }
    return lo
}

/// First index with sorted[i] > value.
func upperBound(_ sorted: [Double], _ value: Double) -> Int {
    var lo = 0, hi = sorted.count
    while lo < hi { let mid = (lo + hi) / 2; if sorted[mid] <= value { lo = mid + 1 } else { hi = mid } }
    return lo
}

/// A fitted numeric transform: `encode` gives the value-span scalar (and, for modeSpecific, the
/// mode index); `decode` inverts it.
public enum NumericEncoder: Codable, Sendable, Equatable {
    case standard(mean: Double, std: Double)
    case minMax(minimum: Double, maximum: Double)
    case quantileNormal(QuantileMap)
    case modeSpecific(GaussianMixture1D)
    /// `quantileNormal` on a column with at most `TransformOptions.discreteLevels` distinct values
    /// (integer-typed, or any numeric column whose values repeat: at most one distinct value per two rows).
    case discreteNormal(DiscreteQuantileMap)

    /// Fits `kind` on `sorted` train values (ascending, no NaN, not empty); `integer` marks an
    /// integer-typed column.
    static func fit(_ kind: NumericTransformKind, sorted: [Double], integer: Bool = false, options: TransformOptions) -> NumericEncoder {
        let n = Double(sorted.count)
        switch kind {
        case .standard:
            let mean = sorted.reduce(0, +) / n
            let std = (sorted.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n).squareRoot()
            return .standard(mean: mean, std: std > 0 ? std : 1)
        case .minMax:
            return .minMax(minimum: sorted[0], maximum: sorted[sorted.count - 1])
        case .quantileNormal:
            let discrete = DiscreteQuantileMap(sorted: sorted)
            if discrete.values.count > 1 && discrete.values.count <= options.discreteLevels && (integer || 2 * discrete.values.count <= sorted.count) {
                return .discreteNormal(discrete)
            }
            return .quantileNormal(QuantileMap(sorted: sorted, knotCount: options.quantileCount))
        case .modeSpecific:
            // EM on evenly spaced order statistics keeps the fit's cost bounded on big columns.
            let limit = max(2, options.mixtureSampleLimit)
            let sample = sorted.count <= limit ? sorted
                : (0..<limit).map { sorted[Int((Double($0) * (n - 1) / Double(limit - 1)).rounded(.toNearestOrEven))] }
            return .modeSpecific(GaussianMixture1D.fit(sortedValues: sample, maxModes: options.maxModes,
                                                       weightThreshold: options.modeWeightThreshold, maxIterations: options.mixtureIterations))
        }
    }

    /// Number of modes (1 unless modeSpecific).
    var modeCount: Int {
        if case .modeSpecific(let gmm) = self { return gmm.count }
        return 1
    }

    /// The value-span scalar and the mode index for train-scale value `x`.
    func encode(_ x: Double) -> (value: Double, mode: Int) {
        switch self {
        case .standard(let mean, let std):
            return ((x - mean) / std, 0)
        case .minMax(let lo, let hi):
            return (hi > lo ? 2 * (x - lo) / (hi - lo) - 1 : 0, 0)
        case .quantileNormal(let map):
            return (map.values.count == 1 ? 0 : normalQuantile(map.cdf(x)), 0)
        case .modeSpecific(let gmm):
            let k = gmm.mostLikelyComponent(x)
            return (min(1, max(-1, (x - gmm.means[k]) / (4 * gmm.stds[k]))), k)
        case .discreteNormal(let map):
            let (lower, upper) = map.interval(x)
            return (normalQuantile((lower + upper) / 2), 0)
        }
    }

    /// The value-span scalar for `x` with the discrete map's point drawn uniformly inside x's step
    /// (`u` in (0, 1)); the deterministic `encode` for every other transform.
    func encode(_ x: Double, dequantizing u: Double) -> Double {
        guard case .discreteNormal(let map) = self else { return encode(x).value }
        let (lower, upper) = map.interval(x)
        return normalQuantile(lower + u * (upper - lower))
    }

    /// Inverse of `encode` (before rounding and clipping to the train range).
    func decode(value: Double, mode: Int) -> Double {
        switch self {
        case .standard(let mean, let std):
            return value * std + mean
        case .minMax(let lo, let hi):
            return (value + 1) / 2 * (hi - lo) + lo
        case .quantileNormal(let map):
            return map.inverse(normalCDF(value))
        case .modeSpecific(let gmm):
            return min(1, max(-1, value)) * 4 * gmm.stds[mode] + gmm.means[mode]
        case .discreteNormal(let map):
            return map.inverse(normalCDF(value))
        }
    }

    /// The values a discrete column decodes to (ascending); nil for continuous transforms.
    public var discreteLevels: [Double]? {
        if case .discreteNormal(let map) = self { return map.values }
        return nil
    }

    /// The share of the train values held by a discrete column's most common value; nil for
    /// continuous transforms.
    public var largestLevelShare: Double? {
        guard case .discreteNormal(let map) = self else { return nil }
        return zip(map.cumulative, [0] + map.cumulative.dropLast()).map { $0 - $1 }.max()
    }

    /// Knots (value-span scalar → train-scale value) of a continuous, monotone stand-in for
    /// `decode` that a loss can differentiate: quantileNormal's inverse CDF at its knots; a discrete
    /// column's steps joined by ramps of half-width `ramp` (normal-score units) at each step edge.
    /// nil for affine decodings (standard, minMax: Pearson is unchanged) and for modeSpecific.
    public func decodingKnots(ramp: Double = 0.25) -> (scores: [Double], values: [Double])? {
        switch self {
        case .standard, .minMax, .modeSpecific:
            return nil
        case .quantileNormal(let map):
            return (map.levels.map(normalQuantile), map.values)
        case .discreteNormal(let map):
            let edges = map.cumulative.dropLast().map(normalQuantile)
            var scores: [Double] = [], values: [Double] = []
            for (j, t) in edges.enumerated() {
                let room = min(j > 0 ? t - edges[j - 1] : .infinity, j + 1 < edges.count ? edges[j + 1] - t : .infinity)
                let w = min(ramp, room / 3)
                scores += [t - w, t + w]
                values += [map.values[j], map.values[j + 1]]
            }
            return (scores, values)
        }
    }
}
