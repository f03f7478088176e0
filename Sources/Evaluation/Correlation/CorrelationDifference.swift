// The headline metric: how far the synthetic table's correlation matrix is from the held-out test
// split's, next to what the train split reaches (the floor) and what a table with every
// correlation destroyed reaches (the independent baseline), with a bootstrap interval.

import TabularData
import TensorKit

/// Summary of |C_reference − C_other| over column pairs i < j where both entries are defined.
public struct CorrelationComparison: Codable, Sendable, Equatable {
    /// mean over compared pairs of |ΔC_ij|; 0 is best, at most 2. Nil when no pair is compared.
    public var meanAbsoluteDifference: Double?
    /// max over compared pairs of |ΔC_ij|.
    public var maxAbsoluteDifference: Double?
    /// ‖ΔC‖_F over the off-diagonal entries, both triangles: sqrt(2 Σ_{i<j} ΔC_ij²).
    public var frobeniusNorm: Double?
    /// SDMetrics CorrelationSimilarity averaged over compared pairs: mean(1 − |ΔC_ij| / 2), in [0, 1], 1 best.
    public var pairScore: Double?
    /// `pairScore` over the pairs whose reference |C_ij| exceeds the strong threshold (0.5).
    public var strongPairScore: Double?
    /// Pairs i < j where both matrices are defined.
    public var comparedPairs: Int
    /// Compared pairs whose reference |C_ij| exceeds the strong threshold.
    public var strongPairs: Int
    /// Pairs left out because a column is constant (or has < 2 complete rows) in either table.
    public var excludedPairs: Int
}

/// One column pair's coefficients in each table (nil = undefined there).
public struct PairCorrelation: Codable, Sendable, Equatable {
    public var first: String
    public var second: String
    public var test: Double?
    public var train: Double?
    public var synthetic: Double?
}

/// A percentile bootstrap interval.
public struct BootstrapInterval: Codable, Sendable, Equatable {
    /// 2.5th percentile of the replicate statistics.
    public var lower: Double
    /// 97.5th percentile of the replicate statistics.
    public var upper: Double
    /// Replicates whose statistic was defined (a replicate can make a column constant).
    public var replicates: Int
}

/// Pearson or Spearman correlation difference of the synthetic table against the test split.
public struct CorrelationDifferenceReport: Codable, Sendable, Equatable {
    public var method: CorrelationMethod
    /// The numeric columns compared, in table order.
    public var columns: [String]
    /// Test split (reference) vs synthetic table: the headline figures.
    public var synthetic: CorrelationComparison
    /// Test split vs train split: what a generator that reproduced the train split would reach.
    public var floor: CorrelationComparison
    /// Test split vs the train split with each column shuffled on its own (all correlations destroyed).
    public var independent: CorrelationComparison
    /// Train split (reference) vs synthetic table, as SDV/SDGym and TabSyn report it.
    public var syntheticVsTrain: CorrelationComparison
    /// 95 % percentile bootstrap interval of `synthetic.meanAbsoluteDifference`, resampling test rows.
    public var bootstrapInterval: BootstrapInterval?
    /// (independent − synthetic) / (independent − floor) on the mean absolute differences:
    /// 1 = as good as the train split, 0 = no better than independent columns. Nil unless independent > floor.
    public var gapClosed: Double?
    /// Every pair's coefficients, i < j in column order.
    public var pairs: [PairCorrelation]
}

/// Compares two F×F matrices (row-major, NaN = undefined) over pairs i < j.
func compareCorrelations(reference: [Double], other: [Double], size f: Int, strongThreshold: Double) -> CorrelationComparison {
    var sum = 0.0, squares = 0.0, maximum = 0.0, compared = 0, excluded = 0
    var strongScore = 0.0, strong = 0
    for i in 0..<f {
        for j in (i + 1)..<f {
            let r = reference[i * f + j], o = other[i * f + j]
            if r.isNaN || o.isNaN { excluded += 1; continue }
            let d = abs(r - o)
            sum += d; squares += d * d; maximum = max(maximum, d); compared += 1
            if abs(r) > strongThreshold { strongScore += 1 - d / 2; strong += 1 }
        }
    }
    let n = Double(compared)
    return CorrelationComparison(
        meanAbsoluteDifference: compared > 0 ? sum / n : nil,
        maxAbsoluteDifference: compared > 0 ? maximum : nil,
        frobeniusNorm: compared > 0 ? (2 * squares).squareRoot() : nil,
        pairScore: compared > 0 ? 1 - sum / n / 2 : nil,
        strongPairScore: strong > 0 ? strongScore / Double(strong) : nil,
        comparedPairs: compared, strongPairs: strong, excludedPairs: excluded)
}

