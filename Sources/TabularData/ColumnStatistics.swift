// Statistics of table columns (`[Double]`, NaN = missing) that several modules need, declared
// once: the ascending order of a column and its average ranks, used by Evaluation (the detection
// AUC, the Spearman input order) and Synthesis (the Gaussian copula's normal scores, marginal
// matching); and the Pearson matrix of filled columns, used by Synthesis (C_train of the
// correlation constraint, the checkpoint criterion, the Gaussian copula). Weighted ranks and the
// metric's Pearson/Spearman estimator (pairwise-complete rows, bootstrap weights, NaN when
// undefined) stay in Evaluation's `CorrelationMatrix.swift`, which says why.

/// Indices of the present (non-NaN) entries of `values`, in ascending order of `keys` (the values
/// themselves by default), ties by index. Example: [3, NaN, 1, 3] → [2, 0, 3].
public func ascendingOrder(_ values: [Double], by keys: [Double]? = nil) -> [Int] {
    let keys = keys ?? values
    return values.indices.filter { !values[$0].isNaN }.sorted { keys[$0] < keys[$1] || (keys[$0] == keys[$1] && $0 < $1) }
}

/// 1-based ranks of the present values, where tied values share the mean of their positions
/// (scipy.stats.rankdata's "average"); a missing (NaN) value keeps NaN and takes no position.
/// Example: [10, 20, 20, NaN, 5] → [2, 3.5, 3.5, NaN, 1].
public func averageRanks(_ values: [Double]) -> [Double] {
    let order = ascendingOrder(values)
    var ranks = [Double](repeating: .nan, count: values.count)
    var start = 0
    while start < order.count {
        var end = start + 1
        while end < order.count && values[order[end]] == values[order[start]] { end += 1 }
        let rank = Double(start + end + 1) / 2   // mean of positions start+1 ... end
        for k in start..<end { ranks[order[k]] = rank }
        start = end
    }
    return ranks
}

/// How the denominator √Sxx·√Syy of a Pearson coefficient is rounded. The two forms are equal in
/// exact arithmetic but can differ in the last bit in Double, so each caller keeps the one its
/// committed results were computed with.
public enum PearsonDenominator: Sendable {
    /// √Sxx·√Syy: C_train of the correlation constraint and the checkpoint criterion.
    case productOfRoots
    /// √(Sxx·Syy): the Gaussian copula's normal-score correlation.
    case rootOfProduct
}

/// The F×F Pearson matrix (row-major) of `columns`, F columns of N values: population moments,
/// accumulated in Double in row order.
///
/// Conventions: the columns hold no missing values (fill them first: the GAN code fills the column
/// mean, the Gaussian copula scores them 0); the diagonal is 1; a pair whose denominator is at most
/// 1e-12 (a constant column) correlates 0, so a loss target or a copula always gets a number.
public func pearsonMatrix(columns: [[Double]], denominator: PearsonDenominator) -> [Double] {
    let k = columns.count
    var means = [Double](repeating: 0, count: k), squares = means
    for (c, x) in columns.enumerated() {
        var s = 0.0
        for v in x { s += v }
        means[c] = s / Double(max(x.count, 1))
        var ss = 0.0
        for v in x { let d = v - means[c]; ss += d * d }
        squares[c] = ss
    }
    var corr = [Double](repeating: 0, count: k * k)
    for a in 0..<k {
        corr[a * k + a] = 1
        let x = columns[a]
        for b in (a + 1)..<k {
            let y = columns[b]
            var s = 0.0
            for r in x.indices { s += (x[r] - means[a]) * (y[r] - means[b]) }
            let d = switch denominator {
            case .productOfRoots: squares[a].squareRoot() * squares[b].squareRoot()
            case .rootOfProduct: (squares[a] * squares[b]).squareRoot()
            }
            let value = d > 1e-12 ? s / d : 0
            corr[a * k + b] = value
            corr[b * k + a] = value
        }
    }
    return corr
}
