// Small order statistics shared by the metrics: average ranks (ties share their mean rank, as
// scipy.stats.rankdata), percentiles with numpy's default linear interpolation, and medians.

/// 1-based ranks of `values` where tied values share the mean of their positions.
/// `values` must not contain NaN. Example: [10, 20, 20, 5] → [2, 3.5, 3.5, 1].
func averageRanks(_ values: [Double]) -> [Double] {
    let order = values.indices.sorted { values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1) }
    var ranks = [Double](repeating: 0, count: values.count)
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

/// The `q`-quantile (0...1) of ascending `sorted` values by linear interpolation between order
/// statistics (numpy's default `method="linear"`). Nil for an empty array.
func quantile(sorted: [Double], _ q: Double) -> Double? {
    guard !sorted.isEmpty else { return nil }
    let position = q * Double(sorted.count - 1)
    let low = Int(position.rounded(.down)), high = min(low + 1, sorted.count - 1)
    let fraction = position - Double(low)
    return sorted[low] + fraction * (sorted[high] - sorted[low])
}

/// The median of `values` (mean of the two middle values for an even count). Nil when empty.
func median(_ values: [Double]) -> Double? { quantile(sorted: values.sorted(), 0.5) }

/// Arithmetic mean, nil when empty.
func mean(_ values: [Double]) -> Double? {
    values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
}

/// Mean of the non-nil values, nil when there are none.
func meanOfPresent(_ values: [Double?]) -> Double? { mean(values.compactMap { $0 }) }
