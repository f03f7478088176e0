// Per-column (marginal) fidelity against the test split: the two-sample Kolmogorov–Smirnov
// statistic and the Wasserstein-1 distance over the test column's standard deviation for numeric
// columns, total-variation distance for categorical ones. Missing values are left out.

import TabularData

/// One numeric column's marginal distances (synthetic vs test, and train vs test as the floor).
public struct NumericMarginal: Codable, Sendable, Equatable {
    public var column: String
    /// sup_x |F_test(x) − F_synthetic(x)|, in [0, 1], 0 best.
    public var ksStatistic: Double?
    /// W₁(test, synthetic) / std(test) (population std, ddof 0), ≥ 0, 0 best; nil when std(test) = 0.
    public var wassersteinOverStd: Double?
    public var floorKSStatistic: Double?
    public var floorWassersteinOverStd: Double?
}

/// One categorical column's marginal distance.
public struct CategoricalMarginal: Codable, Sendable, Equatable {
    public var column: String
    /// ½ Σ_k |p_test(k) − p_synthetic(k)| over level shares of present values, in [0, 1], 0 best.
    public var totalVariation: Double?
    public var floorTotalVariation: Double?
}

/// All marginal figures, with means over columns (columns where the figure is defined).
public struct MarginalReport: Codable, Sendable, Equatable {
    public var numeric: [NumericMarginal]
    public var categorical: [CategoricalMarginal]
    public var meanKSStatistic: Double?
    public var meanWassersteinOverStd: Double?
    public var meanTotalVariation: Double?
    public var floorMeanKSStatistic: Double?
    public var floorMeanWassersteinOverStd: Double?
    public var floorMeanTotalVariation: Double?
}

/// Two-sample KS statistic of ascending `a` and `b` (as `scipy.stats.ks_2samp(...).statistic`);
/// nil when either is empty. Also the marginal term of the GAN's checkpoint criterion.
public func ksStatistic(sortedA a: [Double], sortedB b: [Double]) -> Double? {
    guard !a.isEmpty, !b.isEmpty else { return nil }
    var i = 0, j = 0, d = 0.0
    let n = Double(a.count), m = Double(b.count)
    while i < a.count && j < b.count {
        let v = min(a[i], b[j])
        while i < a.count && a[i] == v { i += 1 }
        while j < b.count && b[j] == v { j += 1 }
        d = max(d, abs(Double(i) / n - Double(j) / m))
    }
    return d
}

/// Wasserstein-1 distance ∫|F_a − F_b| dx of ascending `a` and `b` (as `scipy.stats.wasserstein_distance`).
func wasserstein1(sortedA a: [Double], sortedB b: [Double]) -> Double? {
    guard !a.isEmpty, !b.isEmpty else { return nil }
    var i = 0, j = 0, distance = 0.0
    let n = Double(a.count), m = Double(b.count)
    var previous = min(a[0], b[0])
    while i < a.count || j < b.count {
        let v = min(i < a.count ? a[i] : .infinity, j < b.count ? b[j] : .infinity)
        distance += abs(Double(i) / n - Double(j) / m) * (v - previous)
        while i < a.count && a[i] == v { i += 1 }
        while j < b.count && b[j] == v { j += 1 }
        previous = v
    }
    return distance
}

/// Total-variation distance between the level shares of two code arrays (-1 = missing).
func totalVariation(_ a: [Int32], _ b: [Int32], levels: Int) -> Double? {
    func shares(_ codes: [Int32]) -> [Double]? {
        var counts = [Double](repeating: 0, count: levels), n = 0.0
        for c in codes where c >= 0 { counts[Int(c)] += 1; n += 1 }
        return n > 0 ? counts.map { $0 / n } : nil
    }
    guard let p = shares(a), let q = shares(b) else { return nil }
    return zip(p, q).reduce(0) { $0 + abs($1.0 - $1.1) } / 2
}

/// Population standard deviation (ddof 0); nil when empty.
private func populationStd(_ x: [Double]) -> Double? {
    guard let m = mean(x) else { return nil }
    return (x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count)).squareRoot()
}

/// Marginal report on aligned [train, test, synthetic] tables.
func marginalReport(_ aligned: AlignedTables) -> MarginalReport {
    let (train, test, synthetic) = (aligned.tables[0], aligned.tables[1], aligned.tables[2])
    let numeric = aligned.numericColumns.map { c -> NumericMarginal in
        func present(_ t: Table) -> [Double] { t.numericValues(c).filter { !$0.isNaN }.sorted() }
        let reference = present(test), std = populationStd(reference)
        func scaled(_ w: Double?) -> Double? {
            guard let w, let std, std > 0 else { return nil }
            return w / std
        }
        let s = present(synthetic), r = present(train)
        return NumericMarginal(
            column: aligned.columnNames[c], ksStatistic: ksStatistic(sortedA: reference, sortedB: s),
            wassersteinOverStd: scaled(wasserstein1(sortedA: reference, sortedB: s)),
            floorKSStatistic: ksStatistic(sortedA: reference, sortedB: r),
            floorWassersteinOverStd: scaled(wasserstein1(sortedA: reference, sortedB: r)))
    }
    let categorical = aligned.categoricalColumns.map { c -> CategoricalMarginal in
        let levels = aligned.levels[c].count, reference = test.categoricalCodes(c)
        return CategoricalMarginal(
            column: aligned.columnNames[c],
            totalVariation: totalVariation(reference, synthetic.categoricalCodes(c), levels: levels),
            floorTotalVariation: totalVariation(reference, train.categoricalCodes(c), levels: levels))
    }
    return MarginalReport(
        numeric: numeric, categorical: categorical,
        meanKSStatistic: meanOfPresent(numeric.map(\.ksStatistic)),
        meanWassersteinOverStd: meanOfPresent(numeric.map(\.wassersteinOverStd)),
        meanTotalVariation: meanOfPresent(categorical.map(\.totalVariation)),
        floorMeanKSStatistic: meanOfPresent(numeric.map(\.floorKSStatistic)),
        floorMeanWassersteinOverStd: meanOfPresent(numeric.map(\.floorWassersteinOverStd)),
        floorMeanTotalVariation: meanOfPresent(categorical.map(\.floorTotalVariation)))
}
