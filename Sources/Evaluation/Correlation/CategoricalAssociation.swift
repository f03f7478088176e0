// Association between categorical columns (Cramér's V, uncorrected) and between numeric and
// categorical columns (the correlation ratio η), compared between the test split and the
// synthetic table; the train split gives the floor. Rows missing either value are skipped.

/// One pair's association in each table (nil = undefined there).
public struct PairAssociation: Codable, Sendable, Equatable {
    /// First column (for η: the numeric column).
    public var first: String
    /// Second column (for η: the categorical column).
    public var second: String
    public var test: Double?
    public var train: Double?
    public var synthetic: Double?
}

/// |A_test − A_synthetic| over pairs defined in both tables, with the train split's figure.
public struct AssociationComparison: Codable, Sendable, Equatable {
    /// Mean over compared pairs of |A_test − A_synthetic|, in [0, 1], 0 best.
    public var meanAbsoluteDifference: Double?
    public var maxAbsoluteDifference: Double?
    /// Mean |A_test − A_train| over pairs defined in both: the floor.
    public var floorMeanAbsoluteDifference: Double?
    public var comparedPairs: Int
    /// Pairs undefined in the test or synthetic table (a single observed level, or constant numbers).
    public var excludedPairs: Int
    public var pairs: [PairAssociation]
}

/// Both association families.
public struct AssociationReport: Codable, Sendable, Equatable {
    /// Cramér's V = sqrt(χ² / (n · (min(r, c) − 1))) without bias correction, per categorical pair.
    public var cramersV: AssociationComparison
    /// η = sqrt(SS_between / SS_total) of the numeric column grouped by the categorical one.
    public var correlationRatio: AssociationComparison
}

/// Uncorrected Cramér's V of two code arrays (-1 = missing) over `levelsA` × `levelsB` levels.
/// Levels never observed on the complete rows are dropped; nil when fewer than two remain on a side.
func cramersV(_ a: [Int32], _ b: [Int32], levelsA: Int, levelsB: Int) -> Double? {
    var counts = [Double](repeating: 0, count: levelsA * levelsB)
    var n = 0.0
    for (x, y) in zip(a, b) where x >= 0 && y >= 0 {
        counts[Int(x) * levelsB + Int(y)] += 1
        n += 1
    }
    var rowTotals = [Double](repeating: 0, count: levelsA), columnTotals = [Double](repeating: 0, count: levelsB)
    for i in 0..<levelsA {
        for j in 0..<levelsB {
            rowTotals[i] += counts[i * levelsB + j]
            columnTotals[j] += counts[i * levelsB + j]
        }
    }
    let r = rowTotals.filter { $0 > 0 }.count, c = columnTotals.filter { $0 > 0 }.count
    guard min(r, c) >= 2 else { return nil }
    var chiSquare = 0.0
    for i in 0..<levelsA where rowTotals[i] > 0 {
        for j in 0..<levelsB where columnTotals[j] > 0 {
            let expected = rowTotals[i] * columnTotals[j] / n
            let d = counts[i * levelsB + j] - expected
            chiSquare += d * d / expected
        }
    }
    return min(1, (chiSquare / (n * Double(min(r, c) - 1))).squareRoot())
}

/// Correlation ratio η of `values` (NaN = missing) grouped by `codes` (-1 = missing).
/// Nil when fewer than two groups are observed or the values are constant.
func correlationRatio(values: [Double], codes: [Int32], levels: Int) -> Double? {
    var sums = [Double](repeating: 0, count: levels), counts = [Double](repeating: 0, count: levels)
    var total = 0.0, n = 0.0
    for (x, g) in zip(values, codes) where !x.isNaN && g >= 0 {
        sums[Int(g)] += x; counts[Int(g)] += 1; total += x; n += 1
    }
    guard counts.filter({ $0 > 0 }).count >= 2 else { return nil }
    let grandMean = total / n
    var ssTotal = 0.0
    for (x, g) in zip(values, codes) where !x.isNaN && g >= 0 { ssTotal += (x - grandMean) * (x - grandMean) }
    guard ssTotal > 0 else { return nil }
    var ssBetween = 0.0
    for g in 0..<levels where counts[g] > 0 {
        let d = sums[g] / counts[g] - grandMean
        ssBetween += counts[g] * d * d
    }
    return min(1, (ssBetween / ssTotal).squareRoot())
}

/// Association report on aligned [train, test, synthetic] tables.
func associationReport(_ aligned: AlignedTables) -> AssociationReport {
    let categorical = aligned.categoricalColumns, numeric = aligned.numericColumns
    var vPairs: [PairAssociation] = []
    for (p, i) in categorical.enumerated() {
        for j in categorical[(p + 1)...] {
            let values = aligned.tables.map {
                cramersV($0.categoricalCodes(i), $0.categoricalCodes(j), levelsA: aligned.levels[i].count, levelsB: aligned.levels[j].count)
            }
            vPairs.append(PairAssociation(
                first: aligned.columnNames[i], second: aligned.columnNames[j], test: values[1], train: values[0], synthetic: values[2]))
        }
    }
    var etaPairs: [PairAssociation] = []
    for i in numeric {
        for j in categorical {
            let values = aligned.tables.map {
                correlationRatio(values: $0.numericValues(i), codes: $0.categoricalCodes(j), levels: aligned.levels[j].count)
            }
            etaPairs.append(PairAssociation(
                first: aligned.columnNames[i], second: aligned.columnNames[j], test: values[1], train: values[0], synthetic: values[2]))
        }
    }
    return AssociationReport(cramersV: summarise(vPairs), correlationRatio: summarise(etaPairs))
}

private func summarise(_ pairs: [PairAssociation]) -> AssociationComparison {
    var differences: [Double] = [], floors: [Double] = []
    for pair in pairs {
        if let t = pair.test, let s = pair.synthetic { differences.append(abs(t - s)) }
        if let t = pair.test, let r = pair.train { floors.append(abs(t - r)) }
    }
    return AssociationComparison(
        meanAbsoluteDifference: mean(differences), maxAbsoluteDifference: differences.max(),
        floorMeanAbsoluteDifference: mean(floors), comparedPairs: differences.count,
        excludedPairs: pairs.count - differences.count, pairs: pairs)
}
