// Detection: how well a classifier tells held-out test rows from synthetic rows. Equal numbers of
// each (the larger side subsampled, seeded), paired stratified k-fold cross-validation, features encoded
// on each training fold only, ROC AUC on each held-out fold. 0.5 = indistinguishable, 1 = trivial.

import TabularData
import TensorKit

/// Cross-validated detection figures.
public struct DetectionReport: Codable, Sendable, Equatable {
    /// The classifier's registry name.
    public var classifier: String
    /// Mean over folds of the held-out ROC AUC, in [0, 1]; 0.5 best.
    public var rocAUC: Double
    /// Each fold's held-out ROC AUC.
    public var foldAUCs: [Double]
    /// SDMetrics' detection score 1 − (2·max(rocAUC, 0.5) − 1), in [0, 1], 1 best.
    public var detectionScore: Double
    /// Rows of each class (test and synthetic) used.
    public var rowsPerClass: Int
    public var folds: Int
}

/// ROC AUC of `scores` for binary `labels` (1 = positive) by the rank formula
/// (R₁ − n₁(n₁+1)/2) / (n₁ n₀) with average ranks, so tied scores count half. Nil if a class is absent.
func rocAUC(scores: [Double], labels: [Int]) -> Double? {
    let ranks = averageRanks(scores)
    var positiveRankSum = 0.0, positives = 0.0
    for (r, y) in zip(ranks, labels) where y == 1 { positiveRankSum += r; positives += 1 }
    let negatives = Double(labels.count) - positives
    guard positives > 0, negatives > 0 else { return nil }
    return (positiveRankSum - positives * (positives + 1) / 2) / (positives * negatives)
}

/// Paired, stratified fold assignment for `pairs` test rows followed by `pairs` synthetic rows:
/// pair p (test row p and synthetic row p) goes to fold position(p) mod k, where position is
/// p's place in `random.permutation(pairs)`. Every fold holds equally many rows of each class,
/// and a synthetic row identical to its paired test row never sits on the other side of the
/// split from it (which would bias the held-out AUC below 0.5).
func pairedFolds(pairs: Int, folds: Int, random: RandomStream) -> [Int] {
    var stream = random
    var foldOfPair = [Int](repeating: 0, count: pairs)
    for (position, p) in stream.permutation(pairs).enumerated() { foldOfPair[p] = position % folds }
    return foldOfPair + foldOfPair
}

/// Held-out ROC AUC per fold for rows of `table` labelled 0/1, folds given by `foldOf`.
/// Numerics are standardised and one-hot/indicator layouts fixed on each training fold.
func crossValidatedAUC(
    table: Table, labels: [Int], foldOf: [Int], folds: Int, columns: [Int], levels: [[String]],
    indicatorColumns: Set<Int>, classifier: any ClassifierTrainer
) -> [Double] {
    (0..<folds).map { fold in
        let trainRows = foldOf.indices.filter { foldOf[$0] != fold }
        let heldOut = foldOf.indices.filter { foldOf[$0] == fold }
        let encoder = FeatureEncoder(fitting: table, rows: trainRows, columns: columns, levels: levels, indicatorColumns: indicatorColumns)
        let model = classifier.fit(features: encoder.encode(table, rows: trainRows), labels: trainRows.map { labels[$0] }, classCount: 2)
        let probabilities = model.classProbabilities(features: encoder.encode(table, rows: heldOut))
        let scores = heldOut.indices.map { probabilities[$0 * 2 + 1] }
        // A fold lacking a class (impossible with paired folds of ≥ 1 pair each) counts as chance.
        return rocAUC(scores: scores, labels: heldOut.map { labels[$0] }) ?? 0.5
    }
}

/// Detection report for aligned tables (`test` and `synthetic` share column order and levels).
func detectionReport(
    test: Table, synthetic: Table, levels: [[String]], folds: Int, classifier: any ClassifierTrainer, random: RandomStream
) throws -> DetectionReport {
    let perClass = min(test.rowCount, synthetic.rowCount)
    guard perClass >= folds else {
        throw EvaluationError.invalidOption(
            key: "detectionFolds", message: "\(folds) folds need at least \(folds) test and synthetic rows, have \(perClass); lower detectionFolds")
    }
    func subsample(_ table: Table, _ name: String) -> Table {
        guard table.rowCount > perClass else { return table }
        var stream = random.child("subsample.\(name)")
        return table.selecting(rows: Array(stream.permutation(table.rowCount).prefix(perClass)).sorted())
    }
    let combined = concatenate(subsample(test, "test"), subsample(synthetic, "synthetic"))
    let labels = [Int](repeating: 0, count: perClass) + [Int](repeating: 1, count: perClass)
    let columns = Array(combined.columns.indices)
    let foldAUCs = crossValidatedAUC(
        table: combined, labels: labels, foldOf: pairedFolds(pairs: perClass, folds: folds, random: random.child("folds")),
        folds: folds, columns: columns, levels: levels,
        indicatorColumns: columnsWithMissing([combined], among: columns), classifier: classifier)
    let auc = foldAUCs.reduce(0, +) / Double(folds)
    return DetectionReport(
        classifier: classifier.name, rocAUC: auc, foldAUCs: foldAUCs, detectionScore: 1 - (2 * max(auc, 0.5) - 1),
        rowsPerClass: perClass, folds: folds)
}

/// Cross-validated ROC AUC of `classifier` separating `test` rows from an equal number of
/// `synthetic` rows (same column names and kinds; categorical levels matched by string).
public func detectionAUC(
    test: Table, synthetic: Table, folds: Int = 5, seed: UInt64 = 0,
    classifier: any ClassifierTrainer = LogisticRegressionTrainer()
) throws -> DetectionReport {
    guard folds >= 2 else { throw EvaluationError.invalidOption(key: "detectionFolds", message: "must be at least 2, got \(folds)") }
    let aligned = try AlignedTables([("test", test), ("synthetic", synthetic)])
    return try detectionReport(
        test: aligned.tables[0], synthetic: aligned.tables[1], levels: aligned.levels, folds: folds,
        classifier: classifier, random: RandomStream(seed: seed).child("detection"))
}

/// Rows of `a` then rows of `b`; both must share column order, kinds and level lists.
func concatenate(_ a: Table, _ b: Table) -> Table {
    Table(columns: zip(a.columns, b.columns).map { x, y in
        switch (x.values, y.values) {
        case let (.numeric(u), .numeric(v)):
            return Column(name: x.name, type: x.type, values: .numeric(u + v))
        case let (.categorical(u, levels), .categorical(v, _)):
            return Column(name: x.name, type: x.type, values: .categorical(codes: u + v, levels: levels))
        default:
            preconditionFailure("concatenate needs aligned tables; column '\(x.name)' differs in kind")
        }
    })
}
