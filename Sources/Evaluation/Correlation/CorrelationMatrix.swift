// Pearson and Spearman correlation matrices over numeric columns with NaN for missing values,
// computed on pairwise-complete rows (as pandas `DataFrame.corr`). Rows carry integer weights
// (multiplicities), so a bootstrap resample is a weight vector and needs no re-sorting. A pair
// with fewer than two complete rows, or constant on them, is NaN ("undefined"), never a number.
// This is TabCorr's one Pearson estimator: the metrics use it as is, and the models (C_train of
// the correlation constraint, the checkpoint criterion, the Gaussian copula) through
// `pearsonMatrix(columns:)`, which reads an undefined pair as 0 because a target needs a number.
// (The differentiable batch correlation of the constraint, `batchCorrelation`, computes the same
// coefficient on a tensor; a test holds the two equal.)

import TabularData

/// Which correlation coefficient a matrix holds.
public enum CorrelationMethod: String, Codable, Sendable {
    /// Pearson's product-moment correlation of the values.
    case pearson
    /// Spearman's rank correlation: Pearson on average ranks (ties share their mean rank).
    case spearman
}

/// F columns of N values (NaN = missing) with each column's present rows sorted by value once.
struct CorrelationInput: Sendable {
    let columns: [[Double]]
    /// Per column: indices of present values in ascending value order (ties by index).
    let sortedPresent: [[Int]]
    /// Per column: true when no value is missing.
    let complete: [Bool]

    init(columns: [[Double]]) {
        self.columns = columns
        sortedPresent = columns.map { ascendingOrder($0) }
        complete = columns.map { !$0.contains { $0.isNaN } }
    }

    var rowCount: Int { columns.first?.count ?? 0 }
}

/// The F×F correlation matrix (row-major) of `columns` (F columns of N values, NaN = missing).
///
/// Entry (i, j) uses only the rows where both columns are present; for Spearman those rows are
/// ranked afresh (average ranks). Undefined entries are NaN, including the diagonal of a constant column.
func correlationMatrix(columns: [[Double]], method: CorrelationMethod) -> [Double] {
    let input = CorrelationInput(columns: columns)
    return correlationMatrix(input, method: method, weights: [Double](repeating: 1, count: input.rowCount))
}

/// The Pearson matrix a model can use as a target: `correlationMatrix(columns:method: .pearson)`
/// (pairwise-complete rows) with every undefined entry replaced by 0 off the diagonal and 1 on it,
/// so a constant column, or a pair that is never present together, correlates 0.
public func pearsonMatrix(columns: [[Double]]) -> [Double] {
    let f = columns.count
    var matrix = correlationMatrix(columns: columns, method: .pearson)
    for i in 0..<f {
        for j in 0..<f where matrix[i * f + j].isNaN { matrix[i * f + j] = i == j ? 1 : 0 }
    }
    return matrix
}

/// The correlation matrix with row k counted `weights[k]` times (integer multiplicities; 0 drops
/// the row): equal to the matrix of the table with rows repeated accordingly.
func correlationMatrix(_ input: CorrelationInput, method: CorrelationMethod, weights: [Double]) -> [Double] {
    let f = input.columns.count, n = input.rowCount
    var matrix = [Double](repeating: .nan, count: f * f)
    let allRows = [Bool](repeating: true, count: n)
    // Complete columns: one centred unit vector each, shared by all their complete pairs.
    let unitColumns: [[Double]?] = (0..<f).map { i in
        guard input.complete[i] else { return nil }
        let values = method == .spearman ? weightedRanks(input, column: i, weights: weights, include: allRows) : input.columns[i]
        return weightedUnitVector(values, weights: weights, include: allRows)
    }
    var include = [Bool](repeating: false, count: n)
    for i in 0..<f {
        for j in i..<f {
            var r = Double.nan
            if input.complete[i] && input.complete[j] {
                if let a = unitColumns[i], let b = unitColumns[j] { r = i == j ? 1 : weightedDot(a, b, weights) }
            } else {
                let x = input.columns[i], y = input.columns[j]
                for k in 0..<n { include[k] = !x[k].isNaN && !y[k].isNaN }
                let a = method == .spearman ? weightedRanks(input, column: i, weights: weights, include: include) : x
                let b = method == .spearman ? weightedRanks(input, column: j, weights: weights, include: include) : y
                if let ua = weightedUnitVector(a, weights: weights, include: include),
                   let ub = weightedUnitVector(b, weights: weights, include: include) {
                    r = i == j ? 1 : weightedDot(ua, ub, weights)
                }
            }
            matrix[i * f + j] = r
            matrix[j * f + i] = r
        }
    }
    return matrix
}

/// Average ranks (1-based) of column `c` among the rows with `include` and positive weight, each
/// row counted `weights[k]` times; other rows get 0. One pass over the presorted order. This is
/// TabularData's `averageRanks` with weights and a row mask (a bootstrap resample re-ranks by
/// weights without sorting again), so it is not that function.
private func weightedRanks(_ input: CorrelationInput, column c: Int, weights: [Double], include: [Bool]) -> [Double] {
    let values = input.columns[c], order = input.sortedPresent[c]
    var ranks = [Double](repeating: 0, count: values.count)
    var below = 0.0, start = 0
    while start < order.count {
        var end = start, tiedWeight = 0.0
        while end < order.count && values[order[end]] == values[order[start]] {
            let k = order[end]
            if include[k] { tiedWeight += weights[k] }
            end += 1
        }
        let rank = below + (tiedWeight + 1) / 2   // mean of positions below+1 ... below+tiedWeight
        for position in start..<end where include[order[position]] { ranks[order[position]] = rank }
        below += tiedWeight
        start = end
    }
    return ranks
}

/// (x − x̄_w) / sqrt(Σ_w (x − x̄_w)²) on included rows (0 elsewhere), or nil when the included
/// rows weigh less than 2 or their values are all equal.
private func weightedUnitVector(_ x: [Double], weights: [Double], include: [Bool]) -> [Double]? {
    var total = 0.0, sum = 0.0, low = Double.infinity, high = -Double.infinity
    for k in x.indices where include[k] && weights[k] > 0 {
        total += weights[k]; sum += weights[k] * x[k]
        low = min(low, x[k]); high = max(high, x[k])
    }
    guard total >= 2, low < high else { return nil }
    let mean = sum / total
    var centred = [Double](repeating: 0, count: x.count), squares = 0.0
    for k in x.indices where include[k] && weights[k] > 0 {
        centred[k] = x[k] - mean
        squares += weights[k] * centred[k] * centred[k]
    }
    guard squares > 0 else { return nil }
    let scale = 1 / squares.squareRoot()
    for k in centred.indices { centred[k] *= scale }
    return centred
}

/// Σ_k w_k a_k b_k limited to [−1, 1] (rounding can push a correlation just past ±1).
private func weightedDot(_ a: [Double], _ b: [Double], _ w: [Double]) -> Double {
    var sum = 0.0
    for k in a.indices { sum += w[k] * a[k] * b[k] }
    return min(1, max(-1, sum))
}
