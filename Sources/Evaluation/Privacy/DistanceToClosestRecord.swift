// Privacy: distance to closest record (DCR) from every synthetic row to the train split (seeded
// subsample of the test split's size) and to the test split, in the train split's encoding
// (standardised numerics, one-hot categoricals, missing → 0 plus an indicator).

import TabularData
import TensorKit

/// DCR summary; distances are Euclidean in the encoded space.
public struct PrivacyReport: Codable, Sendable, Equatable {
    /// Median over synthetic rows of the distance to the nearest (subsampled) train row.
    public var medianDistanceToTrain: Double
    /// Median over synthetic rows of the distance to the nearest test row.
    public var medianDistanceToTest: Double
    /// Share of synthetic rows strictly closer to train than to test, ties counted half;
    /// ≈ 0.5 no memorisation, → 1 copying.
    public var shareCloserToTrain: Double
    /// Share of synthetic rows at distance 0 from a (subsampled) train row: exact copies.
    public var exactMatchShareTrain: Double
    /// Share of synthetic rows at distance 0 from a test row.
    public var exactMatchShareTest: Double
    public var syntheticRows: Int
    /// Train rows used: min(train rows, test rows).
    public var trainRowsUsed: Int
    public var testRows: Int
}

/// Privacy report on aligned [train, test, synthetic] tables.
func privacyReport(_ aligned: AlignedTables, random: RandomStream) -> PrivacyReport {
    let (train, test, synthetic) = (aligned.tables[0], aligned.tables[1], aligned.tables[2])
    let columns = Array(aligned.columnNames.indices)
    let encoder = FeatureEncoder(
        fitting: train, rows: Array(0..<train.rowCount), columns: columns, levels: aligned.levels,
        indicatorColumns: columnsWithMissing(aligned.tables, among: columns))
    let used = min(train.rowCount, test.rowCount)
    var stream = random.child("trainSubsample")
    let trainRows = train.rowCount > used ? Array(stream.permutation(train.rowCount).prefix(used)).sorted() : Array(0..<used)
    let queries = encoder.encode(synthetic, rows: Array(0..<synthetic.rowCount))
    let toTrain = nearestNeighbourDistances(queries: queries, references: encoder.encode(train, rows: trainRows))
    let toTest = nearestNeighbourDistances(queries: queries, references: encoder.encode(test, rows: Array(0..<test.rowCount)))
    var closer = 0.0
    for (a, b) in zip(toTrain, toTest) { closer += a < b ? 1 : (a == b ? 0.5 : 0) }
    let n = Double(synthetic.rowCount)
    return PrivacyReport(
        medianDistanceToTrain: median(toTrain)!, medianDistanceToTest: median(toTest)!, shareCloserToTrain: closer / n,
        exactMatchShareTrain: Double(toTrain.filter { $0 == 0 }.count) / n,
        exactMatchShareTest: Double(toTest.filter { $0 == 0 }.count) / n,
        syntheticRows: synthetic.rowCount, trainRowsUsed: used, testRows: test.rowCount)
}