/// Correlation difference between two tables over their shared numeric columns, for use every N
/// training steps on a validation slice (no bootstrap, no baselines).
///
/// - Parameters:
///   - reference: real rows (N₁ rows); its column order is used.
///   - synthetic: generated rows (N₂ rows) with the same column names and kinds.
///   - method: `.pearson` (default) or `.spearman`.
/// - Returns: mean, max and Frobenius norm of |C_reference − C_synthetic| over pairs i < j.
/// - Throws: `EvaluationError` when the column names or kinds differ or a table is empty.
public func correlationDifference(
    reference: Table, synthetic: Table, method: CorrelationMethod = .pearson, strongThreshold: Double = 0.5
) throws -> CorrelationComparison {
    let aligned = try AlignedTables([("reference", reference), ("synthetic", synthetic)])
    let matrices = aligned.tables.map { table in
        correlationMatrix(columns: aligned.numericColumns.map { table.numericValues($0) }, method: method)
    }
    return compareCorrelations(reference: matrices[0], other: matrices[1], size: aligned.numericColumns.count, strongThreshold: strongThreshold)
}

/// Pearson correlation difference between two tables; see `correlationDifference`.
public func pearsonDifference(reference: Table, synthetic: Table) throws -> CorrelationComparison {
    try correlationDifference(reference: reference, synthetic: synthetic, method: .pearson)
}

/// The full report on aligned [train, test, synthetic] tables.
func correlationDifferenceReport(
    _ aligned: AlignedTables, method: CorrelationMethod, bootstrapReplicates: Int, strongThreshold: Double, random: RandomStream
) -> CorrelationDifferenceReport {
    let (train, test, synthetic) = (aligned.tables[0], aligned.tables[1], aligned.tables[2])
    let numeric = aligned.numericColumns, f = numeric.count
    func matrix(_ table: Table) -> [Double] {
        correlationMatrix(columns: numeric.map { table.numericValues($0) }, method: method)
    }
    let cTest = matrix(test), cTrain = matrix(train), cSynthetic = matrix(synthetic)
    let shuffled = numeric.map { c -> [Double] in
        var stream = random.child("independent.\(aligned.columnNames[c])")
        let values = train.numericValues(c)
        return stream.permutation(values.count).map { values[$0] }
    }
    let cIndependent = correlationMatrix(columns: shuffled, method: method)
    func compare(_ reference: [Double], _ other: [Double]) -> CorrelationComparison {
        compareCorrelations(reference: reference, other: other, size: f, strongThreshold: strongThreshold)
    }
    let headline = compare(cTest, cSynthetic), floor = compare(cTest, cTrain), independent = compare(cTest, cIndependent)
    var gap: Double?
    if let i = independent.meanAbsoluteDifference, let s = headline.meanAbsoluteDifference,
       let fl = floor.meanAbsoluteDifference, i > fl {
        gap = (i - s) / (i - fl)
    }
    let testColumns = numeric.map { test.numericValues($0) }
    let interval = bootstrapMeanDifference(
        testColumns: testColumns, synthetic: cSynthetic, method: method, replicates: bootstrapReplicates,
        random: random.child("bootstrap"))
    var pairs: [PairCorrelation] = []
    for i in 0..<f {
        for j in (i + 1)..<f {
            func value(_ m: [Double]) -> Double? { m[i * f + j].isNaN ? nil : m[i * f + j] }
            pairs.append(PairCorrelation(
                first: aligned.columnNames[numeric[i]], second: aligned.columnNames[numeric[j]],
                test: value(cTest), train: value(cTrain), synthetic: value(cSynthetic)))
        }
    }
    return CorrelationDifferenceReport(
        method: method, columns: numeric.map { aligned.columnNames[$0] }, synthetic: headline, floor: floor,
        independent: independent, syntheticVsTrain: compare(cTrain, cSynthetic), bootstrapInterval: interval,
        gapClosed: gap, pairs: pairs)
}

/// Percentile 95 % interval of mean |C_test* − C_synthetic| over `replicates` resamples of test rows
/// (a resample is a vector of row multiplicities). Replicate b draws from `random.child(b)`, so the
/// result does not depend on the thread count.
func bootstrapMeanDifference(
    testColumns: [[Double]], synthetic: [Double], method: CorrelationMethod, replicates: Int, random: RandomStream
) -> BootstrapInterval? {
    let rows = testColumns.first?.count ?? 0
    guard replicates > 0, rows > 0, testColumns.count >= 2 else { return nil }
    let f = testColumns.count, input = CorrelationInput(columns: testColumns)
    var statistics = [Double](repeating: .nan, count: replicates)
    statistics.withUnsafeMutableBufferPointer { buffer in
        let out = SendablePointer(buffer.baseAddress!)
        Parallel.forEach(chunks: replicates) { b in
            var stream = random.child(b)
            var counts = [Double](repeating: 0, count: rows)
            for _ in 0..<rows { counts[stream.nextInt(below: rows)] += 1 }
            let c = correlationMatrix(input, method: method, weights: counts)
            let comparison = compareCorrelations(reference: c, other: synthetic, size: f, strongThreshold: 1)
            out.base[b] = comparison.meanAbsoluteDifference ?? .nan
        }
    }
    let defined = statistics.filter { !$0.isNaN }.sorted()
    guard let lower = quantile(sorted: defined, 0.025), let upper = quantile(sorted: defined, 0.975) else { return nil }
    return BootstrapInterval(lower: lower, upper: upper, replicates: defined.count)
}
