// Statistics of table columns (`[Double]`, NaN = missing) that several modules need, declared
// once: the ascending order of a column and its average ranks, used by Evaluation (the detection
// AUC, the Spearman input order) and Synthesis (the Gaussian copula's normal scores, marginal
// matching). Correlation matrices, the metric's and the models', are Evaluation's
// (`CorrelationMatrix.swift`); weighted ranks stay there too.

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
