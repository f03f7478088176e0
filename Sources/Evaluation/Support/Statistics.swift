// Small order statistics shared by the metrics: percentiles with numpy's default linear
// interpolation, medians and means. Average ranks are TabularData's `averageRanks`.

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
