// Synthesizers that need no training, SDGym's brackets: `identity` (the train split itself, the
// floor on correlation and the worst case for privacy), `independent` (each column bootstrapped
// on its own: keeps marginals, destroys every dependency), and `gaussianCopula` (empirical
// marginals joined by a Gaussian copula fitted on the train split's normal scores).

import Foundation
import Evaluation
import TabularData
import TensorKit

/// The train split's rows, resampled with replacement when more rows are asked for.
public func identitySample(_ train: Table, rows: Int, rng: inout RandomStream) -> Table {
    if rows == train.rowCount { return train }
    return train.selecting(rows: rng.sampleWithReplacement(rows, from: train.rowCount))
}

/// Each column bootstrapped independently from the train split.
public func independentSample(_ train: Table, rows: Int, rng: inout RandomStream) -> Table {
    Table(columns: train.columns.enumerated().map { index, column in
        var stream = rng.child("column.\(index)")
        return column.selecting(rows: stream.sampleWithReplacement(rows, from: train.rowCount))
    })
}

/// Gaussian copula over all columns: numeric columns through their empirical CDF, categorical
/// columns through the cumulative frequency intervals of their levels (missing = its own level).
public struct GaussianCopula {
    let train: Table
    /// Per column: sorted observed values (numeric) and missing rate.
    let sortedValues: [[Double]]
    let missingRates: [Double]
    /// Per categorical column: level probabilities (missing last).
    let levelProbabilities: [[Double]]
    /// Lower-triangular Cholesky factor of the normal-score correlation matrix, F×F.
    public let cholesky: [Double]
    /// The normal-score correlation matrix, F×F.
    public let correlation: [Double]

    public init(fit train: Table) {
        self.train = train
        let n = train.rowCount, f = train.columnCount
        var sorted: [[Double]] = [], missing: [Double] = [], levels: [[Double]] = []
        var scores = [[Double]](repeating: [Double](repeating: 0, count: n), count: f)
        for (j, column) in train.columns.enumerated() {
            switch column.values {
            case .numeric(let v):
                let observed = v.filter { !$0.isNaN }.sorted()
                sorted.append(observed)
                missing.append(1 - Double(observed.count) / Double(max(n, 1)))
                levels.append([])
                // Normal scores from average ranks of the present values; missing cells score 0.
                let ranks = averageRanks(v)
                let m = Double(max(observed.count, 1))
                for r in 0..<n { scores[j][r] = v[r].isNaN ? 0 : normalQuantile((ranks[r] - 0.5) / m) }
            case .categorical(let codes, let names):
                sorted.append([])
                missing.append(0)
                var counts = [Double](repeating: 0, count: names.count + 1)
                for c in codes { counts[c < 0 ? names.count : Int(c)] += 1 }
                let probs = counts.map { $0 / Double(max(n, 1)) }
                levels.append(probs)
                var start = [Double](repeating: 0, count: probs.count)
                for k in 1..<probs.count { start[k] = start[k - 1] + probs[k - 1] }
                for r in 0..<n {
                    let k = codes[r] < 0 ? names.count : Int(codes[r])
                    scores[j][r] = normalQuantile(start[k] + probs[k] / 2)
                }
            }
        }
        sortedValues = sorted
        missingRates = missing
        levelProbabilities = levels
        correlation = pearsonMatrix(columns: scores)
        cholesky = choleskyFactor(correlation, size: f)
    }

    /// `rows` synthetic rows with the train split's column names, types and order.
    public func sample(rows: Int, rng: inout RandomStream) -> Table {
        let f = train.columnCount
        var z = [Double](repeating: 0, count: f), u = [Double](repeating: 0, count: rows * f)
        for r in 0..<rows {
            for j in 0..<f { z[j] = rng.nextNormal() }
            for j in 0..<f {
                var s = 0.0
                for k in 0...j { s += cholesky[j * f + k] * z[k] }
                u[r * f + j] = normalCDF(s)
            }
        }
        var missingRng = rng.child("missing")
        let columns = train.columns.enumerated().map { j, column -> Column in
            switch column.values {
            case .numeric:
                let values = sortedValues[j]
                let out = (0..<rows).map { r -> Double in
                    if values.isEmpty || missingRng.nextUniform() < missingRates[j] { return .nan }
                    return empiricalQuantile(values, u[r * f + j])
                }
                // At the train split's own precision (an interpolated quantile has 17 digits).
                let decimals = sourceDecimals(values)
                return Column(name: column.name, type: column.type, values: .numeric(decimals.map { d in out.map { rounded($0, decimals: d) } } ?? out))
            case .categorical(_, let names):
                let probs = levelProbabilities[j]
                let codes = (0..<rows).map { r -> Int32 in
                    var acc = 0.0
                    for (k, p) in probs.enumerated() {
                        acc += p
                        if u[r * f + j] < acc || k == probs.count - 1 { return k == names.count ? -1 : Int32(k) }
                    }
                    return -1
                }
                return Column(name: column.name, type: column.type, values: .categorical(codes: codes, levels: names))
            }
        }
        return Table(columns: columns)
    }
}

/// Linear interpolation between order statistics at probability u ∈ (0, 1).
func empiricalQuantile(_ sorted: [Double], _ u: Double) -> Double {
    let position = u * Double(sorted.count) - 0.5
    if position <= 0 { return sorted[0] }
    let i = Int(position)
    if i >= sorted.count - 1 { return sorted[sorted.count - 1] }
    let t = position - Double(i)
    return sorted[i] * (1 - t) + sorted[i + 1] * t
}

/// Cholesky factor L (row-major, lower) of a symmetric matrix; a small ridge is added when the
/// matrix is not positive definite (e.g. duplicated columns).
func choleskyFactor(_ a: [Double], size n: Int) -> [Double] {
    var ridge = 0.0
    while true {
        var l = [Double](repeating: 0, count: n * n)
        var ok = true
        outer: for i in 0..<n {
            for j in 0...i {
                var s = a[i * n + j] + (i == j ? ridge : 0)
                for k in 0..<j { s -= l[i * n + k] * l[j * n + k] }
                if i == j {
                    if s <= 1e-12 { ok = false; break outer }
                    l[i * n + i] = s.squareRoot()
                } else {
                    l[i * n + j] = s / l[j * n + j]
                }
            }
        }
        if ok { return l }
        ridge = ridge == 0 ? 1e-6 : ridge * 10
    }
}
